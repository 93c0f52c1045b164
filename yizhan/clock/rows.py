"""Reading, locking and writing single rows with statements prepared once per model.

A transition changes a handful of rows by primary key. Through the ORM each of those statements is
compiled again on every call, which was most of a replay's time; these helpers build the same SQL
once per (model, fields) and run it with the fields' own conversions both ways (`get_db_prep_save`
on the way in, the backend's and the field's converters on the way out), so the values stored and
read are exactly the ORM's. No signals are sent: nothing in Yizhan listens to these models' saves.
They run inside the caller's transaction like any ORM call."""

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, TypeVar, cast

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


@cache
def _columns(model: type[models.Model], vendor: str) -> tuple[list[str], list[tuple[Any, list[Any]]]]:
    """The model's attribute names, and per column its expression and converters (as the ORM's compiler
    finds them)."""
    fields = list(model._meta.concrete_fields)
    converters = []
    for field in fields:
        col = field.get_col(model._meta.db_table)
        converters.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
    return [f.attname for f in fields], converters


def _build(model: type[M], row: Sequence[Any], start: int = 0) -> M:
    names, converters = _columns(model, connection.vendor)
    values = list(row[start:start + len(names)])
    for i, (col, convs) in enumerate(converters):
        for convert in convs:
            values[i] = convert(values[i], col, connection)
    # What Model.from_db does with every field loaded, without the generic __init__.
    obj = model.__new__(model)
    obj.__dict__.update(zip(names, values, strict=True))
    obj._state = models.base.ModelState()
    obj._state.adding, obj._state.db = False, connection.alias
    return obj


# Fields whose Python values (str, int, bool, None, a primary key) both backends take as they are.
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)
_PLAIN_TYPES = (str, int, bool, type(None))


def _prepare(field: models.Field, value: Any) -> Any:
    if type(value) in _PLAIN_TYPES and isinstance(field, _PLAIN):
        return value
    return field.get_db_prep_save(value, connection)


def _select_list(model: type[models.Model], alias: str) -> str:
    return ", ".join(f"{alias}.{_qn(f.column)}" for f in model._meta.concrete_fields)


@cache
def _select_sql(model: type[models.Model], related: tuple[str, ...], lock: bool, vendor: str) -> tuple[str, list]:
    opts = model._meta
    parts, joins, rels = [_select_list(model, "t0")], [], []
    for i, name in enumerate(related, start=1):
        field = cast(models.ForeignKey, opts.get_field(name))
        rel = cast(type[models.Model], field.related_model)
        alias = f"t{i}"
        parts.append(_select_list(rel, alias))
        joins.append(f"LEFT OUTER JOIN {_qn(rel._meta.db_table)} {alias} "
                     f"ON {alias}.{_qn(rel._meta.pk.column)} = t0.{_qn(field.column)}")
        rels.append((name, field, rel))
    sql = (f"SELECT {', '.join(parts)} FROM {_qn(opts.db_table)} t0 {' '.join(joins)} "
           f"WHERE t0.{_qn(opts.pk.column)} = %s")
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE OF t0" if connection.features.has_select_for_update_of else " FOR UPDATE"
    return sql, rels


def fetch(model: type[M], pk: Any, *related: str, lock: bool = False) -> M:
    """The row `pk` of `model` with the single-level relations `related` joined (as select_related
    would), locked FOR UPDATE (of the model's row only) when `lock` and the database locks rows.
    Raises model.DoesNotExist."""
    sql, rels = _select_sql(model, related, lock, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        # Every concrete model has its DoesNotExist; the stubs know it only of a named model.
        raise model.DoesNotExist(f"{model._meta.object_name} {pk} does not exist")  # type: ignore[attr-defined]
    obj = _build(model, row)
    at = len(model._meta.concrete_fields)
    for name, field, rel in rels:
        if getattr(obj, field.attname) is None:
            setattr(obj, name, None)
        else:
            setattr(obj, name, _build(rel, row, at))
        at += len(rel._meta.concrete_fields)
    return obj


def fetch_where(model: type[M], column: str, value: Any, *, extra: str = "", order: str = "", lock: bool = False
                ) -> list[M]:
    """Rows of `model` whose `column` equals `value` (plus `extra`, SQL on alias t0), optionally ordered
    and locked. For the few fixed look-ups of the clock (a timer's pauses, a set of timers)."""
    sql = f"SELECT {_select_list(model, 't0')} FROM {_qn(model._meta.db_table)} t0 WHERE t0.{_qn(column)} "
    params: list[Any]
    if isinstance(value, list | tuple):
        if not value:
            return []
        sql += f"IN ({', '.join(['%s'] * len(value))})"
        params = list(value)
    else:
        sql += "= %s"
        params = [value]
    if extra:
        sql += f" AND {extra}"
    if order:
        sql += f" ORDER BY {order}"
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [_build(model, row) for row in cursor.fetchall()]


@cache
def _update_sql(model: type[models.Model], names: tuple[str, ...], vendor: str) -> tuple[str, list[models.Field]]:
    opts = model._meta
    fields = [cast(models.Field, opts.get_field(n)) for n in names]
    sets = ", ".join(f"{_qn(f.column)} = %s" for f in fields)
    return f"UPDATE {_qn(opts.db_table)} SET {sets} WHERE {_qn(opts.pk.column)} = %s", fields


def write(obj: models.Model, *names: str) -> None:
    """Store `names` of `obj` (as save(update_fields=names) would, in one UPDATE by primary key)."""
    sql, fields = _update_sql(type(obj), names, connection.vendor)
    params = [_prepare(f, getattr(obj, f.attname)) for f in fields]
    params.append(obj.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@cache
def _insert_sql(model: type[models.Model], vendor: str) -> tuple[str, list[models.Field], bool]:
    opts = model._meta
    fields = [f for f in opts.concrete_fields if f is not opts.auto_field]
    returning = connection.features.can_return_columns_from_insert
    sql = (f"INSERT INTO {_qn(opts.db_table)} ({', '.join(_qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    if returning:
        sql += f" RETURNING {_qn(opts.pk.column)}"
    return sql, fields, returning


def insert(obj: M) -> M:
    """Insert `obj` (as save(force_insert=True) would) and set its primary key."""
    model = type(obj)
    sql, fields, returning = _insert_sql(model, connection.vendor)
    params = [_prepare(f, f.pre_save(obj, True)) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.fetchone()[0] if returning else connection.ops.last_insert_id(
            cursor, model._meta.db_table, model._meta.pk.column)
    obj.pk = pk
    obj._state.adding, obj._state.db = False, connection.alias
    return obj


def pks(objs: Iterable[models.Model | None]) -> list[Any]:
    return [o.pk for o in objs if o is not None]
