"""Moving a laptop install from SQLite to PostgreSQL: ``kotacerdas migrate-to-postgres URL``.

A city that outgrows its laptop keeps everything: the target database is migrated to the same
schema, the rows `migrate` put there (content types, permissions) are replaced by the source's,
every model table is copied with its ids in dependency order (PostgreSQL checks the foreign keys
at commit, so the odd cycle does no harm), the sequences are set past the highest ids, and each
table is compared by row count and checksum (lib/tables.py) before the copy commits. A target
that holds data is refused. Uploaded files stay where they are unless ``--media-root`` names the
new install's folder, where they are copied and checked by SHA-256.

The copy is one transaction on each side: the source is read in one snapshot (stop the app and
the worker first; a running one waits for the lock) and the target commits all or nothing.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from kotacerdas.lib import tables
from kotacerdas.lib.backup import CHUNK, cache_table, stored_files
from kotacerdas.lib.env import ConfigError, parse_database_url

TARGET = "migrate_to_postgres"


class MoveError(Exception):
    """A move refused (bad URL, target with data, source not ready) or failed; nothing was committed."""


@dataclass
class TableCopied:
    table: str
    rows: int
    checksum: str


@dataclass
class MoveReport:
    target: str
    tables: list[TableCopied] = field(default_factory=list)
    sequences: int = 0
    files: int = 0
    file_bytes: int = 0
    media_root: str = ""
    files_copied: bool = False
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def masked(url: str) -> str:
    """The URL without its password, for reports and errors."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _target_config(url: str) -> dict[str, Any]:
    try:
        config = parse_database_url(url, variable="URL")
    except ConfigError as error:
        raise MoveError(str(error)) from None
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise MoveError("URL: name a PostgreSQL database, e.g. postgres://user:password@host:5432/kotacerdas.")
    config.pop("CONN_MAX_AGE", None)
    config.pop("CONN_HEALTH_CHECKS", None)
    return config


def _check_source() -> None:
    source = connections["default"]
    if source.vendor != "sqlite":
        raise MoveError(f"This install runs on {source.vendor}, not SQLite: there is nothing to move.")
    executor = MigrationExecutor(source)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise MoveError("The SQLite database has migrations not yet applied: run `kotacerdas migrate` first.")


def _copy_table(model: Any) -> int:
    fields = [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]
    batch_size = max(1, min(1000, 60000 // max(1, len(fields))))  # PostgreSQL takes at most 65535 parameters
    batch: list[Any] = []
    copied = 0
    for obj in model._base_manager.using("default").order_by("pk").iterator(chunk_size=2000):
        batch.append(obj)
        if len(batch) >= batch_size:
            copied += _insert(model, batch, fields)
            batch = []
    if batch:
        copied += _insert(model, batch, fields)
    return copied


def _insert(model: Any, batch: list[Any], fields: list[Any]) -> int:
    # ``raw=True`` writes the values as they are, as `loaddata` does (Model.save_base(raw=True)):
    # bulk_create would stamp auto_now(_add) fields with the time of the move.
    model._base_manager._insert(batch, fields=fields, using=TARGET, raw=True)
    return len(batch)


def _copy_files(media_root: Path, report: MoveReport) -> None:
    target = FileSystemStorage(location=media_root)
    for name in stored_files():
        with default_storage.open(name, "rb") as source:
            digest = hashlib.sha256()
            while chunk := source.read(CHUNK):
                digest.update(chunk)
            source.seek(0)
            saved = target.save(name, File(source, name=name))
        if saved != name:
            raise MoveError(f"The file {name} could not be copied under its own name.")
        check = hashlib.sha256()
        with target.open(name, "rb") as copy:
            while chunk := copy.read(CHUNK):
                check.update(chunk)
        if check.hexdigest() != digest.hexdigest():
            raise MoveError(f"The copy of {name} differs from the original.")
        report.files += 1
        report.file_bytes += target.size(name)


def move(url: str, *, media_root: Path | None = None) -> MoveReport:
    """Copy this SQLite install's data to the PostgreSQL database at ``url`` and check it."""
    started = time.monotonic()
    config = _target_config(url)
    _check_source()
    tables.add_connection(TARGET, config)
    report = MoveReport(target=masked(url))
    try:
        try:
            connections[TARGET].ensure_connection()
        except DatabaseError as error:
            raise MoveError(f"Cannot connect to {report.target}: {str(error).strip()}") from None
        held = tables.holds_data(tables.row_counts(TARGET), cache_table())
        if held:
            sample = ", ".join(f"{t} ({n} rows)" for t, n in sorted(held.items())[:3])
            raise MoveError(
                f"The target database is not empty: {len(held)} tables hold data, e.g. {sample}. "
                "Move into a new, empty database."
            )
        current = Path(str(getattr(default_storage, "location", ""))).resolve()
        copy_files = media_root is not None and media_root.resolve() != current
        if copy_files and media_root is not None and any(stored_files(FileSystemStorage(location=media_root))):
            raise MoveError(f"The folder {media_root} already holds files; name an empty folder.")
        call_command("migrate", database=TARGET, interactive=False, verbosity=0)
        call_command("createcachetable", database=TARGET, verbosity=0)
        models = tables.copied_models()
        target = connections[TARGET]
        with transaction.atomic(using="default"), transaction.atomic(using=TARGET):
            names = ", ".join(target.ops.quote_name(m._meta.db_table) for m in models)
            with target.cursor() as cursor:
                # What `migrate` wrote (content types, permissions, data migrations) makes way for
                # the source's rows with their own ids.
                cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            for model in models:
                try:
                    _copy_table(model)
                except (DatabaseError, ValueError) as error:
                    raise MoveError(
                        f"The rows of {model._meta.db_table} could not be written to PostgreSQL, so nothing was "
                        f"copied: {str(error).strip()}. Correct that row here and run the move again."
                    ) from None
            statements = target.ops.sequence_reset_sql(no_style(), models)
            with target.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            report.sequences = len(statements)
            differ: list[str] = []
            for model in models:
                source_summary = tables.summarise(model, "default")
                target_summary = tables.summarise(model, TARGET)
                if source_summary != target_summary:
                    differ.append(
                        f"{model._meta.db_table} ({source_summary.rows} rows here, {target_summary.rows} there)"
                    )
                report.tables.append(TableCopied(model._meta.db_table, source_summary.rows, source_summary.checksum))
            if differ:
                raise MoveError(f"The copy differs from the source in {len(differ)} tables: {'; '.join(differ[:5])}.")
        report.media_root = str(media_root.resolve() if copy_files and media_root else current)
        if copy_files and media_root is not None:
            _copy_files(media_root, report)
            report.files_copied = True
        else:
            for name in stored_files():
                report.files += 1
                report.file_bytes += default_storage.size(name)
    except DatabaseError as error:
        raise MoveError(f"The move failed and nothing was committed: {str(error).strip()}") from None
    finally:
        connections[TARGET].close()
    report.seconds = round(time.monotonic() - started, 2)
    return report
