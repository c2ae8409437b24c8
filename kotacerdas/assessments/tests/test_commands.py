"""``kotacerdas assessment``: list, score --json, export/import, score a file without the database run."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kotacerdas.assessments.loader import DATA_DIR
from kotacerdas.assessments.models import Answer, Template
from kotacerdas.assessments.tests.conftest import answer_all

pytestmark = pytest.mark.django_db


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command("assessment", *args, stdout=out)
    return out.getvalue()


def test_load_and_list_templates(cast):
    assert "3 new" in run_command("load")
    rows = json.loads(run_command("templates", "--json"))
    assert {r["kind"] for r in rows} == {"selection", "readiness", "maturity"}


def test_list_and_score_a_run_as_json(cast, maturity):
    answer_all(maturity, cast.editor, level=4)
    rows = json.loads(run_command("list", "--region", "13.72", "--json"))
    assert rows[0]["id"] == maturity.pk
    payload = json.loads(run_command("score", str(maturity.pk), "--json"))
    assert payload["score"] == pytest.approx(75) and payload["level"] == 4
    assert payload["tree"]["children"][0]["children"][0]["children"][0]["code"] == "GOV-1.1"
    assert payload["gaps"][0]["target"] == 5
    assert "GOV" in run_command("score", str(maturity.pk))


def test_export_import_and_score_file(cast, maturity, tmp_path: Path):
    answer_all(maturity, cast.editor, level=2)
    target = tmp_path / "run.xlsx"
    run_command("export", str(maturity.pk), "-o", str(target))
    assert "0 changed" in run_command("import", str(maturity.pk), str(target))
    payload = json.loads(
        run_command("score-file", str(target), "--template-file", str(DATA_DIR / "maturity-rkci.v1.toml"), "--json")
    )
    assert payload["score"] == pytest.approx(25) and payload["level"] == 2
    assert Answer.objects.filter(run=maturity).count() == 18


def test_template_export_and_import(cast, templates, tmp_path: Path):
    target = tmp_path / "t.xlsx"
    run_command("export-template", "kesiapan-5-komponen", "-o", str(target))
    with pytest.raises(CommandError, match="already exists"):
        run_command("import-template", str(target))
    assert Template.objects.count() == 3


def test_errors_name_the_argument(cast, templates):
    with pytest.raises(CommandError, match="target"):
        run_command("score")
    with pytest.raises(CommandError, match="no run"):
        run_command("score", "999")
