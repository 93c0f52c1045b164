"""Reading, locking and writing single rows with statements prepared once per model.

A transition changes a handful of rows by primary key. Through the ORM each of those statements is
compiled again on every call, and passes through several layers of wrappers, which was most of a
replay's time. These helpers build the same SQL once per (model, fields, database vendor) and run it
on the driver's cursor of Django's connection, with each field's own conversion both ways computed
once (`get_db_prep_save` on the way in, the backend's and the field's converters on the way out), so
the values stored and read are exactly the ORM's. Database errors are Django's (IntegrityError, …)
as with the ORM, and a transaction already marked broken refuses to run them.

When queries are being logged or wrapped (DEBUG, `CaptureQueriesContext`, `execute_wrapper`) the
statements go through Django's cursor instead, so every statement is seen and counted as usual.

No signals are sent: nothing in Yizhan listens to these models' saves, except the text check of
`yizhan.textlimits`, which these helpers run themselves (a value too long for its column or holding a
NUL byte is a rule error before the statement, not a database error). They run inside the caller's
transaction like any ORM call."""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import cache
from typing import Any, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.base import ModelState

from yizhan.textlimits import check_text

M = TypeVar("M", bound=models.Model)


def _db():
    return connections[DEFAULT_DB_ALIAS]


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _sql(text: str, vendor: str) -> tuple[str, str]:
    """The statement in Django's placeholder style and in the driver's own."""
    return text, text.replace("%s", "?") if vendor == "sqlite" else text


def _run(db: Any, sql: tuple[str, str], params: Sequence[Any], rows: str = "") -> Any:
    """Execute `sql` with `params`; return fetchone() (rows="one"), fetchall() (rows="all") or None."""
    if db.queries_logged or db.execute_wrappers:
        with db.cursor() as cursor:
            cursor.execute(sql[0], params)
            return cursor.fetchone() if rows == "one" else cursor.fetchall() if rows == "all" else None
    if db.connection is None:
        db.ensure_connection()
    if db.needs_rollback:
        db.validate_no_broken_transaction()
    with db.wrap_database_errors:
        cursor = db.connection.cursor()
        try:
            cursor.execute(sql[1], params)
            return cursor.fetchone() if rows == "one" else cursor.fetchall() if rows == "all" else None
        finally:
            cursor.close()


@cache
def _columns(model: type[models.Model], vendor: str) -> tuple[list[str], list[tuple[int, Any, list[Any]]]]:
    """The model's attribute names, and for each column that has any, its expression and converters
    (as the ORM's compiler finds them)."""
    db = _db()
    fields = list(model._meta.concrete_fields)
    converters = []
    for i, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        found = db.ops.get_db_converters(col) + col.get_db_converters(db)
        if found:
            converters.append((i, col, found))
    return [f.attname for f in fields], converters


def _build(model: type[M], row: Sequence[Any], start: int = 0, db: Any = None) -> M:
    db = db or _db()
    names, converters = _columns(model, db.vendor)
    values = list(row[start:start + len(names)])
    for i, col, convs in converters:
        for convert in convs:
            values[i] = convert(values[i], col, db)
    # What Model.from_db does with every field loaded, without the generic __init__.
    obj = model.__new__(model)
    obj.__dict__.update(zip(names, values, strict=True))
    state = obj._state = ModelState()
    state.adding, state.db = False, DEFAULT_DB_ALIAS
    return obj


# Fields whose Python values (str, int, bool, None, a primary key) both backends take as they are.
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey,
          models.AutoField, models.BigAutoField)
_PLAIN_TYPES = (str, int, bool, type(None))


def _preparer(field: models.Field, vendor: str) -> Callable[[Any], Any]:
    """The field's value as the database takes it: `get_db_prep_save`, with the common cases (plain
    values, aware datetimes, JSON) done without its layers of calls, to the same result."""
    db = _db()

    def generic(value: Any) -> Any:
        return field.get_db_prep_save(value, db)

    if isinstance(field, models.DateTimeField):
        if vendor == "sqlite":
            tz = db.timezone  # what adapt_datetimefield_value makes an aware datetime naive in

            def sqlite_datetime(value: Any) -> Any:
                if type(value) is datetime and value.tzinfo is not None:
                    return str(value.astimezone(tz).replace(tzinfo=None))
                return None if value is None else generic(value)
            return sqlite_datetime

        def aware_datetime(value: Any) -> Any:
            return value if value is None or (type(value) is datetime and value.tzinfo is not None) else generic(value)
        return aware_datetime
    if isinstance(field, models.JSONField):
        ops, encoder = db.ops, field.encoder

        def json_value(value: Any) -> Any:
            return ops.adapt_json_value(value, encoder) if type(value) in (dict, list) else generic(value)
        return json_value
    if isinstance(field, _PLAIN):
        def plain(value: Any) -> Any:
            return value if type(value) in _PLAIN_TYPES else generic(value)
        return plain
    return generic


