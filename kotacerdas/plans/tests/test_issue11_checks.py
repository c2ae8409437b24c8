"""Issue 11 in the plan check: action plans outside the plan period (PC023), quick-win marks
against the confirmed selection (PC022), findings located for people (programme and field
labels, linked to where they are fixed; the JSON path only for machines), and approval steps
recorded over errors only with an explicit, audited acknowledgement."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.checks import run_checks
from kotacerdas.plans.checks.locations import locate
from kotacerdas.plans.tests.test_checks import document, programme

A, Y = "13.72", 2024


def item(activity: str, starts_on: str, ends_on: str) -> dict[str, str]:
    return {"activity": activity, "starts_on": starts_on, "ends_on": ends_on}


# PC023: action plans ---------------------------------------------------------------------------


def test_an_action_dated_outside_the_plan_period_is_an_error_once_per_action():
    doc = document(
        programme(
            "GOV-01",
            action_items=[
                item("Kajian", "2020-02-01", "2020-04-30"),  # both dates before 2025–2029
                item("Pelaksanaan", "2025-05-01", "2031-11-30"),  # ends after the period
                item("Sosialisasi", "2025-01-01", "2025-12-31"),
            ],
        ),
        programme("ENV-01", "ENV"),
    )
    found = [f for f in run_checks(doc).findings if f.rule == "PC023"]
    assert [(f.path, f.severity.label) for f in found] == [
        ("$.programmes[0].action_items[0].starts_on", "error"),
        ("$.programmes[0].action_items[1].ends_on", "error"),
    ]
    assert "2020-02-01" in found[0].text() and "2025–2029" in found[0].text()


def test_an_action_ending_before_it_starts_or_without_a_date_is_an_error():
    doc = document(
        programme("GOV-01", action_items=[item("A", "2026-05-01", "2026-02-01"), {"activity": "B", "starts_on": 7}]),
        programme("ENV-01", "ENV"),
    )
    texts = [f.text() for f in run_checks(doc).findings if f.rule == "PC023"]
    assert any("ends (2026-02-01) before it starts (2026-05-01)" in t for t in texts)
    assert sum("no valid date" in t for t in texts) == 2


# PC022: quick wins against the confirmed selection --------------------------------------------


def test_quick_win_marks_must_match_the_confirmed_selection_and_files_without_one_are_silent():
    doc = document(
        programme("GOV-01", quick_win_years=[2025], end_year=2025),
        programme("ENV-01", "ENV", end_year=2025),
    )
    assert not any(f.rule == "PC022" for f in run_checks(doc).findings)  # a file: no selection known
    doc["quick_win_selections"] = [{"round_year": 2024, "budget_year": 2025, "result": 3, "selection": ["ENV-01", "X"]}]
    found = {(f.programme, f.path) for f in run_checks(doc).findings if f.rule == "PC022"}
    assert found == {
        ("GOV-01", "$.programmes[0].quick_win_years[0]"),  # marked, not chosen
        ("ENV-01", "$.programmes[1].quick_win_years"),  # chosen, not marked
        (None, "$.programmes"),  # chosen, but no programme of this edition
    }
    texts = " ".join(f.text() for f in run_checks(doc).findings if f.rule == "PC022")
    assert "round 2024 · for budget 2025, result #3" in texts
    doc["programmes"][0]["quick_win_years"] = []
    doc["programmes"][1]["quick_win_years"] = [2025]
    doc["quick_win_selections"][0]["selection"] = ["ENV-01"]
    assert not any(f.rule == "PC022" for f in run_checks(doc).findings)


# Where a finding is fixed ---------------------------------------------------------------------


def test_a_path_becomes_the_page_that_fixes_it_and_the_field_labels():
    target = locate("$.programmes[33].indicators[0].targets[2].year")
    assert target.view == "plans:programme_indicators" and target.per_programme
    assert [(p.label, p.number) for p in target.parts] == [("indicator", 1), ("indicator target", 3), ("year", None)]
    assert locate("$.programmes[2].budgets[1].source").view == "plans:programme_budgets"
    assert locate("$.programmes[2].action_items[0].ends_on").view == "plans:programme_actions"
    assert locate("$.programmes[2].lead_opd").parts[0].label == "lead agency (OPD)"
    assert locate("$.dispositions[4].rationale").view == "plans:dispositions"
    assert locate("$.edition").view == "plans:edition_edit"
    assert locate("$").view == "plans:edition" and locate("nonsense[").view == "plans:edition"


@pytest.mark.django_db
def test_the_check_page_names_programme_and_field_instead_of_the_json_path(cast, plan, english):
    url = reverse("plans:check", args=[A, Y])
    editor = cast.client(cast.editor).get(url).content.decode()
    assert "$.programmes[" not in editor
    assert "ENV-01 Programme ENV-01" in editor  # the programme's code and name
    assert reverse("plans:programme_indicators", args=[A, Y, "ENV-01"]) in editor  # where it is fixed
    assert "indicator" in editor
    viewer = cast.client(cast.viewer).get(url).content.decode()
    assert reverse("plans:programme_indicators", args=[A, Y, "ENV-01"]) not in viewer  # a viewer cannot fix it
    assert reverse("plans:programme", args=[A, Y, "ENV-01"]) in viewer
    assert cast.client(cast.outsider).get(url).status_code == 404
    paths = {f["path"] for f in cast.client(cast.viewer).get(url, {"format": "json"}).json()["findings"]}
    assert "$.programmes[1].indicators" in paths  # machines keep the path
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("plan", "check", A, "--edition", str(Y), "--json", stdout=out)
    assert "$.programmes[1].indicators" in {f["path"] for f in json.loads(out.getvalue())["findings"]}


@pytest.mark.django_db
def test_the_check_page_in_indonesian_shows_translated_field_labels(cast, plan):
    client = cast.client(cast.editor)
    client.cookies["django_language"] = "id"
    html = client.get(reverse("plans:check", args=[A, Y])).content.decode()
    assert "Lokasi" in html and "$.programmes[" not in html
    assert "indikator" in html


# Approval over errors -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_service_refuses_a_step_over_errors_without_the_acknowledgement_and_audits_it(cast, plan, english):
    with pytest.raises(ValidationError) as refused:
        services.record_approval(
            actor=cast.owner,
            edition=plan.edition,
            step="team_final",
            decided_on=datetime.date(2024, 10, 1),
            expected_version=stored_version(plan.edition),
        )
    assert "acknowledge_errors" in refused.value.message_dict
    assert not plan.edition.approval_steps.exists()
    step = services.record_approval(
        actor=cast.owner,
        edition=plan.edition,
        step="team_final",
        decided_on=datetime.date(2024, 10, 1),
        acknowledge_errors=True,
        expected_version=stored_version(plan.edition),
    )
    audit = AuditEntry.objects.get(object_type="plans.ApprovalStep", object_id=str(step.pk))
    assert any(line.startswith("PC011 ENV-01:") for line in audit.after["acknowledged_errors"])


@pytest.mark.django_db
def test_without_errors_no_acknowledgement_is_needed_or_recorded(cast, plan, monkeypatch):
    monkeypatch.setattr("kotacerdas.plans.services.editions.plan_check_errors", lambda edition: [])
    step = services.record_approval(
        actor=cast.owner,
        edition=plan.edition,
        step="team_final",
        decided_on=datetime.date(2024, 10, 1),
        expected_version=stored_version(plan.edition),
    )
    audit = AuditEntry.objects.get(object_type="plans.ApprovalStep", object_id=str(step.pk))
    assert "acknowledged_errors" not in audit.after


@pytest.mark.django_db
def test_the_approval_form_lists_the_errors_and_needs_the_box_ticked(cast, plan, english):
    url = reverse("plans:approval", args=[A, Y])
    owner = cast.client(cast.owner)
    page = owner.get(url).content.decode()
    assert 'name="acknowledge_errors"' in page and "PC011" in page and "ENV-01" in page
    refused = owner.post(
        url, {"decided_on": "2024-10-01", "reference": "BA Bimtek IV", "version": plan.edition.version}
    )
    html = refused.content.decode()
    assert refused.status_code == 200 and not plan.edition.approval_steps.exists()
    assert 'class="error-summary"' in html and "confirm that you record this step anyway" in html
    assert 'value="BA Bimtek IV"' in html  # the input is kept
    done = owner.post(
        url,
        {
            "decided_on": "2024-10-01",
            "reference": "BA Bimtek IV",
            "version": plan.edition.version,
            "acknowledge_errors": "on",
        },
    )
    assert done.status_code == 302 and plan.edition.approval_steps.get().step == "team_final"
    assert cast.client(cast.outsider).get(url).status_code == 404
    assert (
        cast.client(cast.outsider).post(url, {"decided_on": "2024-10-02", "acknowledge_errors": "on"}).status_code
        == 404
    )


def test_a_target_against_its_direction_names_the_direction_in_words_not_as_a_raw_value():
    lower = programme("GOV-01")
    lower["indicators"][0]["direction"] = "lower"  # baseline 1, targets 2 and 3: the wrong way
    found = [f for f in run_checks(document(lower, programme("ENV-01", "ENV"))).findings if f.rule == "PC013"]
    assert [f.message for f in found] == [
        "Targets of %(name)r go from %(before)s to %(after)s, against “lower is better”."
    ]
    assert "%(direction)s" not in found[0].message
