"""Every table of the install, read the same way on SQLite and PostgreSQL.

Backups, restores and the move to PostgreSQL must prove that nothing was lost or changed. They
compare tables by row count and by a checksum of the rows in a canonical form: each row through
the model's fields (so a SQLite ``1`` and a PostgreSQL ``true`` are both ``True``), written as one
JSON line (decimals without trailing zeros, times in UTC ISO form, JSON values with sorted keys).
The checksum of a table is the sum of its rows' SHA-256 modulo 2**256: it does not depend on the
order rows come back in (the databases sort text differently), and every row changes it.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connections, models
from django.db.utils import ConnectionHandler

# Rows that `migrate` itself writes (and the cache and sessions, which are not data): a database
# that holds nothing else is empty for a restore or a move.
MIGRATE_FILLS = {"django_migrations", "django_content_type", "auth_permission", "django_session"}


@dataclass(frozen=True)
class TableSummary:
    rows: int
    checksum: str


def copied_models() -> list[type[models.Model]]:
    """Every model whose rows live in a table of its own (many-to-many tables included), in
    dependency order: a model comes after the models its foreign keys point to, where possible."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]
    ordered: list[type[models.Model]] = []
    placed: set[type[models.Model]] = set()

    def place(model: type[models.Model], path: tuple[type[models.Model], ...]) -> None:
        if model in placed or model in path:
            return  # placed already, or a cycle (PostgreSQL checks foreign keys at commit anyway)
        for field in model._meta.local_concrete_fields:
            target = field.related_model if field.is_relation else None
            if isinstance(target, type) and target in found and target is not model:
                place(target, (*path, model))
        placed.add(model)
        ordered.append(model)

    for model in sorted(found, key=lambda m: m._meta.label):
        place(model, ())
    return ordered


def _plain(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return "D" + format(value.normalize(), "f") if value.is_finite() else "D" + str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return "T" + value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return "T" + value.isoformat()
    if isinstance(value, datetime.timedelta):
        return ["timedelta", value.days, value.seconds, value.microseconds]
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return "B" + bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return value


def canonical_rows(model: type[models.Model], using: str = "default") -> Iterator[str]:
    """Each row of ``model``'s table as one canonical JSON line, in primary-key order."""
    fields = [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]
    names = [f.attname for f in fields]
    rows = model._base_manager.using(using).order_by("pk").values_list(*names)
    for row in rows.iterator(chunk_size=2000):
        yield json.dumps([_plain(v) for v in row], sort_keys=True, ensure_ascii=False, default=str)


def summarise(model: type[models.Model], using: str = "default") -> TableSummary:
    total = 0
    count = 0
    for line in canonical_rows(model, using):
        total = (total + int.from_bytes(hashlib.sha256(line.encode()).digest(), "big")) % 2**256
        count += 1
    return TableSummary(rows=count, checksum=f"{total:064x}")


def summarise_all(using: str = "default") -> dict[str, TableSummary]:
    """Row count and checksum of every model table, by table name."""
    return {m._meta.db_table: summarise(m, using) for m in copied_models()}


def row_counts(using: str = "default") -> dict[str, int]:
    """The number of rows of every table in the database, models or not (the cache table too)."""
    connection = connections[using]
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in sorted(t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a table name)
            counts[table] = int(cursor.fetchone()[0])
    return counts


def holds_data(counts: dict[str, int], cache_table: str = "") -> dict[str, int]:
    """The tables of ``counts`` with rows a person or a job wrote (not what `migrate` fills)."""
    skipped = MIGRATE_FILLS | {cache_table}
    return {t: n for t, n in counts.items() if n and t not in skipped and not t.startswith("sqlite_")}


def add_connection(alias: str, config: dict[str, Any]) -> None:
    """Make ``connections[alias]`` a second database (the target of a move), Django's defaults filled in."""
    filled = ConnectionHandler().configure_settings({"default": dict(config), alias: dict(config)})[alias]
    connections.databases[alias] = filled
    with contextlib.suppress(AttributeError):
        del connections[alias]  # a connection made earlier under the same name, to another database
