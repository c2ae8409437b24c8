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


def test_the_explain_levels_say_nothing_a_bound_or_the_exact_change():
    example = str(EXAMPLES / "solok-2025.json")
    summary = run(example)
    assert "would lower the total value by at least" in summary and "run again with --explain all" in summary
    assert "Raising the budget cap" not in summary
    detail = run(example, "--explain", "all")
    assert "Raising the budget cap by" in detail and "by at least" not in detail
    silent = run(example, "--explain", "none")
    assert "Left out:" in silent and "Choosing it" not in silent and "--explain all" not in silent
    levels = {}
    for level in ("none", "summary", "all"):
        report = json.loads(run(example, "--json", "--explain", level))
        levels[level] = {c["why_not"]["level"] for c in report["candidates"] if "why_not" in c}
    assert levels == {"none": {"none"}, "summary": {"summary"}, "all": {"detailed"}}


def test_the_exact_detail_is_capped_by_explain_limit():
    report = json.loads(run(str(EXAMPLES / "solok-2025.json"), "--json", "--explain", "all", "--explain-limit", "2"))
    levels = [c["why_not"]["level"] for c in report["candidates"] if not c["selected"] and not c["why_not"]["decided"]]
    assert levels[:2] == ["detailed", "detailed"] and set(levels[2:]) == {"summary"}


def test_bad_explain_options_are_refused():
    with pytest.raises(CommandError):
        run(str(EXAMPLES / "solok-2025.json"), "--explain", "everything")
    with pytest.raises(CommandError, match="--explain-limit"):
        run(str(EXAMPLES / "solok-2025.json"), "--explain-limit", "-1")


COMMAND = [sys.executable, "-X", "importtime", "-m", "kotacerdas.cli", "quickwins", "select"]


@pytest.mark.parametrize("name", ["solok-2025.json", "solok-2025.xlsx"])
def test_select_starts_lean_without_the_apps_and_reads_spreadsheets_only_when_given_one(name):
    """Start-up (issue 17): no models of other apps, no admin; openpyxl only for a spreadsheet."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "kotacerdas.test_settings", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [*COMMAND, str(EXAMPLES / name), "--json", "--explain", "none"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert json.loads(result.stdout)["status"] == "optimal"
    assert not {"kotacerdas.plans.models", "django.contrib.admin", "kotacerdas.quickwins.models"} & imported
    assert ("openpyxl" in imported) is name.endswith(".xlsx")
