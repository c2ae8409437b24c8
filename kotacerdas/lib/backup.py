"""Backups of a whole install, and restoring one: the database and the uploaded files in one archive.

The archive is a ZIP file (``kotacerdas backup OUT``) holding

- ``database/kotacerdas.sqlite3``: on SQLite, a copy made with SQLite's online backup API, so a
  running server and worker can be backed up; or ``database/kotacerdas.pgdump``: on PostgreSQL,
  ``pg_dump --format=custom`` taken from the same snapshot the row counts are read in;
- ``media/<name>``: every file of the default storage (``STORAGES["default"]``, usually
  ``MEDIA_ROOT``), under its stored name (``<app>/<region id>/<random>.<ext>``, lib/files.py);
- ``manifest.json``: the format and KotaCerdas version, the database engine, when, the migrations
  applied per app, the rows of every table and the SHA-256 and size of every other member.

``kotacerdas restore IN`` checks every member against the manifest before it changes anything,
refuses an archive of a newer schema than this code, a database of the other engine, and a
target that holds data unless forced; then replaces the database and the files, checks the row
counts, applies the migrations this code has beyond the archive's, and records the restore in the
audit trail. See docs/operations.md for the schedule and the restore drill.
"""

from __future__ import annotations

import datetime
import getpass
import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import connections
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

import kotacerdas
from kotacerdas.lib import tables

FORMAT = "kotacerdas-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/kotacerdas.sqlite3"
POSTGRES_MEMBER = "database/kotacerdas.pgdump"
MEDIA = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """An archive or a target this module refuses, or a tool that failed; the message says what to do."""


@dataclass
class Outcome:
    """What a backup or a restore did, for the command's text and ``--json``."""

    archive: str
    seconds: float = 0.0
    size: int = 0
    sha256: str = ""
    engine: str = ""
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    replaced: bool = False
    migrations_applied: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)


# --- the database -------------------------------------------------------------------------------


def engine(using: str = "default") -> str:
    vendor = connections[using].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def postgres_tool(name: str) -> str:
    """The newest installed ``pg_dump``/``pg_restore`` (a dump needs a tool at least as new as the server)."""
    found = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: [int(x) for x in re.findall(r"\d+", p)])
    if found:
        return found[-1]
    which = shutil.which(name)
    if which:
        return which
    raise BackupError(
        f"{name} was not found: install the PostgreSQL client programs (e.g. apt-get install postgresql-client)."
    )


def _postgres_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    _args, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(extra or {})}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (our own arguments)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")