@cache
def _preparers(model: type[models.Model], names: tuple[str, ...], vendor: str) -> list[tuple[str, Callable]]:
    fields = [cast(models.Field, model._meta.get_field(n)) for n in names]
    return [(f.attname, _preparer(f, vendor)) for f in fields]


def _select_list(model: type[models.Model], alias: str) -> str:
    return ", ".join(f"{alias}.{_qn(f.column)}" for f in model._meta.concrete_fields)


@cache
def _select_sql(model: type[models.Model], related: tuple[str, ...], lock: bool, vendor: str
                ) -> tuple[tuple[str, str], list]:
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
    return _sql(sql, vendor), rels


def fetch(model: type[M], pk: Any, *related: str, lock: bool = False) -> M:
    """The row `pk` of `model` with the single-level relations `related` joined (as select_related
    would), locked FOR UPDATE (of the model's row only) when `lock` and the database locks rows.
    Raises model.DoesNotExist."""
    db = _db()
    sql, rels = _select_sql(model, related, lock, db.vendor)
    row = _run(db, sql, [pk], "one")
    if row is None:
        # Every concrete model has its DoesNotExist; the stubs know it only of a named model.
        raise model.DoesNotExist(f"{model._meta.object_name} {pk} does not exist")  # type: ignore[attr-defined]
    obj = _build(model, row, 0, db)
    at = len(model._meta.concrete_fields)
    for name, field, rel in rels:
        if getattr(obj, field.attname) is None:
            setattr(obj, name, None)
        else:
            setattr(obj, name, _build(rel, row, at, db))
        at += len(rel._meta.concrete_fields)
    return obj


def fetch_where(model: type[M], column: str, value: Any, *, extra: str = "", order: str = "", lock: bool = False
                ) -> list[M]:
    """Rows of `model` whose `column` equals `value` (plus `extra`, SQL on alias t0), optionally ordered
    and locked. For the few fixed look-ups of the clock (a timer's pauses, a set of timers)."""
    db = _db()
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
    if lock and db.features.has_select_for_update:
        sql += " FOR UPDATE"
    return [_build(model, row, 0, db) for row in _run(db, _sql(sql, db.vendor), params, "all")]


@cache
def _update_sql(model: type[models.Model], names: tuple[str, ...], keys: int, vendor: str) -> tuple[str, str]:
    opts = model._meta
    fields = [cast(models.Field, opts.get_field(n)) for n in names]
    sets = ", ".join(f"{_qn(f.column)} = %s" for f in fields)
    where = "= %s" if keys == 1 else f"IN ({', '.join(['%s'] * keys)})"
    return _sql(f"UPDATE {_qn(opts.db_table)} SET {sets} WHERE {_qn(opts.pk.column)} {where}", vendor)


def write(obj: models.Model, *names: str) -> None:
    """Store `names` of `obj` (as save(update_fields=names) would, in one UPDATE by primary key)."""
    check_text(obj)
    db = _db()
    model = type(obj)
    params = [prep(getattr(obj, attname)) for attname, prep in _preparers(model, names, db.vendor)]
    params.append(obj.pk)
    _run(db, _update_sql(model, names, 1, db.vendor), params)


def write_all(objs: Sequence[models.Model], *names: str) -> None:
    """Store `names` of every one of `objs` (all of one model, holding the same values for `names`) in
    one UPDATE: a transition that stops both of a case's timers at the same moment."""
    if not objs:
        return
    check_text(objs[0])
    db = _db()
    model, first = type(objs[0]), objs[0]
    params = [prep(getattr(first, attname)) for attname, prep in _preparers(model, names, db.vendor)]
    params += [o.pk for o in objs]
    _run(db, _update_sql(model, names, len(objs), db.vendor), params)


