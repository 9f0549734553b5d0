"""The shared needs and the categories of personal data, in every database."""

from django.db import migrations

from relais.hub.reference import load


def forwards(apps, schema_editor):
    load(apps.get_model("hub", "Need"), apps.get_model("hub", "DataCategory"))


class Migration(migrations.Migration):
    dependencies = [("hub", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