def _migrations_of(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in sorted(rows):
        state.setdefault(app, []).append(name)
    return state


def _sqlite_snapshot(dest: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Copy the live SQLite database to ``dest`` (online backup API); its row counts and migrations."""
    connection = connections["default"]
    connection.ensure_connection()
    target = sqlite3.connect(dest)
    try:
        connection.connection.backup(target)
        names = [
            r[0]
            for r in target.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        counts = {n: int(target.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0]) for n in sorted(names)}  # noqa: S608
        migrations = (
            list(target.execute("SELECT app, name FROM django_migrations")) if "django_migrations" in names else []
        )
    finally:
        target.close()
    return counts, _migrations_of(migrations)


def _postgres_snapshot(dest: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    """``pg_dump`` to ``dest`` from an exported snapshot, and the row counts and migrations read in it."""
    connection = connections["default"]
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        cursor = raw.cursor()
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        names = [n for n in connection.introspection.table_names(cursor) if not n.startswith("sqlite_")]
        counts: dict[str, int] = {}
        for name in sorted(names):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608 (a table name)
            counts[name] = int(cursor.fetchone()[0])
        migrations: list[tuple[str, str]] = []
        if "django_migrations" in counts:
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = list(cursor.fetchall())
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        # Only the schema Django's tables live in: whatever else shares the database is not ours.
        args = [postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--schema={schema}"]
        _run([*args, f"--snapshot={snapshot}", f"--file={dest}"], _postgres_env(connection.settings_dict))
        cursor.execute("COMMIT")
    finally:
        raw.close()
    return counts, _migrations_of(migrations)


# --- the files ----------------------------------------------------------------------------------


def stored_files(storage: Storage | None = None) -> Iterator[str]:
    """The name of every file in the storage (default: ``STORAGES["default"]``), sorted per folder."""
    storage = storage or default_storage

    def walk(prefix: str) -> Iterator[str]:
        try:
            folders, names = storage.listdir(prefix)
        except (FileNotFoundError, NotADirectoryError):
            return
        for name in sorted(names):
            yield f"{prefix}/{name}" if prefix else name
        for folder in sorted(folders):
            yield from walk(f"{prefix}/{folder}" if prefix else folder)

    yield from walk("")


def safe_member_name(name: str) -> str:
    """The storage name of a ``media/`` member; BackupError for a name that would leave the storage.

    Backups write names exactly as the storage lists them, so anything else (``..``, ``.``, an
    empty part, a backslash, an absolute path) is a forged archive, refused rather than cleaned."""
    stored = name[len(MEDIA) :]
    if not name.startswith(MEDIA) or "\\" in name or any(part in {"", ".", ".."} for part in stored.split("/")):
        raise BackupError(
            f"The archive names a file outside the upload storage ({name!r}); it is not a KotaCerdas backup."
        )
    return stored


# --- writing an archive -------------------------------------------------------------------------


def _copy_into(archive: zipfile.ZipFile, name: str, source: IO[bytes], compress: bool) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo(name, date_time=time.gmtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with archive.open(info, "w", force_zip64=True) as member:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            member.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def default_name(now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    return f"kotacerdas-backup-{now.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}.zip"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def backup(target: str | Path) -> Outcome:
    """Write the database and every uploaded file to a new archive at ``target`` (a file or a folder)."""
    started = time.monotonic()
    out = Path(target)
    if str(target).endswith(("/", os.sep)) and not out.is_dir():
        raise BackupError(f"The folder {out} does not exist.")
    if out.is_dir():
        out = out / default_name()
    if out.exists():
        raise BackupError(f"{out} exists already; name a new file or a folder.")
    if not out.parent.is_dir():
        raise BackupError(f"The folder {out.parent} does not exist.")
    vendor = engine()
    partial = out.with_name(out.name + ".partial")
    members: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="kotacerdas-backup-") as work:
        dump = Path(work) / "database"
        counts, migrations = _sqlite_snapshot(dump) if vendor == "sqlite" else _postgres_snapshot(dump)
        member = SQLITE_MEMBER if vendor == "sqlite" else POSTGRES_MEMBER
        try:
            with zipfile.ZipFile(partial, "x", allowZip64=True) as archive:
                with dump.open("rb") as handle:
                    # pg_dump's custom format is compressed already; a SQLite file shrinks well.
                    members[member] = _copy_into(archive, member, handle, compress=vendor == "sqlite")
                for name in stored_files():
                    with default_storage.open(name, "rb") as handle:
                        members[MEDIA + name] = _copy_into(archive, MEDIA + name, handle, compress=False)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "kotacerdas_version": kotacerdas.__version__,
                    "created_at": timezone.now().astimezone(datetime.UTC).isoformat(),
                    "database": {"engine": vendor, "member": member},
                    "migrations": migrations,
                    "tables": counts,
                    "members": members,
                }
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True), zipfile.ZIP_DEFLATED)
            partial.replace(out)
        finally:
            partial.unlink(missing_ok=True)
    media = [m for n, m in members.items() if n.startswith(MEDIA)]
    return Outcome(
        archive=str(out),
        seconds=round(time.monotonic() - started, 2),
        size=out.stat().st_size,
        sha256=file_sha256(out),
        engine=vendor,
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(media),
        file_bytes=sum(m["size"] for m in media),
        manifest=manifest,
    )


# --- reading and checking an archive ------------------------------------------------------------


def _open(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise BackupError(f"There is no file {path}.")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(f"{path} is not a KotaCerdas backup (not a readable ZIP archive: {error}).") from None


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError("The archive has no manifest.json: it is not a KotaCerdas backup.") from None
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise BackupError(f"The manifest of the archive is damaged ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("The archive's manifest is not a KotaCerdas backup manifest.")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"The archive is in backup format {version!r}; this KotaCerdas ({kotacerdas.__version__}) reads "
            f"format {FORMAT_VERSION} and older. Upgrade KotaCerdas first."
        )
    for key, kind in (("members", dict), ("tables", dict), ("migrations", dict), ("database", dict)):
        if not isinstance(manifest.get(key), kind):
            raise BackupError(f"The archive's manifest has no valid {key!r}.")
    if manifest["database"].get("engine") not in {"sqlite", "postgresql"}:
        raise BackupError("The archive's manifest names no database engine KotaCerdas knows.")
    return manifest


def _extract(archive: zipfile.ZipFile, name: str, expected: dict[str, Any], sink: IO[bytes] | None) -> None:
    """Read member ``name`` (into ``sink`` if given) and check its size and SHA-256 against the manifest."""
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(name) as member:
            while chunk := member.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if sink is not None:
                    sink.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
        raise BackupError(f"The archive is damaged: {name} cannot be read ({error}).") from None
    if digest.hexdigest() != expected.get("sha256") or size != expected.get("size"):
        raise BackupError(f"The archive is damaged: {name} does not match its checksum in the manifest.")


def verify(path: Path) -> dict[str, Any]:
    """The manifest of the archive at ``path`` once every member matches it; BackupError otherwise."""
    with _open(path) as archive:
        manifest = read_manifest(archive)
        listed = set(manifest["members"])
        present = {i.filename for i in archive.infolist() if not i.is_dir()} - {MANIFEST}
        if present != listed:
            extra = sorted(present - listed)[:3]
            missing = sorted(listed - present)[:3]
            raise BackupError(
                "The archive is damaged: its members do not agree with the manifest "
                f"(not listed: {extra or 'none'}; missing: {missing or 'none'})."
            )
        database = manifest["database"].get("member")
        if database not in listed:
            raise BackupError("The archive holds no database.")
        for name in sorted(listed):
            if name != database:
                safe_member_name(name)
            _extract(archive, name, manifest["members"][name], None)
    return manifest


def schema_problem(manifest: dict[str, Any]) -> list[str]:
    """The migrations the archive's database has and this code does not (a newer schema)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(
        f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names if (app, name) not in known
    )


# --- restoring ----------------------------------------------------------------------------------


def cache_table() -> str:
    """The database cache's table (not data: neither a reason to refuse a target nor copied)."""
    cache: dict[str, Any] = dict(settings.CACHES.get("default", {}))
    return str(cache.get("LOCATION", "")) if str(cache.get("BACKEND", "")).endswith("DatabaseCache") else ""


def target_contents() -> tuple[dict[str, int], list[str]]:
    """What the target install holds: tables with data (beyond what `migrate` fills) and files."""
    counts = tables.row_counts()
    return tables.holds_data(counts, cache_table()), list(stored_files())


def _restore_sqlite(archive: zipfile.ZipFile, manifest: dict[str, Any], work: Path) -> None:
    copy = work / "restore.sqlite3"
    with copy.open("wb") as sink:
        _extract(archive, SQLITE_MEMBER, manifest["members"][SQLITE_MEMBER], sink)
    source = sqlite3.connect(copy)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("The database in the archive is damaged (SQLite quick_check failed).")
        connection = connections["default"]
        connection.ensure_connection()
        # The backup API in the other direction: every page of the live database is replaced in
        # one step, under SQLite's own lock, whatever it held before.
        source.backup(connection.connection)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"The database could not be restored: {error}.") from None
    finally:
        source.close()


