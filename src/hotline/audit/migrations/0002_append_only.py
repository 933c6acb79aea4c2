"""The database itself refuses to rewrite history.

UPDATE is refused on both databases. DELETE is refused on PostgreSQL; SQLite
keeps it possible because Django empties test databases there with DELETE
(PostgreSQL uses TRUNCATE), and the model refuses deletes on both.
"""

from django.db import migrations

SQLITE = """
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit history is append-only'); END;
"""
POSTGRES = """
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit history is append-only'; END; $$;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""


def forbid_rewrites(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES)


def allow_rewrites(apps, schema_editor):
    schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_update"
                          + (" ON audit_auditevent" if schema_editor.connection.vendor ==
                             "postgresql" else ""))


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forbid_rewrites, allow_rewrites)]
