"""Plain SQL for the handful of reads every signed-in request makes (decision 0018).

Building a Django query costs 0.25–1.2 ms of Python on a 2-core machine; running the statement it
builds costs about 0.03 ms on SQLite. A page kept whole (lib/pagecache.py) still reads the session,
the user, the region with the user's grant, the data revisions and the unread count on every
request: through the ORM those five reads were two thirds of the page's time. They are written
here as statements, with table and column names taken from the models so that a renamed field
cannot leave them behind. Everything else reads through the ORM.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)


def statement(build: Callable[[], str]) -> Callable[[], str]:
    """Decorate a function that writes a statement from the models' names: it is written once per
    database vendor (names are quoted the vendor's way), not on every request."""
    written = functools.cache(lambda vendor: build())

    @functools.wraps(build)
    def cached() -> str:
        return written(connection.vendor)

    return cached


def table(model: type[Model]) -> str:
    """The quoted table name of ``model``."""
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], field: str) -> str:
    """The quoted column name of ``model``'s field ``field`` (``"region"`` gives ``region_id``)."""
    name = getattr(model._meta.get_field(field), "column", None)
    assert isinstance(name, str), f"{model.__name__}.{field} has no column"
    return connection.ops.quote_name(name)


def columns(model: type[Model], alias: str) -> str:
    """Every column of ``model``, as ``alias.column, ...`` in the order :func:`objects` reads them."""
    return ", ".join(f"{alias}.{column(model, field.name)}" for field in model._meta.concrete_fields)


Converters = tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]


@functools.cache
def _reading(vendor: str, model: type[Model]) -> tuple[tuple[str, ...], Converters]:
    """The model's field names, and per column that needs them the converters the ORM applies to a
    value read from ``vendor`` (SQLite gives a date as text, a boolean as 0 or 1): the
    database's, then the field's, as the query compiler orders them."""
    found = []
    for position, field in enumerate(model._meta.concrete_fields):
        read = field.get_col(model._meta.db_table)  # the expression the compiler converts
        converters = (*connection.ops.get_db_converters(read), *read.get_db_converters(connection))
        if converters:
            found.append((position, converters, read))
    return tuple(field.attname for field in model._meta.concrete_fields), tuple(found)


def objects(model: type[M], statement: str, params: Sequence[Any]) -> list[tuple[M, tuple[Any, ...]]]:
    """The rows of ``statement`` as ``model`` instances, as the ORM builds them, each with the
    columns selected after the model's own: the statement selects :func:`columns` first."""
    width = len(model._meta.concrete_fields)
    names, converters = _reading(connection.vendor, model)
    found = []
    for row in all_rows(statement, params):
        values = list(row[:width])
        for position, functions, read in converters:
            for convert in functions:
                values[position] = convert(values[position], read, connection)
        instance = model.from_db(connection.alias, names, values)
        found.append((instance, tuple(row[width:])))
    return found


def first_row(statement: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    """The first row ``statement`` returns, or None."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()


def all_rows(statement: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def now() -> Any:
    """The current time as the database compares it with a stored DateTimeField."""
    from django.utils import timezone

    return connection.ops.adapt_datetimefield_value(timezone.now())
