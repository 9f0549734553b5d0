"""Listening notes: the text is stored encrypted with the field key.

Existing notes are sealed on the way forward and opened again on the way back.
The old column is made blank-able first, so that undoing the removal can add it
back to a table that has rows.
"""

from django.db import migrations, models

from relais.core import protected


BATCH = 1000


def _rewrite(apps, source: str, target: str, transform) -> None:
    """Set `target` to `transform(source)` on every note, a batch at a time."""
    note_model = apps.get_model("hub", "ListeningNote")
    pks = list(note_model.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        notes = list(
            note_model.objects.filter(pk__in=pks[start : start + BATCH]).only(
                "pk", source
            )
        )
        for note in notes:
            value = getattr(note, source)
            setattr(note, target, transform(value) if value else "")
        note_model.objects.bulk_update(notes, [target])


def seal(apps, schema_editor):
    _rewrite(apps, "text", "text_encrypted", protected.encrypter())


def unseal(apps, schema_editor):
    _rewrite(apps, "text_encrypted", "text", protected.decrypt)


class Migration(migrations.Migration):
    dependencies = [("hub", "0003_data_request_recorded_by")]

    operations = [
        migrations.AlterField(
            model_name="listeningnote",
            name="text",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
        migrations.AddField(
            model_name="listeningnote",
            name="text_encrypted",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(seal, unseal),
        migrations.RemoveField(model_name="listeningnote", name="text"),
    ]
