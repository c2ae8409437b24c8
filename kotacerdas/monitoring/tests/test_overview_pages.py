"""The monitoring overview, reporting set-up and indicator actuals pages, through HTTP per role."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from kotacerdas.monitoring import services
from kotacerdas.monitoring.models import IndicatorActual, IndicatorMetadata, ReportingPeriod, ReportingPlan
from kotacerdas.monitoring.tests.conftest import TODAY, update_data
from kotacerdas.plans.models import Edition
from kotacerdas.plans.models.plan import EditionStatus

pytestmark = pytest.mark.django_db

A = "13.72"
Y = 2024
VIEWERS = {"owner", "editor", "viewer", "mentor", "ministry"}
REPORTERS = {"owner", "editor", "ministry"}


def accepted(programme, period, **extra):
    update = services.create_update(
        actor=None, programme=programme, period=period, data=update_data(**extra), today=TODAY
    )
    update = services.submit_update(actor=None, update=update, expected_version=update.version)
    return services.accept_update(actor=None, update=update, expected_version=update.version)


def pages(indicator_pk):
    return [
        (reverse("monitoring:overview", args=[A]), VIEWERS),
        (reverse("monitoring:reporting", args=[A, Y]), VIEWERS),
        (reverse("monitoring:actuals", args=[A, Y]), VIEWERS),
        (reverse("monitoring:actual_edit", args=[A, Y, indicator_pk]) + "?period=2025-Q1", REPORTERS),
        (reverse("monitoring:actual_edit", args=[A, Y, indicator_pk]) + "?tahun=2025", REPORTERS),
        (reverse("monitoring:metadata_edit", args=[A, Y, indicator_pk]), REPORTERS),
    ]


@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "mentor", "ministry", "outsider"])
def test_every_page_answers_by_role_and_hides_region_a_from_the_outsider(cast, monitored, who):
    client = cast.client(getattr(cast, who))
    for url, allowed in pages(monitored.first.indicators.get().pk):
        status = client.get(url).status_code
        if who == "outsider":
            assert status == 404, url
        else:
            assert status == (200 if who in allowed else 403), (url, status)


def test_the_anonymous_visitor_is_sent_to_sign_in(client, monitored):
    response = client.get(reverse("monitoring:overview", args=[A]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_draft_edition_and_an_indicator_of_another_region_are_not_found(cast, monitored):
    client = cast.client(cast.owner)
    assert client.get(reverse("monitoring:reporting", args=[A, 1999])).status_code == 404
    assert client.get(reverse("monitoring:actual_edit", args=[A, Y, 999_999]) + "?tahun=2025").status_code == 404
    assert client.get(reverse("monitoring:overview", args=[A]) + "?edisi=1999").status_code == 404
    # Region B's admin cannot reach region A's indicator through region B either.
    indicator = monitored.first.indicators.get()
    other = cast.client(cast.outsider)
    assert other.get(reverse("monitoring:metadata_edit", args=["13.73", Y, indicator.pk])).status_code == 404


# Reporting set-up -------------------------------------------------------------------------


def _adopted(plan):
    Edition.objects.filter(pk=plan.edition.pk).update(status=EditionStatus.ADOPTED)


def test_the_region_admin_starts_reporting_and_sees_the_periods_with_due_dates(cast, plan):
    _adopted(plan)
    url = reverse("monitoring:reporting", args=[A, Y])
    client = cast.client(cast.owner)
    page = client.get(url).content.decode()
    assert "Mulai pelaporan" in page or "Start reporting" in page
    response = client.post(
        url,
        {
            "start-cadence": "quarterly",
            "start-grace_days": "15",
            "start-rollup": "budget",
            "start-starts_on": "2025-01-01",
        },
    )
    assert response.status_code == 302
    reporting = ReportingPlan.objects.get(edition=plan.edition)
    assert (reporting.grace_days, reporting.rollup) == (15, "budget")
    page = client.get(url).content.decode()
    assert "2025-Q1" in page and "2029-Q4" in page
    assert ReportingPeriod.objects.get(edition=plan.edition, key="2025-Q1").due_on == datetime.date(2025, 4, 15)


def test_bad_set_up_input_is_kept_with_a_clear_error_and_nothing_starts(cast, plan):
    _adopted(plan)
    response = cast.client(cast.owner).post(
        reverse("monitoring:reporting", args=[A, Y]),
        {
            "start-cadence": "weekly",
            "start-grace_days": "120",
            "start-rollup": "equal",
            "start-starts_on": "2031-01-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page and 'value="120"' in page
    assert "0" in page and "90" in page
    assert not ReportingPlan.objects.exists()
    # A start outside the plan period is the service's error, said next to its field.
    response = cast.client(cast.owner).post(
        reverse("monitoring:reporting", args=[A, Y]),
        {
            "start-cadence": "quarterly",
            "start-grace_days": "10",
            "start-rollup": "equal",
            "start-starts_on": "2031-01-01",
        },
    )
    assert "2025" in response.content.decode() and 'value="2031-01-01"' in response.content.decode()
    assert not ReportingPlan.objects.exists()


def test_only_the_region_admin_and_the_ministry_set_up_reporting(cast, plan):
    _adopted(plan)
    data = {
        "start-cadence": "quarterly",
        "start-grace_days": "10",
        "start-rollup": "equal",
        "start-starts_on": "2025-01-01",
    }
    for who in ("editor", "viewer", "mentor"):
        assert (
            cast.client(getattr(cast, who)).post(reverse("monitoring:reporting", args=[A, Y]), data).status_code == 403
        )
    assert cast.client(cast.outsider).post(reverse("monitoring:reporting", args=[A, Y]), data).status_code == 404
    assert not ReportingPlan.objects.exists()
    assert cast.client(cast.ministry).post(reverse("monitoring:reporting", args=[A, Y]), data).status_code == 302


def test_a_cadence_change_says_from_when_and_a_stale_version_answers_409(cast, monitored):
    url = reverse("monitoring:reporting", args=[A, Y])
    client = cast.client(cast.owner)
    page = client.get(url).content.decode()
    assert 'name="change-version"' in page
    stale = {"change-cadence": "monthly", "change-grace_days": "12", "change-rollup": "equal", "change-version": "0"}
    response = client.post(url, stale)
    assert response.status_code == 409
    assert 'value="12"' in response.content.decode()
    assert ReportingPlan.objects.get().cadence == "quarterly"
    fresh = {**stale, "change-version": str(monitored.reporting.version)}
    assert client.post(url, fresh).status_code == 302
    reporting = ReportingPlan.objects.get()
    assert (reporting.cadence, reporting.grace_days) == ("monthly", 12)
    change = reporting.changes.get()
    page = client.get(url).content.decode()
    assert change.effective_from.strftime("%Y") in page
    assert ReportingPeriod.objects.filter(edition=monitored.edition, cadence="monthly").exists()


# The monitoring page ----------------------------------------------------------------------


def test_the_monitoring_page_shows_dimensions_with_rag_names_late_reports_and_risks(cast, monitored):
    accepted(monitored.first, monitored.q1, status="at_risk", budget_apbd="50000000")
    page = cast.client(cast.viewer).get(reverse("monitoring:overview", args=[A]) + "?period=2025-Q2").content.decode()
    assert "GOV" in page and "ENV" in page
    # At risk counts a half: amber, said in words next to the colour.
    assert "rag rag-amber" in page
    assert "amber" in page.lower()
    # Programmes pulling the dimension down and those not reported are named.
    assert "GOV-01" in page and "ENV-01" in page
    # Late: nothing was submitted for ENV-01 in Q1 and Q2, nor for GOV-01 in Q2.
    assert "2025-Q1, 2025-Q2" in page
    # The budget chart is accessible: a title, a description and a table with the same numbers.
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in page
    assert 'id="chart-budget-title"' in page and 'id="chart-budget-desc"' in page
    assert "150" in page and "50" in page  # planned 150 and realised 50 million rupiah in 2025


def test_the_period_selector_shows_the_state_as_of_that_period(cast, monitored):
    accepted(monitored.first, monitored.q1, status="on_track")
    accepted(monitored.first, monitored.q2, status="off_track", reported_on=datetime.date(2025, 7, 5))
    client = cast.client(cast.mentor)
    as_of_q1 = client.get(reverse("monitoring:overview", args=[A]) + "?period=2025-Q1").content.decode()
    as_of_q2 = client.get(reverse("monitoring:overview", args=[A]) + "?period=2025-Q2").content.decode()
    assert "rag rag-red" not in as_of_q1 and "rag rag-green" in as_of_q1
    assert "rag rag-red" in as_of_q2
    unknown = client.get(reverse("monitoring:overview", args=[A]) + "?period=2025-Q9").content.decode()
    assert "2025-Q9" in unknown


def test_without_reporting_the_page_says_so_and_offers_the_admin_to_start(cast, plan):
    _adopted(plan)
    page = cast.client(cast.owner).get(reverse("monitoring:overview", args=[A])).content.decode()
    assert reverse("monitoring:reporting", args=[A, Y]) in page
    page = cast.client(cast.viewer).get(reverse("monitoring:overview", args=[A])).content.decode()
    assert (
        reverse("monitoring:reporting", args=[A, Y]) + '"' not in page.split("<main", 1)[1].split("monitoring-nav")[0]
    )


def test_the_region_home_links_the_monitoring_page(cast, monitored):
    page = cast.client(cast.viewer).get(reverse("regions:home", args=[A])).content.decode()
    assert reverse("monitoring:overview", args=[A]) in page


# Indicator actuals ------------------------------------------------------------------------


def _edit_url(indicator, **query):
    url = reverse("monitoring:actual_edit", args=[A, Y, indicator.pk])
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_an_actual_recorded_through_the_form_shows_its_achievement_and_band(cast, monitored):
    indicator = monitored.first.indicators.get()  # baseline 10, target 2025: 15, higher is better
    client = cast.client(cast.editor)
    response = client.post(
        _edit_url(indicator, period="2025-Q1"), {"value": "12", "producer": cast.opd_a.pk, "source": "SIMPEG"}
    )
    assert response.status_code == 302
    actual = IndicatorActual.objects.get()
    assert (actual.value, actual.producer_id, actual.source) == (Decimal("12"), cast.opd_a.pk, "SIMPEG")
    page = client.get(reverse("monitoring:actuals", args=[A, Y]) + "?tahun=2025").content.decode()
    assert "80%" in page  # 12 of 15
    assert "Tinggi" in page  # > 75: "Tinggi" in the capaian-kinerja table
    overview = client.get(reverse("monitoring:overview", args=[A]) + "?period=2025-Q1").content.decode()
    assert "Tinggi" in overview


def test_a_lower_is_better_indicator_reads_its_achievement_the_other_way(cast, monitored):
    indicator = monitored.first.indicators.get()
    type(indicator).objects.filter(pk=indicator.pk).update(direction="lower")
    services.record_actual(
        actor=None, indicator=indicator, year=2025, period=None, data={"value": "18"}, expected_version=0
    )
    page = cast.client(cast.viewer).get(reverse("monitoring:actuals", args=[A, Y]) + "?tahun=2025").content.decode()
    assert "80%" in page  # (2 × 15 − 18) / 15


@pytest.mark.parametrize(("actual", "achievement"), [("13", "100%"), ("10", "80%"), ("20", "88.89%")])
def test_a_range_indicator_is_on_target_inside_its_band(cast, monitored, actual, achievement):
    indicator = monitored.first.indicators.get()
    type(indicator).objects.filter(pk=indicator.pk).update(direction="range")
    indicator.targets.filter(year=2025).update(value=Decimal("12.5"), upper=Decimal("18"))
    services.record_actual(
        actor=None, indicator=indicator, year=2025, period=None, data={"value": actual}, expected_version=0
    )
    page = cast.client(cast.viewer).get(reverse("monitoring:actuals", args=[A, Y]) + "?tahun=2025").content.decode()
    # Inside 12.5–18: 100; below: against the lower bound (10 / 12.5); above: against the upper ((36 − 20) / 18).
    assert "12.5–18" in page and f'<td class="num">{achievement}</td>' in page
    assert cast.client(cast.outsider).get(reverse("monitoring:actuals", args=[A, Y])).status_code == 404
    form = cast.client(cast.editor).get(_edit_url(indicator, period="2025-Q1")).content.decode()
    assert "12.5–18" in form


def test_bad_actual_input_is_kept_with_a_clear_error_and_nothing_saved(cast, monitored):
    indicator = monitored.first.indicators.get()
    response = cast.client(cast.editor).post(_edit_url(indicator, period="2025-Q1"), {"value": "dua belas"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page and 'value="dua belas"' in page
    assert "72" in page  # the message gives an example of a number
    assert not IndicatorActual.objects.exists()


def test_a_stale_actual_answers_409_and_keeps_the_input(cast, monitored):
    indicator = monitored.first.indicators.get()
    actual = services.record_actual(
        actor=None,
        indicator=indicator,
        year=2025,
        period=monitored.q1,
        data={"value": "11"},
        expected_version=0,
    )
    client = cast.client(cast.owner)
    page = client.get(_edit_url(indicator, period="2025-Q1")).content.decode()
    assert f'name="version" value="{actual.version}"' in page
    response = client.post(_edit_url(indicator, period="2025-Q1"), {"value": "14", "version": actual.version + 5})
    assert response.status_code == 409 and 'value="14"' in response.content.decode()
    response = client.post(_edit_url(indicator, period="2025-Q1"), {"value": "14"})
    assert response.status_code == 409
    assert IndicatorActual.objects.get().value == Decimal("11")
    assert (
        client.post(_edit_url(indicator, period="2025-Q1"), {"value": "14", "version": actual.version}).status_code
        == 302
    )
    assert IndicatorActual.objects.get().value == Decimal("14")


def test_a_missing_actual_of_a_past_due_period_is_flagged_late_never_zero(cast, monitored):
    indicator = monitored.first.indicators.get()
    services.save_metadata(actor=None, indicator=indicator, data={"frequency": "quarterly"}, expected_version=0)
    services.record_actual(
        actor=None, indicator=indicator, year=2025, period=monitored.q2, data={"value": "14"}, expected_version=0
    )
    page = cast.client(cast.viewer).get(reverse("monitoring:actuals", args=[A, Y]) + "?tahun=2025").content.decode()
    assert "terlambat" in page or "late" in page
    assert "2025-Q1, 2025-Q3, 2025-Q4" in page
    row = page.split("Layanan daring", 1)[1].split("</tr>", 1)[0]
    assert ">0<" not in row and "0%" not in row


def test_a_yearly_indicator_is_late_only_once_its_year_is_past_due(cast, monitored):
    indicator = monitored.first.indicators.get()
    client = cast.client(cast.viewer)
    q2 = client.get(reverse("monitoring:overview", args=[A]) + "?period=2025-Q2").content.decode()
    q4 = client.get(reverse("monitoring:overview", args=[A]) + "?period=2025-Q4").content.decode()

    def late_count(page):
        return page.split('<th scope="row" class="late">', 1)[1].split('<td class="num">', 1)[1].split("<", 1)[0]

    assert late_count(q2) == "0"
    assert late_count(q4) == "1"
    services.record_actual(
        actor=None, indicator=indicator, year=2025, period=None, data={"value": "15"}, expected_version=0
    )
    q4 = client.get(reverse("monitoring:overview", args=[A]) + "?period=2025-Q4").content.decode()
    assert late_count(q4) == "0"


def test_the_satu_data_metadata_form_saves_and_refuses_a_stale_version(cast, monitored):
    indicator = monitored.first.indicators.get()
    url = reverse("monitoring:metadata_edit", args=[A, Y, indicator.pk])
    client = cast.client(cast.editor)
    data = {"definition": "Jumlah layanan daring", "frequency": "quarterly", "estimation_level": "kota"}
    assert client.post(url, data).status_code == 302
    metadata = IndicatorMetadata.objects.get()
    assert (metadata.frequency, metadata.definition) == ("quarterly", "Jumlah layanan daring")
    response = client.post(url, {**data, "definition": "Baru", "version": metadata.version + 1})
    assert response.status_code == 409 and "Baru" in response.content.decode()
    response = client.post(url, {**data, "frequency": "hourly", "version": metadata.version})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert IndicatorMetadata.objects.get().version == metadata.version
    for who in ("viewer", "mentor"):
        assert cast.client(getattr(cast, who)).post(url, data).status_code == 403


def test_an_editor_tied_to_another_agency_may_not_record_its_actuals(cast, monitored):
    from kotacerdas.plans.models import Programme
    from kotacerdas.regions import services as region_services

    other = region_services.create_opd(
        actor=None,
        region=cast.region_a,
        data={
            "name": "Dinas Kesehatan",
            "abbreviation": "Dinkes",
            "kind": "dinas",
            "valid_from": datetime.date(2017, 1, 1),
        },
    )
    Programme.objects.filter(pk=monitored.first.pk).update(lead_opd=other)
    indicator = monitored.first.indicators.get()
    editor = cast.client(cast.editor)
    assert editor.get(_edit_url(indicator, tahun=2025)).status_code == 403
    assert editor.post(_edit_url(indicator, tahun=2025), {"value": "3"}).status_code == 403
    assert cast.client(cast.owner).post(_edit_url(indicator, tahun=2025), {"value": "3"}).status_code == 302
    assert IndicatorActual.objects.get().value == Decimal("3")
