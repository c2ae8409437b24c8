"""``kotacerdas quickwins select FILE``: works on a file with no database, same answer from JSON and XLSX."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ROOT = Path(__file__).resolve().parents[3]

# No ``db`` fixture anywhere in this module: pytest-django makes any database access an error.


def run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("quickwins", "select", *args, stdout=out)
    return out.getvalue()


def test_the_json_and_the_spreadsheet_give_the_same_answer():
    from_json = json.loads(run(str(EXAMPLES / "solok-2025.json"), "--json"))
    from_xlsx = json.loads(run(str(EXAMPLES / "solok-2025.xlsx"), "--json"))
    assert from_json["status"] == "optimal"
    assert from_json["selection"] == from_xlsx["selection"]
    assert from_json["objective"] == from_xlsx["objective"]
    assert len(from_json["selection"]) == 6


def test_human_output_lists_the_chosen_and_explains_the_rest():
    text = run(str(EXAMPLES / "solok-2025.json"), "--robustness", "50", "--seed", "3")
    assert "Chosen (6)" in text and "Left out:" in text and "Robustness: 50 draws" in text
    assert "would bring it in" in text


def test_robustness_in_json_is_reproducible_from_the_seed():
    first = json.loads(run(str(EXAMPLES / "solok-2025.json"), "--json", "--robustness", "40", "--seed", "9"))
    second = json.loads(run(str(EXAMPLES / "solok-2025.json"), "--json", "--robustness", "40", "--seed", "9"))
    assert first["robustness"]["frequency"] == second["robustness"]["frequency"]
    assert first["robustness"]["seed"] == 9


def test_bad_input_is_refused_with_every_problem_named(tmp_path):
    data = json.loads((EXAMPLES / "solok-2025.json").read_text(encoding="utf-8"))
    data["scores"]["Bappeda"]["GOV-1"]["impact"] = 7
    data["constraints"]["must_include"] = ["GOV-9"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run(str(path))
    assert str(caught.value).splitlines() == [
        "constraints.must_include: Unknown candidate GOV-9 (no candidate has that id).",
        "scores.Bappeda.GOV-1.impact: The score 7 is outside the scale 1–5.",
    ]


def test_a_missing_file_and_broken_json_are_refused(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "nope.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        run(str(broken))


def test_an_infeasible_file_says_which_constraints_conflict(tmp_path):
    data = json.loads((EXAMPLES / "solok-2025.json").read_text(encoding="utf-8"))
    data["constraints"]["must_include"] = ["LIV-1", "BRD-2", "ENV-2"]
    path = tmp_path / "tight.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = json.loads(run(str(path), "--json"))
    assert report["status"] == "infeasible" and report["selection"] == []
    assert (
        "The 3 candidates that must be chosen (with what they depend on) need Rp 2,850,000,000, above the budget cap "
        "of Rp 2,500,000,000 for 2025." in report["infeasibility"]["explanation"]
    )


def test_json_on_standard_output_is_clean_of_the_solver_banner():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "kotacerdas.test_settings", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "kotacerdas.cli", "quickwins", "select", str(EXAMPLES / "solok-2025.json"), "--json"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=True,
    )
    assert json.loads(result.stdout)["status"] == "optimal"
