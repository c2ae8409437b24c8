"""Reporting set-up, the update workflow and actuals, through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kotacerdas.audit.models import AuditEntry
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.monitoring import selectors, services
from kotacerdas.monitoring.models import IndicatorActual, ProgrammeUpdate, ReportingPeriod, UpdateState
from kotacerdas.monitoring.tests.conftest import TODAY, update_data
from kotacerdas.plans.models import Programme

pytestmark = pytest.mark.django_db


def _submitted(cast, monitored, **extra):
    update = services.create_update(
        actor=cast.editor, programme=monitored.first, period=monitored.q1, data=update_data(**extra), today=TODAY
    )
    return services.submit_update(actor=cast.editor, update=update, expected_version=update.version)


def test_reporting_generates_every_quarter_of_the_plan_period_with_due_dates(monitored):
    periods = list(ReportingPeriod.objects.filter(edition=monitored.edition).order_by("starts_on"))
    assert [p.key for p in periods[:2]] == ["2025-Q1", "2025-Q2"]
    assert periods[-1].key == "2029-Q4"
    assert len(periods) == 20
    assert periods[0].due_on == datetime.date(2025, 4, 10)


def test_only_an_adopted_edition_is_monitored(cast, plan):
    with pytest.raises(ValidationError, match="adopt"):
        services.start_reporting(actor=None, edition=plan.edition)


def test_a_cadence_change_applies_from_the_next_quarter_and_keeps_the_past(cast, monitored):
    reporting = services.change_reporting(
        actor=cast.owner,
        reporting=monitored.reporting,
        data={"cadence": "monthly"},
        expected_version=monitored.reporting.version,
        today=datetime.date(2025, 5, 20),
    )
    keys = list(ReportingPeriod.objects.filter(edition=monitored.edition).values_list("key", flat=True))
    assert "2025-Q2" in keys and "2025-Q3" not in keys
    assert "2025-M07" in keys and "2029-M12" in keys
    assert reporting.cadence == "monthly"
    with pytest.raises(EditConflict):
        services.change_reporting(
            actor=cast.owner, reporting=reporting, data={"cadence": "quarterly"}, expected_version=1
        )


def test_an_editor_of_another_agency_and_a_viewer_may_not_report(cast, monitored):
    for actor in (cast.viewer, cast.outsider, cast.mentor):
        with pytest.raises(PermissionDenied):
            services.create_update(
                actor=actor, programme=monitored.first, period=monitored.q1, data=update_data(), today=TODAY
            )
    assert not ProgrammeUpdate.objects.exists()


def test_status_changes_only_when_an_update_is_accepted(cast, monitored):
    update = _submitted(cast, monitored, status="at_risk")
    assert Programme.objects.get(pk=monitored.first.pk).status == "planned"
    services.accept_update(actor=cast.mentor, update=update, expected_version=update.version)
    assert Programme.objects.get(pk=monitored.first.pk).status == "at_risk"
    assert AuditEntry.objects.filter(object_type="plans.Programme", action="update").exists()


def test_accepted_updates_are_frozen_and_corrected_by_a_new_update(cast, monitored):
    update = _submitted(cast, monitored)
    update = services.accept_update(actor=cast.owner, update=update, expected_version=update.version)
    with pytest.raises(ValidationError):
        services.edit_update(actor=cast.editor, update=update, data=update_data(), expected_version=update.version)
    with pytest.raises(ValidationError, match="correction"):
        services.create_update(
            actor=cast.editor, programme=monitored.first, period=monitored.q1, data=update_data(), today=TODAY
        )
    correction = services.correct_update(actor=cast.editor, update=update, data=update_data(progress=35))
    assert correction.corrects_id == update.pk and correction.state == UpdateState.DRAFT


def test_a_returned_update_needs_a_reason_and_goes_back_to_the_agency(cast, monitored):
    update = _submitted(cast, monitored)
    with pytest.raises(ValidationError):
        services.return_update(actor=cast.owner, update=update, reason=" ", expected_version=update.version)
    with pytest.raises(PermissionDenied):
        services.return_update(actor=cast.editor, update=update, reason="x", expected_version=update.version)
    update = services.return_update(
        actor=cast.owner, update=update, reason="Lampirkan bukti.", expected_version=update.version
    )
    assert update.state == UpdateState.RETURNED
    update = services.edit_update(
        actor=cast.editor,
        update=update,
        data=update_data(evidence_link="https://example.org/bukti"),
        expected_version=update.version,
    )
    update = services.submit_update(actor=cast.editor, update=update, expected_version=update.version)
    assert update.state == UpdateState.SUBMITTED


def test_cancelled_and_not_achieved_need_a_reason_and_every_problem_is_reported_at_once(cast, monitored):
    with pytest.raises(ValidationError) as caught:
        services.create_update(
            actor=cast.editor,
            programme=monitored.first,
            period=monitored.q1,
            data={"status": "cancelled", "progress": "150", "comment": "", "budget_apbd": "-5"},
            today=TODAY,
        )
    assert {"reason", "progress", "comment", "budget_apbd"} <= set(caught.value.message_dict)
    assert not ProgrammeUpdate.objects.exists()


def test_a_period_that_has_not_begun_cannot_be_reported(cast, monitored):
    later = ReportingPeriod.objects.get(edition=monitored.edition, key="2026-Q1")
    with pytest.raises(ValidationError, match="not begun"):
        services.create_update(
            actor=cast.editor, programme=monitored.first, period=later, data=update_data(), today=TODAY
        )


def test_budget_realised_is_kept_per_source_in_whole_rupiah(cast, monitored):
    update = services.create_update(
        actor=cast.editor,
        programme=monitored.first,
        period=monitored.q1,
        data=update_data(budget_apbd="25.000.000", budget_csr="1000"),
        today=TODAY,
    )
    assert {b.source: b.amount for b in update.budgets.all()} == {"apbd": 25_000_000, "csr": 1000}
    before_ids = {b.source: b.pk for b in update.budgets.all()}
    update = services.edit_update(
        actor=cast.editor, update=update, data=update_data(budget_apbd="25000000"), expected_version=update.version
    )
    assert {b.source: b.pk for b in update.budgets.all()} == {"apbd": before_ids["apbd"]}
    with pytest.raises(ValidationError):
        services.edit_update(
            actor=cast.editor, update=update, data=update_data(budget_apbd="1e400"), expected_version=update.version
        )


def test_quick_win_dates_are_only_for_the_years_quick_wins(cast, monitored):
    with pytest.raises(ValidationError, match="quick win"):
        services.create_update(
            actor=cast.editor,
            programme=monitored.second,
            period=monitored.q1,
            data=update_data(launched_on=datetime.date(2025, 2, 1)),
            today=TODAY,
        )
    update = services.create_update(
        actor=cast.editor,
        programme=monitored.first,
        period=monitored.q1,
        data=update_data(launched_on=datetime.date(2025, 2, 1), live_since=datetime.date(2025, 3, 1)),
        today=TODAY,
    )
    assert update.live_since == datetime.date(2025, 3, 1)


def test_an_actual_is_recorded_once_per_period_and_changed_with_its_version(cast, monitored):
    indicator = monitored.first.indicators.get()
    where = {"actor": cast.editor, "indicator": indicator, "year": 2025, "period": monitored.q1}
    actual = services.record_actual(**where, data={"value": "12.5", "source": "SIMPEG"}, expected_version=0)
    with pytest.raises(EditConflict):  # someone recorded it meanwhile: never overwritten unseen
        services.record_actual(**where, data={"value": "13"}, expected_version=0)
    actual = services.record_actual(**where, data={"value": "13"}, expected_version=actual.version)
    assert actual.value == Decimal("13")
    with pytest.raises(EditConflict):
        services.record_actual(**where, data={"value": "14"}, expected_version=actual.version - 1)
    for bad in ("abc", "inf", "1e20", "1.234"):
        with pytest.raises(ValidationError):
            services.record_actual(**{**where, "period": None}, data={"value": bad}, expected_version=0)
    assert IndicatorActual.objects.count() == 1


def test_a_yearly_actual_must_be_of_a_begun_year_of_the_plan_period(cast, monitored):
    indicator = monitored.first.indicators.get()
    for year in (2019, 2030, datetime.date.today().year + 1):
        with pytest.raises(ValidationError, match="plan period"):
            services.record_actual(
                actor=cast.editor, indicator=indicator, year=year, period=None, data={"value": "1"}, expected_version=0
            )
    assert not IndicatorActual.objects.exists()


def test_implementation_facts_count_accepted_updates_of_the_year(cast, monitored, django_assert_num_queries):
    update = _submitted(cast, monitored, status="on_track", progress=60)
    services.accept_update(actor=cast.owner, update=update, expected_version=update.version)
    with django_assert_num_queries(4):
        facts = selectors.implementation_facts(cast.region_a, 2025)
    assert facts.programmes_total == 2
    assert facts.programmes_reported == 1
    assert facts.programmes_carried_out == 1
    assert facts.quick_wins_total == 1
    assert facts.quick_win_mean_progress == Decimal("60.0")
    assert selectors.implementation_facts(cast.region_a, 2031).edition is None


def test_an_accepted_correction_replaces_the_update_it_corrects_whatever_its_date(cast, monitored):
    update = _submitted(cast, monitored, status="on_track", progress=40, reported_on=datetime.date(2025, 4, 9))
    update = services.accept_update(actor=cast.owner, update=update, expected_version=update.version)
    correction = services.correct_update(
        actor=cast.editor,
        update=update,
        data=update_data(status="at_risk", progress=30, reported_on=datetime.date(2025, 4, 2)),
    )
    correction = services.submit_update(actor=cast.editor, update=correction, expected_version=correction.version)
    services.accept_update(actor=cast.mentor, update=correction, expected_version=correction.version)
    assert Programme.objects.get(pk=monitored.first.pk).status == "at_risk"
    latest = selectors.latest_accepted(Programme.objects.filter(pk=monitored.first.pk)).get()
    assert latest.latest_update_id == correction.pk


def test_the_plan_editor_cannot_set_a_status_only_an_accepted_update_does(cast, plan):
    from kotacerdas.lib.concurrency import stored_version
    from kotacerdas.plans import services as plan_services
    from kotacerdas.plans.forms import ProgrammeForm

    programme = plan_services.update_programme(
        actor=cast.editor,
        programme=plan.first,
        data={"status": "achieved"},
        expected_version=stored_version(plan.first),
    )
    assert Programme.objects.get(pk=programme.pk).status == "planned"
    assert "status" not in ProgrammeForm.base_fields
