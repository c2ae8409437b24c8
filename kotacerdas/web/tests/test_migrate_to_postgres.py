"""`kotacerdas migrate-to-postgres URL`: a laptop's SQLite install moves to PostgreSQL, every row and file kept.

The move itself needs a PostgreSQL server whose role may create databases: the one of
KOTACERDAS_DATABASE_URL (the PostgreSQL step of CI) or KOTACERDAS_TEST_POSTGRES_URL. The laptop is
made the way a city makes it (`kotacerdas setup`, `kotacerdas demo`, in a process of its own on a
SQLite file), moved with the command, and then both databases are read side by side.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from kotacerdas import cli
from kotacerdas.lib import tables
from kotacerdas.regions.models import Region


def _postgres_url() -> str:
    for variable in ("KOTACERDAS_TEST_POSTGRES_URL", "KOTACERDAS_DATABASE_URL"):
        value = os.environ.get(variable, "")
        if value.startswith(("postgres://", "postgresql://")):
            return value
    return ""


POSTGRES_URL = _postgres_url()
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="needs a PostgreSQL server: set KOTACERDAS_DATABASE_URL (as the PostgreSQL step of CI does) or "
    "KOTACERDAS_TEST_POSTGRES_URL to a postgres:// URL whose role may create databases",
)
PDF = b"%PDF-1.4\n" + os.urandom(5000) + b"\n%%EOF\n"


def kotacerdas(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kotacerdas.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.fixture
def scratch_database() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards; its URL."""
    import psycopg

    parts = urlsplit(POSTGRES_URL)
    name = f"kotacerdas_move_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(
        dbname=parts.path.lstrip("/"),
        user=parts.username,
        password=parts.password,
        host=parts.hostname,
        port=parts.port,
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    finally:
        for alias in ("laptop", "moved"):
            if alias in connections.databases:
                connections[alias].close()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def laptop(tmp_path: Path) -> dict[str, str]:
    """A laptop install with the demo and two uploaded files; the environment its commands run in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOTACERDAS_", "DJANGO_SETTINGS"))}
    env.update(KOTACERDAS_DEBUG="true", KOTACERDAS_DATA_DIR=str(tmp_path / "laptop"))
    for verb in ("setup", "demo"):
        done = kotacerdas(env, verb)
        assert done.returncode == 0, done.stderr
    media = tmp_path / "laptop" / "media"
    for name in (
        "decrees/1/a1b2c3d4e5f60718293a4b5c6d7e8f90.pdf",
        "assessments/2/b1b2c3d4e5f60718293a4b5c6d7e8f90.pdf",
    ):
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(PDF + name.encode())
    return env


def digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@needs_postgres
def test_a_laptop_install_moves_to_postgres_with_every_row_and_file(
    laptop: dict[str, str], scratch_database: str, tmp_path: Path, django_db_blocker: Any
) -> None:
    new_media = tmp_path / "server-media"
    # A value SQLite keeps and PostgreSQL refuses (a NUL character): the move names the table and
    # commits nothing; once the row is corrected the move goes through.
    laptop_db = sqlite3.connect(laptop_database(tmp_path))
    opd, name = laptop_db.execute("SELECT id, name FROM regions_opd ORDER BY id LIMIT 1").fetchone()
    laptop_db.execute("UPDATE regions_opd SET name = ? WHERE id = ?", (name + "\x00", opd))
    laptop_db.commit()
    failed = kotacerdas(laptop, "migrate-to-postgres", scratch_database)
    assert failed.returncode == 2 and "regions_opd" in failed.stderr and "nothing was copied" in failed.stderr
    laptop_db.execute("UPDATE regions_opd SET name = ? WHERE id = ?", (name, opd))
    laptop_db.commit()
    laptop_db.close()

    done = kotacerdas(laptop, "migrate-to-postgres", scratch_database, "--media-root", str(new_media), "--json")

    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["rows"] > 1000 and report["files"] == 2 and report["files_copied"] is True
    assert "***" in report["target"] or urlsplit(scratch_database).password is None
    assert digests(new_media) == digests(tmp_path / "laptop" / "media")
    with django_db_blocker.unblock():
        tables.add_connection("laptop", {"ENGINE": "django.db.backends.sqlite3", "NAME": laptop_database(tmp_path)})
        from kotacerdas.lib.env import parse_database_url

        tables.add_connection("moved", parse_database_url(scratch_database, variable="URL"))
        for model in tables.copied_models():
            here = list(tables.canonical_rows(model, "laptop"))
            there = list(tables.canonical_rows(model, "moved"))
            assert here == there, model._meta.db_table
        assert sum(t["rows"] for t in report["tables"]) == sum(
            tables.summarise(m, "laptop").rows for m in tables.copied_models()
        )
        # The sequences were moved past the copied ids: a new row gets a new id.
        highest = Region.objects.using("moved").order_by("-pk").first()
        added = Region.objects.using("moved").create(
            code="99.01", name="Baru", kind="kota", province="X", time_zone="WIB"
        )
        assert highest is not None and added.pk > highest.pk

    again = kotacerdas(laptop, "migrate-to-postgres", scratch_database)

    assert again.returncode == 2
    assert "not empty" in again.stderr


def laptop_database(tmp_path: Path) -> str:
    return str(tmp_path / "laptop" / "kotacerdas.sqlite3")


@pytest.mark.django_db
def test_it_refuses_a_url_that_is_not_postgres_with_exit_code_2() -> None:
    for url in ("mysql://u:p@localhost/k", "sqlite:///other.sqlite3", "postgres://u:p@localhost/"):
        with pytest.raises(CommandError) as caught:
            call_command("migrate_to_postgres", url, stdout=io.StringIO())
        assert caught.value.returncode == 2
        assert "URL" in str(caught.value)


def test_the_verb_is_written_with_hyphens_on_the_command_line(capsys: Any) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["migrate-to-postgres", "mysql://u:p@localhost/k"])

    assert caught.value.code == 2
    assert "unsupported database scheme" in capsys.readouterr().err
