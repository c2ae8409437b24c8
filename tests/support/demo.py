"""The demo for tests on committed data (``live_server``, ``transactional_db``), loaded once per process.

Loading the Kota Solok demo takes 3–11 s (it goes through the services: audit entries, a solved
quick-win round, assessments). A browser test needs it committed, and pytest-django empties the
database after each such test, so each used to load it again. Here the first test of a process
loads it and keeps a snapshot of the whole database; the later ones get the snapshot back:

* SQLite (the in-memory test database): the sqlite3 backup API copies the database to a second
  in-memory database and back, in milliseconds, sequences and everything else included;
* PostgreSQL: each table is copied to a schema of its own in the test database (out of the search
  path, so Django never sees it); a restore empties the tables and copies the rows back in one
  transaction (the foreign keys are checked at its end), then moves the sequences past them;
* any other database: the rows serialised as Django's ``serialized_rollback`` does.

Each test still starts from the demo exactly as ``load_demo()`` leaves it and may change it at
will: nothing of one test reaches the next. Call it before any Playwright block (the ORM is
refused inside one).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

_snapshot: Any = None  # this process's copy of the loaded demo: a sqlite3 connection or serialised rows


def load_committed_demo() -> None:
    """The demo, committed, as ``load_demo()`` leaves it: loaded by the first caller of the process,
    restored from the snapshot for the others."""
    global _snapshot
    assert not connection.in_atomic_block, "the committed demo is for transactional_db or live_server tests"
    if _snapshot is None:
        from kotacerdas.demo.loader import load_demo

        load_demo()
        _snapshot = _take()
    else:
        _restore(_snapshot)
    ContentType.objects.clear_cache()


SCHEMA = "kotacerdas_demo_snapshot"


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _take() -> Any:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return copy
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SCHEMA}")
            for table in _tables():
                cursor.execute(f"CREATE TABLE {SCHEMA}.{quote(table)} AS TABLE {quote(table)}")
        return SCHEMA
    return connection.creation.serialize_db_to_string()


def _restore(snapshot: Any) -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        snapshot.backup(connection.connection)
        return
    # As TransactionTestCase does for serialized_rollback: empty without re-creating content types
    # and permissions (they are in the snapshot), put the rows back, then the sequences past them.
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            with connection.cursor() as cursor:
                for table in _tables():
                    sql = f"INSERT INTO {quote(table)} SELECT * FROM {snapshot}.{quote(table)}"  # noqa: S608 (our own table names)
                    cursor.execute(sql)
        else:
            connection.creation.deserialize_db_from_string(snapshot)
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
