"""Configuration: typed readers, start-up failures that name the variable, check --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kotacerdas.lib.env import ConfigError, Env, parse_database_url

ROOT = Path(__file__).resolve().parents[3]


def env(**values: str) -> Env:
    return Env({f"KOTACERDAS_{k}": v for k, v in values.items()})


def test_database_defaults_to_sqlite_and_reads_postgres_urls(tmp_path):
    assert env().database("DATABASE_URL", tmp_path / "x.db")["ENGINE"] == "django.db.backends.sqlite3"
    config = parse_database_url("postgres://kc:s%40cret@db.example:5433/kotacerdas?sslmode=require", variable="V")
    assert config["NAME"] == "kotacerdas" and config["PASSWORD"] == "s@cret" and config["PORT"] == "5433"
    assert config["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda: env(DEBUG="maybe").bool("DEBUG", default=False), "KOTACERDAS_DEBUG"),
        (lambda: env(EMAIL_PORT="twenty").int("EMAIL_PORT", 25), "KOTACERDAS_EMAIL_PORT"),
        (lambda: env(EMAIL_PORT="0").int("EMAIL_PORT", 25, minimum=1), "KOTACERDAS_EMAIL_PORT"),
        (lambda: env(TIME_ZONE="Mars/Olympus").timezone("TIME_ZONE", "Asia/Jakarta"), "KOTACERDAS_TIME_ZONE"),
        (lambda: env(DATABASE_URL="mysql://x/y").database("DATABASE_URL", Path("x")), "KOTACERDAS_DATABASE_URL"),
        (lambda: env(DATABASE_URL="postgres://h:port/db").database("DATABASE_URL", Path("x")), "port"),
        (lambda: env().str("SECRET_KEY"), "KOTACERDAS_SECRET_KEY"),
    ],
)
def test_bad_values_are_rejected_with_the_variable_named(call, needle):
    with pytest.raises(ConfigError, match=needle):
        call()


def _run(args: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("KOTACERDAS_", "DJANGO_"))}
    environment.update(extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_a_malformed_setting_stops_start_up_naming_the_variable():
    result = _run(["check"], KOTACERDAS_DEBUG="true", KOTACERDAS_EMAIL_PORT="abc")
    assert result.returncode == 2
    assert "KOTACERDAS_EMAIL_PORT" in result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    result = _run(["check"], KOTACERDAS_ALLOWED_HOSTS="kotacerdas.example")
    assert result.returncode == 2
    assert "KOTACERDAS_SECRET_KEY" in result.stderr


def test_check_deploy_reports_nothing_with_debug_off(tmp_path):
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        KOTACERDAS_SECRET_KEY="k" * 20 + "a-long-and-random-production-secret-0123456789",
        KOTACERDAS_ALLOWED_HOSTS="kotacerdas.example",
        KOTACERDAS_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _cli(args: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("KOTACERDAS_", "DJANGO_"))}
    environment.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "kotacerdas.cli", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_needs_no_configuration_on_a_laptop():
    example = ROOT / "kotacerdas" / "quickwins" / "examples" / "solok-2025.json"
    result = _cli(["quickwins", "select", str(example), "--json"])
    assert result.returncode == 0, result.stderr
    assert '"status"' in result.stdout


def test_the_command_keeps_the_server_rules_once_anything_is_configured():
    result = _cli(["check"], KOTACERDAS_DATABASE_URL="postgres://kc@db.example:5432/kotacerdas")
    assert result.returncode == 2
    assert "KOTACERDAS_SECRET_KEY" in result.stderr
