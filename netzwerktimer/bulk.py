"""Many new rows at once: PostgreSQL's COPY where it is there, bulk_create elsewhere (SQLite).

Django 5.2's bulk_create on PostgreSQL sends each batch as arrays (INSERT … SELECT … UNNEST), which
Django prepares and psycopg writes value by value in Python: about 240 µs per event row of ~45
columns, most of a feed import's writing time. COPY hands psycopg the rows as they are, formatted in
its C code: the same 10,000 rows in a seventh of the time (bench/bench_import.py).

Only for models whose fields need no preparation beyond what psycopg adapts itself (text, numbers,
booleans, aware datetimes, foreign keys, JSON): `bulk_insert` checks this and refuses other models.
No save(), no signals, as with bulk_create; the caller fills derived fields first.
"""

import functools
import operator
import time

from django.db import connection, models
from psycopg.types.json import Jsonb

PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.DateTimeField,
    models.DateField,
    models.ForeignKey,
    models.JSONField,
)


def bulk_insert(model, objects, *, scope, key_fields, batch_size=500):
    """Insert the new objects and set their primary keys. With COPY the keys are read back: `scope`
    (filter arguments) and `key_fields` must name a unique key of the rows, such as an event's source
    and its (external UID, recurrence id)."""
    objects = list(objects)
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objects, batch_size=batch_size)
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    unknown = [field.name for field in fields if not isinstance(field, PLAIN_FIELDS)]
    if unknown:
        raise TypeError(f"bulk_insert cannot write {model.__name__}.{', '.join(unknown)} unprepared")
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    started = time.monotonic()
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        getters = [_getter(field) for field in fields]
        for obj in objects:
            copy.write_row([get(obj) for get in getters])
    if connection.queries_logged:
        # psycopg's copy() passes Django's query log by; query budgets and benchmarks count it here.
        connection.queries_log.append(
            {"sql": f"{sql} -- {len(objects)} rows", "time": f"{time.monotonic() - started:.3f}"}
        )
    keys = {tuple(getattr(obj, name) for name in key_fields): obj for obj in objects}
    for *key, pk in model.objects.filter(**scope).values_list(*key_fields, "pk").iterator(chunk_size=5000):
        obj = keys.get(tuple(key))
        if obj is not None:
            obj.pk = pk
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def _getter(field):
    """How a field's value is read from an object for COPY: as it is, but dates that the field sets
    itself (auto_now, auto_now_add) and JSON wrapped for psycopg."""
    if isinstance(field, models.DateTimeField | models.DateField) and (field.auto_now or field.auto_now_add):
        return functools.partial(field.pre_save, add=True)
    read = operator.attrgetter(field.attname)
    if isinstance(field, models.JSONField):
        return lambda obj: None if read(obj) is None else Jsonb(read(obj))
    return read
