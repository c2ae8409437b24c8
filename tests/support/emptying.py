"""The database emptied after a committing test by deleting its rows, not by ``flush``.

pytest-django empties the database after every test that commits (``transactional_db``,
``live_server``) the way Django's ``TransactionTestCase`` does: ``flush``, which on PostgreSQL
truncates every table in one statement (0.41–0.44 s: each table and index gets new files) and then
makes the content types and permissions again (190 queries); 0.74–0.81 s in all, for the 49 such
tests of a run (bench/test-suite.md). Deleting the rows of every table but the content types and
permissions leaves the same database, the content types under the ids they had: 0.12 s of
teardown on PostgreSQL (tests/test_emptying.py).

The cases ``flush`` handles differently are left to it: a test limited to some apps
(``available_apps``) or restoring serialised data (``serialized_rollback``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.test import TransactionTestCase

KEPT = frozenset({ContentType._meta.db_table, Permission._meta.db_table})


def empty(connection: Any) -> None:
    """Delete every row of every table of the models but the content types and permissions, in
    one transaction (foreign keys are checked at its end, so the order does not matter)."""
    quote = connection.ops.quote_name
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if table not in KEPT
    ]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(";".join(f"DELETE FROM {quote(table)}" for table in tables))  # noqa: S608 (our tables)
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (our tables)


def install() -> None:
    """Make ``TransactionTestCase`` (which pytest-django uses for committing tests) empty by deleting."""
    flush = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self: TransactionTestCase) -> None:
        if self.available_apps is not None or self.serialized_rollback:
            flush(self)
            return
        for name in self._databases_names(include_mirrors=False):  # type: ignore[attr-defined]
            empty(connections[name])

    TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[method-assign]
