"""``kotacerdas report``: synchronous generation with a JSON summary and named errors."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_it_writes_the_book_and_prints_a_json_summary(cast, book, tmp_path):
    out = StringIO()
    target = tmp_path / "buku2.docx"
    call_command(
        "report",
        "buku2",
        "--region",
        "13.72",
        "--edition",
        "2024",
        "--format",
        "docx",
        "--output",
        str(target),
        "--json",
        stdout=out,
    )
    summary = json.loads(out.getvalue())
    assert target.read_bytes()[:2] == b"PK" and summary["bytes"] == target.stat().st_size
    assert summary["chapters"] and isinstance(summary["missing"], list)


def test_it_names_the_bad_argument(cast, book, tmp_path):
    with pytest.raises(CommandError, match="--region"):
        call_command("report", "buku1", "--region", "99.99", "--edition", "2024", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="--edition"):
        call_command("report", "buku1", "--region", "13.72", "--edition", "1999", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="compare"):
        call_command(
            "report", "changelog", "--region", "13.72", "--edition", "2024", "--output", str(tmp_path / "x.pdf")
        )
    with pytest.raises(CommandError, match="--round"):
        call_command("report", "quickwins", "--region", "13.72", "--output", str(tmp_path / "x.pdf"))