@cache
def _insert_plan(model: type[models.Model], vendor: str) -> tuple[list[models.Field], list, bool]:
    opts = model._meta
    fields = [f for f in opts.concrete_fields if f is not opts.auto_field]
    # Only fields that compute their value on save (auto_now…) need pre_save; the rest are read as set.
    readers = [(f, getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False), f.attname) for f in fields]
    return fields, list(zip(readers, _preparers(model, tuple(f.name for f in fields), vendor), strict=True)), \
        _db().features.can_return_columns_from_insert


@cache
def _insert_sql(model: type[models.Model], count: int, vendor: str) -> tuple[str, str]:
    opts = model._meta
    fields, _plan, returning = _insert_plan(model, vendor)
    one = f"({', '.join(['%s'] * len(fields))})"
    sql = (f"INSERT INTO {_qn(opts.db_table)} ({', '.join(_qn(f.column) for f in fields)}) "
           f"VALUES {', '.join([one] * count)}")
    if returning:
        sql += f" RETURNING {_qn(opts.pk.column)}"
    return _sql(sql, vendor)


def _insert_params(obj: models.Model, plan: list) -> list[Any]:
    values = obj.__dict__
    return [prep(field.pre_save(obj, True) if computed else values[attname])
            for (field, computed, attname), (_name, prep) in plan]


def insert(obj: M) -> M:
    """Insert `obj` (as save(force_insert=True) would) and set its primary key."""
    insert_all([obj])
    return obj


def insert_all(objs: Sequence[models.Model]) -> None:
    """Insert `objs` (all of one model) in one statement and set their primary keys, in order."""
    if not objs:
        return
    for obj in objs:
        check_text(obj)
    db = _db()
    model = type(objs[0])
    _fields, plan, returning = _insert_plan(model, db.vendor)
    if not returning or (len(objs) > 1 and not db.features.can_return_rows_from_bulk_insert):
        for obj in objs:
            insert(obj)
        return
    params = [p for obj in objs for p in _insert_params(obj, plan)]
    pks = _run(db, _insert_sql(model, len(objs), db.vendor), params, "all")
    for obj, (pk,) in zip(objs, pks, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, DEFAULT_DB_ALIAS


@cache
def _new_plan(model: type[models.Model]) -> tuple[dict[str, Any], list, dict[str, str], dict[str, str]]:
    """Constant defaults by attribute, callable ones (field, attname), relations by name, and every
    accepted keyword (name or attname) to its attname."""
    constant, computed, relations, keys = {}, [], {}, {}
    for f in model._meta.concrete_fields:
        keys[f.name] = keys[f.attname] = f.attname
        if f.is_relation:
            relations[f.name] = f.attname
        if f.has_default() and callable(f.default):
            computed.append((f, f.attname))
        else:
            constant[f.attname] = f.get_default()
    return constant, computed, relations, keys


def new(model: type[M], **values: Any) -> M:
    """An unsaved `model(**values)` (related objects by field name, ids by attribute name, defaults for
    the rest), built without the generic Model.__init__, which a transition calls for every row it
    inserts. No pre_init/post_init signals: nothing in Yizhan listens to them."""
    constant, computed, relations, keys = _new_plan(model)
    obj = model.__new__(model)
    state = obj._state = ModelState()
    attrs = obj.__dict__
    attrs.update(constant)
    given = set()
    for key, value in values.items():
        attname = relations.get(key)
        if attname is not None:
            attrs[attname] = None if value is None else value.pk
            state.fields_cache[key] = value
        else:
            attname = keys.get(key)
            if attname is None:
                raise TypeError(f"{model.__name__} has no field {key}")
            attrs[attname] = value
        given.add(attname)
    for field, attname in computed:
        if attname not in given:
            attrs[attname] = field.get_default()
    return obj


def execute(sql: str, params: Sequence[Any], rows: str = "") -> Any:
    """A fixed statement of a hot path (Django's %s placeholders), run like the helpers above: returns
    fetchone() (rows="one"), fetchall() (rows="all") or None."""
    db = _db()
    return _run(db, _fixed_sql(sql, db.vendor), params, rows)


@cache
def _fixed_sql(sql: str, vendor: str) -> tuple[str, str]:
    return _sql(sql, vendor)


def pks(objs: Iterable[models.Model | None]) -> list[Any]:
    return [o.pk for o in objs if o is not None]
