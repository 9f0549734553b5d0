"""Mask the stored CINs again with relais.core.protected.mask, which shows less.

The clear CIN is read from its ciphertext with RELAIS_FIELD_KEY, as the settings
give it when the migration runs: run it with the production key.
"""

from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

CHUNK = 2000


def _write(schema_editor, rows):
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE people_person SET cin_masked = %s WHERE id = %s", rows
        )


def remask(apps, schema_editor):
    from relais.core import protected

    Person = apps.get_model("people", "Person")
    people = (
        Person.objects.exclude(cin_encrypted="")
        .values_list("id", "cin_encrypted")
        .order_by("id")
    )
    rows = []
    for pk, encrypted in people.iterator(chunk_size=CHUNK):
        try:
            clear = protected.decrypt(encrypted)
        except (InvalidTag, ValueError) as error:
            raise ImproperlyConfigured(
                "RELAIS_FIELD_KEY is not the key the CINs were encrypted with: "
                "run this migration with the production key."
            ) from error
        rows.append((protected.mask(clear), pk))
        if len(rows) >= CHUNK:
            _write(schema_editor, rows)
            rows = []
    if rows:
        _write(schema_editor, rows)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_person_cin_digest_constraint"),
    ]

    operations = [
        # Not reversible: the old mask showed more, and this one is not undone.
        migrations.RunPython(remask, migrations.RunPython.noop, elidable=True),
    ]
