"""A code-point ("C") index on name, id for PostgreSQL: name prefixes and the search order.

See selectors._by_code_point; SQLite compares by code point with its plain name index.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'CREATE INDEX customer_name_code_point ON customers_customer ((name COLLATE "C"), id)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS customer_name_code_point")


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_labels")]
    operations = [migrations.RunPython(create, drop)]
