"""Rows a fixture's build inserted, put back for the next tests instead of building them again.

Nearly every test asks for the frameworks and the cast (conftest.py), and a dozen modules load the
demo (:func:`demo`). Building the cast goes through the loaders and the services: about 160
queries, 0.03 s on SQLite and 0.06 s on PostgreSQL, paid by some 1,500 tests in each CI step; the
demo takes 3–12 s. Here the first build of a process is watched: every table is read before and
after it, and the rows it added are kept with the objects it returned. A later test gets the same
rows inserted again (an ``INSERT`` per table and batch, the same primary keys, on PostgreSQL the
sequences moved past them) and a deep copy of the objects, so it starts from exactly what the build
would have left.

The snapshot is used only where that is sure to hold:

* inside the test's own transaction (``db``), which rolls the rows back as it would the built ones;
  committing tests (``transactional_db``, ``live_server``) build for real;
* in a test outside a module's shared data (tests/support/shared.py), whose rows the build could
  depend on; or in the build of that shared data itself, when nothing else is open;
* when the build only added rows, and they point only at rows it added or at the content types and
  permissions; any other build runs for real every time;
* for the language the test runs in, where the build writes names in the active language (the
  frameworks and the cast; the demo is always written in the site's language, so one snapshot);
* until a committing test has run in the process: every snapshot is dropped then (``forget()``,
  conftest.py), since a ``flush`` (still used for some committing tests, tests/support/emptying.py,
  and by the committed demo, tests/support/demo.py) makes the content types again under new ids;
* if putting the rows back fails (a row of the test's own fixtures in the way), that is undone and
  the build runs for real.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.utils import translation

from kotacerdas.lib import tables
from tests.support import shared

T = TypeVar("T")


@dataclass
class _Snapshot:
    rows: list[tuple[type[Model], list[Model]]]
    value: Any


_snapshots: dict[str, _Snapshot | None] = {}  # None: that build changes existing rows, never kept
taken = 0  # snapshots taken in this process, and how often one was used (for the tests of this module)
restored = 0


def forget() -> None:
    """Drop every snapshot (after a test that committed: the database was emptied)."""
    _snapshots.clear()


def _columns(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.local_concrete_fields]


def _read() -> dict[type[Model], dict[Any, tuple[Any, ...]]]:
    read = {}
    for model in tables.copied_models():
        columns = _columns(model)
        pk = columns.index(model._meta.pk.attname)
        read[model] = {row[pk]: row for row in model._base_manager.values_list(*columns)}
    return read


def _take(build: Callable[[], T]) -> tuple[T, _Snapshot | None]:
    global taken
    before = _read()
    value = build()
    after = _read()
    rows = []
    added_keys: set[tuple[type[Model], Any]] = set()
    for model, now in after.items():
        then = before[model]
        if any(now.get(pk) != row for pk, row in then.items()):
            return value, None  # a row that was there changed or went: not a pure addition
        added = [row for pk, row in now.items() if pk not in then]
        if added:
            columns = _columns(model)
            rows.append((model, [model(**dict(zip(columns, row, strict=True))) for row in added]))
            added_keys.update((model._meta.concrete_model, pk) for pk in now if pk not in then)
    if not all(_refers_to_kept_rows(objects, added_keys) for _, objects in rows):
        return value, None
    taken += 1
    return value, _Snapshot(rows, copy.deepcopy(value))


def _refers_to_kept_rows(objects: list[Model], added: set[tuple[type[Model], Any]]) -> bool:
    """Whether every row ``objects`` point to comes back with them, or is one of the content types
    and permissions that stay in the database: a row of the first test's own fixtures would not be
    there for the next test, and the foreign key would point nowhere unnoticed (it is only checked
    at a commit that never comes)."""
    for field in objects[0]._meta.local_concrete_fields if objects else ():
        if not field.is_relation:
            continue
        target = field.related_model._meta.concrete_model  # type: ignore[union-attr]
        if target in (ContentType, Permission):
            continue
        for obj in objects:
            value = getattr(obj, field.attname)
            if value is not None and (target, value) not in added:
                return False
    return True


def _put_back(snapshot: _Snapshot) -> None:
    for model, objects in snapshot.rows:
        fields = model._meta.local_concrete_fields
        size = connection.ops.bulk_batch_size(fields, objects)  # SQLite takes so many parameters at most
        for start in range(0, len(objects), size):
            model._base_manager._insert(  # type: ignore[attr-defined]
                objects[start : start + size], fields=fields, using=connection.alias, raw=True
            )
    if connection.vendor == "postgresql":
        # A sequence is not rolled back with the transaction and may have been set below these rows.
        statements = connection.ops.sequence_reset_sql(no_style(), [model for model, _ in snapshot.rows])
        if statements:
            with connection.cursor() as cursor:
                cursor.execute("\n".join(statements))


def _trusted(request: pytest.FixtureRequest | None) -> bool:
    if not connection.in_atomic_block:
        return False  # a committing test: nothing would roll the rows back
    if request is None:  # building a module's shared data: its own transaction, nothing else, is open
        return shared._open == 1
    return not shared._open and not shared.commits(request)


def built(key: str, request: pytest.FixtureRequest | None, build: Callable[[], T], *, per_language: bool = True) -> T:
    """What ``build()`` returns, with the rows it inserts: built for real the first time (and
    wherever a snapshot cannot be trusted, see the module's text), put back from the snapshot after.
    ``request`` is the test's; ``None`` in the build of a module's shared data (tests/support/shared.py).
    ``per_language``: the build writes names in the active language (audit entries' descriptions), so
    each language has its own snapshot; ``False`` for a build that sets its language itself."""
    global restored
    if not _trusted(request):
        return build()
    if per_language:
        key = f"{key}:{translation.get_language()}"
    if key not in _snapshots:
        value, _snapshots[key] = _take(build)
        return value
    snapshot = _snapshots[key]
    if snapshot is None:
        return build()
    try:
        with transaction.atomic():
            _put_back(snapshot)
    except DatabaseError:
        return build()
    restored += 1
    return copy.deepcopy(snapshot.value)


def demo(request: pytest.FixtureRequest | None = None) -> Any:
    """The Kota Solok demo as ``load_demo()`` leaves it (and what it returns), for a test on ``db``
    or a module's shared data: 3–12 s to load, well under a second to put back."""
    from kotacerdas.demo.loader import load_demo

    return built("demo", request, load_demo, per_language=False)  # written in the site's language