def _restore_postgres(archive: zipfile.ZipFile, manifest: dict[str, Any], work: Path) -> None:
    """Drop KotaCerdas's tables and load the dump in one transaction: all replaced, or nothing changed.

    ``pg_restore`` writes the dump as SQL and ``psql --single-transaction`` runs the drops and that
    SQL together (``pg_restore --single-transaction`` alone could not drop the old tables in the
    same transaction, and a failed load would leave an empty database)."""
    dump = work / "restore.pgdump"
    with dump.open("wb") as sink:
        _extract(archive, POSTGRES_MEMBER, manifest["members"][POSTGRES_MEMBER], sink)
    connection = connections["default"]
    env = _postgres_env(connection.settings_dict)
    restore_tool, psql = postgres_tool("pg_restore"), postgres_tool("psql")
    listed = subprocess.run(  # noqa: S603 (our own arguments)
        [restore_tool, "--list", str(dump)], env=env, capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        raise BackupError(f"pg_restore cannot read the database in the archive: {listed.stderr.strip()}")
    # The schema itself exists already (the dump names it because pg_dump was told which one).
    entries = [
        line
        for line in listed.stdout.splitlines()
        if not re.search(r"^\d+; \d+ \d+ (SCHEMA|COMMENT) - (SCHEMA )?\S+ ", line)
    ]
    contents = work / "restore.list"
    contents.write_text("\n".join(entries) + "\n", encoding="utf-8")
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    drops = work / "drop.sql"
    drops.write_text(
        "".join(f"DROP TABLE IF EXISTS {connection.ops.quote_name(n)} CASCADE;\n" for n in names), encoding="utf-8"
    )
    connection.close()  # the restore runs on psql's connection; ours must hold no lock meanwhile
    script = subprocess.Popen(  # noqa: S603 (our own arguments)
        [restore_tool, "--no-owner", "--no-privileges", f"--use-list={contents}", "--file=-", str(dump)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    load = subprocess.run(  # noqa: S603 (our own arguments)
        [
            psql,
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--file={drops}",
            "--file=-",
        ],
        env=env,
        stdin=script.stdout,
        capture_output=True,
        text=True,
        check=False,
    )
    if script.stdout is not None:
        script.stdout.close()
    script_errors = script.stderr.read().decode(errors="replace") if script.stderr is not None else ""
    if script.wait() != 0 or load.returncode != 0:
        raise BackupError(
            "The database could not be restored and was left as it was: "
            + (script_errors.strip() or load.stderr.strip() or load.stdout.strip())
        )


def _restore_files(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> tuple[int, int]:
    count = size = 0
    for name, expected in sorted(manifest["members"].items()):
        if not name.startswith(MEDIA):
            continue
        stored = safe_member_name(name)
        with tempfile.TemporaryFile() as buffer:
            _extract(archive, name, expected, buffer)
            buffer.seek(0)
            saved = default_storage.save(stored, File(buffer, name=stored))
        if saved != stored:
            raise BackupError(
                f"The file {stored} could not be restored under its own name (the storage chose {saved})."
            )
        count += 1
        size += int(expected["size"])
    return count, size


def restore(path: Path, *, force: bool = False) -> Outcome:
    """Replace the database and the uploaded files with the archive's, after checking everything."""
    started = time.monotonic()
    manifest = verify(path)
    newer = schema_problem(manifest)
    if newer:
        raise BackupError(
            f"The archive comes from a newer KotaCerdas ({manifest.get('kotacerdas_version')}): its database has "
            f"migrations this version does not know ({', '.join(newer[:5])}{', …' if len(newer) > 5 else ''}). "
            "Upgrade KotaCerdas first, then restore."
        )
    vendor = engine()
    if manifest["database"]["engine"] != vendor:
        raise BackupError(
            f"The archive holds a {manifest['database']['engine']} database and this install runs on {vendor}: "
            "restore it into an install of the same kind (`kotacerdas migrate-to-postgres` then moves SQLite "
            "to PostgreSQL)."
        )
    data, present = target_contents()
    if (data or present) and not force:
        sample = ", ".join(f"{t} ({n} rows)" for t, n in sorted(data.items())[:3])
        raise BackupError(
            "The target is not empty: "
            + "; ".join(
                part
                for part in (
                    f"{len(data)} tables hold data, e.g. {sample}" if data else "",
                    f"{len(present)} uploaded files are stored" if present else "",
                )
                if part
            )
            + ". Restore into an empty install, or pass --force to replace everything (take a backup first)."
        )
    with _open(path) as archive, tempfile.TemporaryDirectory(prefix="kotacerdas-restore-") as work:
        if vendor == "sqlite":
            _restore_sqlite(archive, manifest, Path(work))
        else:
            _restore_postgres(archive, manifest, Path(work))
        for name in present:
            default_storage.delete(name)
        files, file_bytes = _restore_files(archive, manifest)
    counts = tables.row_counts()
    expected = {str(t): int(n) for t, n in manifest["tables"].items()}
    if counts != expected:
        differ = sorted(t for t in set(counts) | set(expected) if counts.get(t) != expected.get(t))
        raise BackupError(f"The restored database does not match the manifest in {len(differ)} tables: {differ[:5]}.")
    connection = connections["default"]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    applied = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
    if applied:
        call_command("migrate", interactive=False, verbosity=0)
    outcome = Outcome(
        archive=str(path),
        seconds=0.0,
        size=path.stat().st_size,
        sha256=file_sha256(path),
        engine=vendor,
        tables=len(counts),
        rows=sum(counts.values()),
        files=files,
        file_bytes=file_bytes,
        replaced=bool(data or present),
        migrations_applied=applied,
        manifest={k: v for k, v in manifest.items() if k != "members"},
    )
    _record(outcome, manifest)
    outcome.seconds = round(time.monotonic() - started, 2)
    return outcome


def _record(outcome: Outcome, manifest: dict[str, Any]) -> None:
    from kotacerdas.audit.services import record

    try:
        os_user = getpass.getuser()
    except (KeyError, OSError):
        os_user = ""
    record(
        actor=None,
        action="restore",
        obj=None,
        about=("backup archive", outcome.sha256[:16], Path(outcome.archive).name),
        after={
            "archive": outcome.archive,
            "archive_sha256": outcome.sha256,
            "archive_created_at": manifest.get("created_at"),
            "archive_kotacerdas_version": manifest.get("kotacerdas_version"),
            "via": "kotacerdas restore (command line)",
            "os_user": os_user,
            "host": socket.gethostname(),
            "replaced_data": outcome.replaced,
            "rows": outcome.rows,
            "files": outcome.files,
            "migrations_applied": outcome.migrations_applied,
        },
    )
