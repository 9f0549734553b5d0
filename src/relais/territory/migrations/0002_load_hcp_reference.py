"""Load the HCP nomenclature, so that every database, test ones included, has it."""

from django.db import migrations

from relais.territory.reference import load_reference


def forwards(apps, schema_editor):
    load_reference(apps.get_model("territory", "Territory"))


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
