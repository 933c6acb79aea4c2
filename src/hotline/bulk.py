"""Inserting many rows whose ids are not needed back, without the ORM's per-row compilation.

bulk_create compiles an expression per field per row; for the audit history
and the index tables of a 100,000-row import that is most of the time spent.
Values of types the database adapter cannot take as they are (JSON, dates,
decimals) still pass through the field's own get_db_prep_save, so they are
stored exactly as the ORM would store them, on SQLite and PostgreSQL.
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


def insert_without_ids(objects: Sequence[models.Model]) -> None:
    """INSERT every object's concrete fields (defaults applied, pk left to the database)."""
    if not objects:
        return
    model = type(objects[0])
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    plain = [(field.attname, field.get_internal_type() in _PASS_THROUGH) for field in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objects), _BATCH):
            cursor.executemany(
                sql,
                [
                    [
                        getattr(obj, attname)
                        if is_plain
                        else field.get_db_prep_save(field.pre_save(obj, add=True), connection)
                        for field, (attname, is_plain) in zip(fields, plain, strict=True)
                    ]
                    for obj in objects[start : start + _BATCH]
                ],
            )
