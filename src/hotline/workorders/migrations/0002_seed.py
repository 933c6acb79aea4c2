"""The starting category tree, calendars, time limits, grading rules and holidays; and,
on PostgreSQL, a trigram index so a description word is found without reading every order."""

from django.db import migrations
from django.utils import timezone

from hotline.workorders.seed import seed


def create(apps, schema_editor):
    seed(apps, timezone.localdate())


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX order_search_words_trgm ON workorders_workorder "
            "USING gin (search_words gin_trgm_ops)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS order_search_words_trgm")


class Migration(migrations.Migration):
    dependencies = [("workorders", "0001_initial"), ("accounts", "0003_labels")]
    operations = [
        migrations.RunPython(create, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
