"""``kotacerdas plan``: check, changelog, export, import and schema, with clear errors."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.models import Edition

pytestmark = pytest.mark.django_db


def run(*args, expect_error: bool = False):
    from io import StringIO

    out, err = StringIO(), StringIO()
    if expect_error:
        with pytest.raises(CommandError) as caught:
            call_command("plan", *args, stdout=out, stderr=err)
        return out.getvalue(), caught.value
    call_command("plan", *args, stdout=out, stderr=err)
    return out.getvalue(), None


def test_check_on_the_database_prints_json_and_fails_while_errors_remain(cast, plan):
    out, error = run("check", "13.72", "--edition", "2024", "--json", expect_error=True)
    report = json.loads(out)
    assert report["counts"]["error"] >= 1 and error.returncode == 1
    assert any(f["rule"] == "PC011" and f["programme"] == "ENV-01" for f in report["findings"])


def test_check_runs_on_an_exported_file_with_no_database_rows_needed(cast, plan, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(edition_document(plan.edition)))
    out, error = run("check", str(path), expect_error=True)
    assert "PC011" in out and "error(s)" in out and error.returncode == 1
    xlsx = tmp_path / "plan.xlsx"
    run("export", "13.72", "--edition", "2024", "--format", "xlsx", "--output", str(xlsx))
    out, _error = run("check", str(xlsx), "--json", expect_error=True)
    assert json.loads(out)["counts"]["error"] >= 1


def test_check_exits_zero_on_a_clean_document(tmp_path):
    from kotacerdas.plans.tests.test_checks import document

    doc = document()
    # A file the import would take (the check reports everything the import refuses).
    doc.update(format="kotacerdas.masterplan-edition", format_version=1)
    doc["edition"]["title"] = "Masterplan"
    for s in doc["strategies"]:
        s["text"] = "Strategi"
    path = tmp_path / "clean.json"
    path.write_text(json.dumps(doc))
    out, error = run("check", str(path))
    assert error is None and "0 error(s)" in out


def test_changelog_between_editions_and_files(cast, plan, tmp_path):
    from kotacerdas.plans import services

    review = services.start_review_edition(
        actor=None, previous=plan.edition, data={"year": 2029, "title": "R", "start_year": 2025, "end_year": 2029}
    )
    gov_01 = review.programmes.get(code="GOV-01")
    services.update_programme(actor=None, programme=gov_01, data={"name": "Baru"}, expected_version=gov_01.version)
    out, _ = run("changelog", "13.72", "--from", "2024", "--edition", "2029", "--json")
    changes = json.loads(out)["changes"]
    assert any(c["key"] == "GOV-01" and c["field"] == "name" and c["after"] == "Baru" for c in changes)
    old, new = tmp_path / "a.json", tmp_path / "b.json"
    old.write_text(json.dumps(edition_document(plan.edition)))
    new.write_text(json.dumps(edition_document(review)))
    out, _ = run("changelog", str(old), str(new), "--format", "csv")
    assert out.startswith("change,kind,key") and "changed,programme,GOV-01,Baru,name," in out


def test_export_then_import_into_another_year(cast, plan, tmp_path):
    path = tmp_path / "plan.json"
    run("export", "13.72", "--edition", "2024", "--output", str(path))
    doc = json.loads(path.read_text())
    doc["edition"]["year"] = 2030
    path.write_text(json.dumps(doc))
    out, _ = run("import", "13.72", str(path), "--json")
    assert json.loads(out) == {
        "region": "13.72",
        "edition": 2030,
        "programmes": 2,
        "created_agencies": [],
        "warnings": [],
    }


def test_clear_errors_for_bad_arguments(english, cast, plan, tmp_path):
    _, error = run("check", "99.99", "--edition", "2024", expect_error=True)
    assert "region" in str(error)
    _, error = run("check", "13.72", expect_error=True)
    assert "--edition" in str(error) and "2024" in str(error)
    _, error = run("check", "13.72", "--edition", "1990", expect_error=True)
    assert "no edition 1990" in str(error)
    _, error = run("check", str(tmp_path / "missing.json"), expect_error=True)
    assert "does not exist" in str(error)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    _, error = run("check", str(bad), expect_error=True)
    assert "“bad.json” is not valid JSON" in str(error) and "line 1, character 2" in str(error)
    doc = edition_document(plan.edition)
    doc["programmes"][0]["lead_opd"] = "NOPE"
    bad.write_text(json.dumps(doc))
    _, error = run("import", "13.72", str(bad), expect_error=True)
    assert "$.programmes[0].lead_opd" in str(error) and "nothing imported" in str(error)
    assert Edition.objects.count() == 1


def test_schema_is_printed():
    out, _ = run("schema")
    assert json.loads(out)["title"] == "KotaCerdas master plan edition"
