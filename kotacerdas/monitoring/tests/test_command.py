"""``kotacerdas monitoring``: status, start, template, import and remind, with --json and exit codes."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from kotacerdas.monitoring import services, status
from kotacerdas.monitoring.models import ProgrammeUpdate, ReportingPeriod, UpdateState
from kotacerdas.monitoring.tests.conftest import TODAY, update_data
from kotacerdas.plans.models import Edition
from kotacerdas.plans.models.plan import EditionStatus
from kotacerdas.plans.tests.factories import make_programme

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("monitoring", *args, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command("monitoring", *args, stdout=StringIO(), stderr=StringIO())
    return caught.value


@pytest.fixture
def reported(monitored):
    """GOV-01 accepted at risk in 2025-Q1 with Rp 25 juta realised; ENV-01 has not reported."""
    update = services.create_update(
        actor=None,
        programme=monitored.first,
        period=monitored.q1,
        data=update_data(status="at_risk", budget_apbd=25_000_000),
        today=TODAY,
    )
    update = services.submit_update(actor=None, update=update, expected_version=update.version)
    services.accept_update(actor=None, update=update, expected_version=update.version)
    return monitored


def test_status_rolls_up_and_lists_late_reports_budget_and_missing_actuals(reported):
    report = run("status", "13.72", "--period", "2025-Q1", "--today", "2025-08-01")
    assert report["period"] == {"key": "2025-Q1", "due_on": "2025-04-10"}
    assert report["plan"]["score"] == 0.5 and report["plan"]["rag"] == "amber"
    dimensions = {d["code"]: d for d in report["dimensions"]}
    assert dimensions["GOV"]["rag"] == "amber" and dimensions["GOV"]["pulling_down"] == ["GOV-01"]
    assert dimensions["ENV"]["rag"] == "grey" and dimensions["ENV"]["not_reported"] == 1
    assert report["by_status"] == {"at_risk": 1, "not_reported": 1}
    assert [(r["code"], r["state"]) for r in report["late"]] == [("ENV-01", "missing")]
    assert report["budget"]["planned_total"] == 150_000_000
    assert report["budget"]["realised"] == {"apbd": 25_000_000} and report["budget"]["realised_share"] == 16.7
    assert report["missing_actuals"] == [{"programme": "GOV-01", "indicator": "Layanan daring"}]


def test_status_before_the_due_date_has_no_late_reports_and_prints_text(reported):
    assert run("status", "13.72", "--period", "2025-Q1", "--today", "2025-04-05")["late"] == []
    out = StringIO()
    call_command("monitoring", "status", "13.72", "--period", "2025-Q1", "--today", "2025-08-01", stdout=out)
    assert "Late reports: 1" in out.getvalue() and "ENV-01" in out.getvalue()


def test_status_reads_in_a_fixed_number_of_queries(reported, django_assert_num_queries):
    edition = Edition.objects.select_related("region", "reporting").get(pk=reported.edition.pk)
    with django_assert_num_queries(9):
        status.build(edition, reported.q1, datetime.date(2025, 8, 1))
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.DRAFT)  # the factory edits drafts only
    for n in range(5):
        make_programme(Edition.objects.get(pk=edition.pk), f"LIV-0{n}", dimension="LIV")
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.ADOPTED)
    with django_assert_num_queries(9):
        assert len(status.build(edition, reported.q1, datetime.date(2025, 8, 1)).late) == 6


@pytest.mark.parametrize(
    "args, says",
    [
        (["status", "99.99"], "99.99"),
        (["status", "13.72", "--edition", "1990"], "1990"),
        (["status", "13.72", "--period", "2025-Q9"], "2025-Q9"),
        (["status", "13.72", "--today", "kemarin"], "kemarin"),
        (["template", "13.72", "--output", "x.pdf"], ".xlsx"),
        (["import", "13.72", "/nonexistent.xlsx"], "nonexistent"),
        (["remind", "--days", "-1"], "--days"),
    ],
)
def test_bad_input_exits_with_code_2_and_says_what_is_wrong(monitored, args, says):
    error = refused(*args)
    assert error.returncode == 2 and says in str(error)


def test_an_edition_without_reporting_is_refused_with_the_way_out(plan):
    Edition.objects.filter(pk=plan.edition.pk).update(status=EditionStatus.ADOPTED)
    error = refused("status", "13.72")
    assert error.returncode == 2 and "monitoring start 13.72" in str(error)


def test_start_generates_the_periods(plan):
    Edition.objects.filter(pk=plan.edition.pk).update(status=EditionStatus.ADOPTED)
    result = run("start", "13.72", "--cadence", "monthly", "--grace-days", "15")
    assert result["cadence"] == "monthly" and result["grace_days"] == 15
    assert result["periods"][0] == {"key": "2025-M01", "due_on": "2025-02-15"}
    assert ReportingPeriod.objects.filter(edition=plan.edition).count() == len(result["periods"])
    error = refused("start", "13.72")
    assert error.returncode == 2


def test_start_refuses_a_draft_edition_and_bad_grace_days(plan):
    assert refused("start", "13.72", "--edition", str(plan.edition.year)).returncode == 2
    Edition.objects.filter(pk=plan.edition.pk).update(status=EditionStatus.ADOPTED)
    assert refused("start", "13.72", "--grace-days", "400").returncode == 2


def test_template_then_import_as_the_operator(monitored, tmp_path: Path):
    path = tmp_path / "pembaruan.xlsx"
    assert run("template", "13.72", "--period", "2025-Q1", "--output", str(path))["bytes"] > 0
    book = load_workbook(path)
    sheet = book["Pembaruan"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "GOV-01")
    for cell, value in zip(row[2:6], [datetime.date(2025, 4, 5), "on_track", 30, "Berjalan"], strict=True):
        cell.value = value
    book.save(path)
    result = run("import", "13.72", str(path), "--submit")
    assert result["ok"] and result["updates"]["created"] == 1 and result["updates"]["submitted"] == 1
    assert ProgrammeUpdate.objects.get().state == UpdateState.SUBMITTED


def test_an_import_with_problems_writes_nothing_and_exits_2_with_json(monitored, tmp_path: Path):
    path = tmp_path / "pembaruan.csv"
    call_command("monitoring", "template", "13.72", "--period", "2025-Q1", "--output", str(path), stdout=StringIO())
    text = path.read_text().replace("GOV-01,2025-Q1,", "GOV-01,2025-Q1,2025-04-05,on_track,200,Ok", 1)
    path.write_text(text)
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("monitoring", "import", "13.72", str(path), "--json", stdout=out, stderr=StringIO())
    assert caught.value.returncode == 2 and "Pembaruan!E" in str(caught.value)
    payload = json.loads(out.getvalue())
    assert payload["ok"] is False and payload["problems"][0]["column"] == "progress"
    assert not ProgrammeUpdate.objects.exists()


def test_remind_dry_run_sends_nothing_and_the_real_run_sends_once(cast, monitored):
    cast.editor.email = "editor@example.org"
    cast.editor.save(update_fields=["email"])
    dry = run("remind", "--today", "2025-04-06", "--dry-run")
    assert dry["dry_run"] is True and [r["to"] for r in dry["reminders"]] == ["editor@example.org"]
    assert not mail.outbox
    sent = run("remind", "--today", "2025-04-06")
    again = run("remind", "--today", "2025-04-06")
    assert [r["sent"] for r in sent["reminders"]] == [True] and again["reminders"] == []
    assert len(mail.outbox) == 1
