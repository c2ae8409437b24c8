"""How conftest.py orders and marks the collected tests (docs/decisions/0016-ci-time.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_a_test_without_a_database_is_told_apart():
    """This test asks for no database: it carries ``no_database``."""


@pytest.mark.django_db
def test_a_test_with_a_database():
    """This one does, and runs in both steps of CI."""


def test_the_mark_is_there_before_m_selects_and_the_long_tests_come_first():
    """CI's SQLite step selects with ``-m "not no_database"``: the mark must be set before the
    selection, and the ordering (long tests first) must not undo it."""
    here = Path(__file__).relative_to(ROOT)
    long_test = "kotacerdas/web/tests/test_migrate_to_postgres.py"

    def collected(*options: str) -> list[str]:
        command = [sys.executable, "-m", "pytest", "--collect-only", "-o", "addopts=-q -p no:cacheprovider"]
        run = subprocess.run(
            [*command, *options, str(here), long_test],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        return [line for line in run.stdout.splitlines() if "::" in line]

    selected = collected("-m", "not no_database")
    names = [line.split("::")[1] for line in selected]
    assert "test_a_test_with_a_database" in names
    assert "test_a_test_without_a_database_is_told_apart" not in names
    assert "test_a_test_without_a_database_is_told_apart" in [line.split("::")[1] for line in collected()]
    assert selected[0].startswith(long_test)
