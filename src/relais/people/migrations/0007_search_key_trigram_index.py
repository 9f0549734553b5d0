"""A trigram index on the people's search keys, on PostgreSQL.

A name search looks for " term" anywhere in the key (see relais.core.names):
without it, a name few people have was looked for in every row of the table.
SQLite has no such index and keeps searching row by row.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS person_search_trigram "
            "ON people_person USING gin (search_key gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_search_trigram")


class Migration(migrations.Migration):
    dependencies = [("people", "0006_remask_cins")]

    operations = [migrations.RunPython(create, drop)]
