"""Trigram index for address words on PostgreSQL (SQLite scans, which is quick at demo size).

The index is on UPPER(address::text) because that is what Django's icontains
compares on PostgreSQL; name and number prefixes use the varchar_pattern_ops
indexes Django makes for db_index fields.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX customer_address_trgm ON customers_customer "
        "USING gin (UPPER(address::text) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS customer_address_trgm")


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
