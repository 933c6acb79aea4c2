"""Writing many rows at once without the ORM's per-row expression compilation.

bulk_create and bulk_update compile an expression per field per row (bulk_update
a CASE per field over the whole batch); for the history and index tables of a
100,000-row import that was most of the time spent. Values of types the database
adapter cannot take as they are (JSON, dates, decimals) still pass through the
field's own get_db_prep_save, so they are stored exactly as the ORM stores them.

The one difference between the databases is isolated in `_insert`: PostgreSQL
takes rows by COPY, SQLite by executemany. The test suite runs on both.
"""

from collections.abc import Sequence

from django.db import connection, models

_BATCH = 2000
# Field types whose Python value the database adapter takes unchanged.
_PASS_THROUGH = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _preparers(fields: list) -> list:
    """Per field: None when the adapter takes the value as it is, else the field's preparer."""
    return [
        None if field.get_internal_type() in _PASS_THROUGH else field.get_db_prep_save
        for field in fields
    ]


def _prepared(values: list, preparers: list) -> list:
    return [
        value if prepare is None else prepare(value, connection)
        for value, prepare in zip(values, preparers, strict=True)
    ]


def _insert(table: str, columns: list[str], rows: list[list]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})"
            cursor.executemany(sql, rows)


def insert_rows(model: type[models.Model], rows: Sequence[dict]) -> None:
    """INSERT rows given as {field attname: value}, without building model instances.

    Every row names the same fields; the others take their defaults (the primary
    key is left to the database).
    """
    if not rows:
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    given = rows[0].keys()
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in given}
    names = [field.attname for field in fields]
    preparers = _preparers(fields)
    columns = [field.column for field in fields]
    for start in range(0, len(rows), _BATCH):
        batch = []
        for row in rows[start : start + _BATCH]:
            merged = {**defaults, **row}
            batch.append(_prepared([merged[name] for name in names], preparers))
        _insert(meta.db_table, columns, batch)


def update_fields(objects: Sequence[models.Model], names: Sequence[str]) -> None:
    """UPDATE the named fields of every object, by primary key (auto_now fields are set)."""
    if not objects:
        return
    meta = type(objects[0])._meta
    fields = [meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    preparers = _preparers(fields)
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        for start in range(0, len(objects), _BATCH):
            cursor.executemany(
                sql,
                [
                    _prepared([field.pre_save(obj, add=False) for field in fields], preparers)
                    + [obj.pk]
                    for obj in objects[start : start + _BATCH]
                ],
            )


def relax_commit_durability() -> None:
    """On PostgreSQL, don't wait for this transaction's commit to reach the disk.

    For idempotent imports only: a crash may lose the last chunks committed, never a part
    of one, and running the file again restores them. SQLite has no such setting.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
