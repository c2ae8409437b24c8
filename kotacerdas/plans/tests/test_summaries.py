"""Stored edition summaries: every input of the plan check and the figures makes the page show the
change on the next read, a read after that computes nothing, and a summary computed while a write
lands is never kept."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services, summaries
from kotacerdas.plans.checks import run_checks
from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.interchange.importer import import_document
from kotacerdas.plans.models import Edition, EditionSummary, Programme
from kotacerdas.plans.selectors import check_document
from kotacerdas.plans.templatetags.plans_tags import finding_text
from kotacerdas.plans.tests.factories import make_programme
from kotacerdas.regions import services as region_services

pytestmark = pytest.mark.django_db

A = "13.72"


def _findings(client: Any, plan: Any) -> set[tuple[str, str | None]]:
    """(rule, programme or dimension) of every finding the check page shows."""
    url = reverse("plans:check", args=[A, plan.edition.year])
    response = client.get(url, {"format": "json"})
    assert response.status_code == 200
    return {(f["rule"], f["programme"] or f["dimension"]) for f in response.json()["findings"]}


@pytest.fixture
def warm(cast: Any, plan: Any) -> Any:
    """The editor's client, after a read that stored the summary."""
    client = cast.client(cast.editor)
    _findings(client, plan)
    assert EditionSummary.objects.filter(edition=plan.edition).exists()
    return client


# One test per kind of input ----------------------------------------------------------------


def test_a_deleted_programme_shows_on_the_next_read(cast, plan, warm):
    assert ("PC002", "ENV") not in _findings(warm, plan)
    services.delete_programme(actor=cast.editor, programme=plan.second, expected_version=stored_version(plan.second))
    assert ("PC002", "ENV") in _findings(warm, plan)


def test_a_programmes_indicators_show_on_the_next_read(cast, plan, warm):
    assert ("PC011", "GOV-01") not in _findings(warm, plan)
    services.set_indicators(
        actor=cast.editor, programme=plan.first, indicators=[], expected_version=stored_version(plan.first)
    )
    assert ("PC011", "GOV-01") in _findings(warm, plan)


def test_a_programmes_fields_show_on_the_next_read(cast, plan, warm):
    assert ("PC016", "ENV-01") not in _findings(warm, plan)
    services.update_programme(
        actor=cast.editor,
        programme=plan.second,
        data={"start_year": 2025, "end_year": 2025},
        expected_version=stored_version(plan.second),
    )
    services.update_programme(
        actor=cast.editor,
        programme=plan.first,
        data={"start_year": 2026, "end_year": 2027},
        expected_version=stored_version(plan.first),
    )
    assert ("PC016", "ENV-01") in _findings(warm, plan)


def test_quick_win_flags_show_on_the_next_read(cast, plan, warm):
    assert ("PC009", "GOV-01") not in _findings(warm, plan)
    services.set_quick_win_years(
        actor=cast.editor, programme=plan.first, years=[2027], expected_version=stored_version(plan.first)
    )
    assert ("PC009", "GOV-01") in _findings(warm, plan)


def test_the_edition_header_shows_on_the_next_read(cast, plan, warm):
    assert ("PC018", None) in _findings(warm, plan)  # one of two programmes names its RPJMD programme
    services.update_edition(
        actor=cast.editor,
        edition=plan.edition,
        data={"rpjmd_min_share": 50},
        expected_version=stored_version(plan.edition),
    )
    assert ("PC018", None) not in _findings(warm, plan)


def test_edition_content_rows_show_on_the_next_read(cast, plan, warm):
    assert ("PC001", "GOV") not in _findings(warm, plan)
    strategy = plan.edition.strategies.get(code="S-GOV")
    services.delete_content(
        actor=cast.editor, edition=plan.edition, row=strategy, expected_version=stored_version(strategy)
    )
    assert ("PC001", "GOV") in _findings(warm, plan)


def test_the_regions_agencies_show_on_the_next_read(cast, plan, warm):
    assert ("PC006", "GOV-01") not in _findings(warm, plan)
    region_services.update_opd(
        actor=cast.owner,
        opd=cast.opd_a,
        data={"valid_to": datetime.date(2025, 6, 30)},
        expected_version=stored_version(cast.opd_a),
    )
    assert ("PC006", "GOV-01") in _findings(warm, plan)


def test_the_regions_name_shows_in_the_stored_document(cast, plan, warm):
    region_services.update_region(
        actor=cast.owner,
        region=cast.region_a,
        data={"name": "Solok Baru"},
        expected_version=stored_version(cast.region_a),
    )
    assert summaries.summary_of(plan.edition).document["region"]["name"] == "Solok Baru"


def test_a_sections_text_and_state_show_in_the_stored_document(cast, plan, warm):
    section = plan.edition.sections.order_by("id").first()
    services.update_section(
        actor=cast.editor, section=section, data={"title": "Bab baru"}, expected_version=stored_version(section)
    )
    titles = [s["title"] for s in summaries.summary_of(plan.edition).document["sections"]]
    assert "Bab baru" in titles


def test_a_disposition_shows_on_the_next_read(cast, plan):
    review = services.start_review_edition(
        actor=cast.owner,
        previous=plan.edition,
        data={"year": 2026, "title": "Review", "start_year": 2025, "end_year": 2029},
    )
    client = cast.client(cast.editor)
    url = reverse("plans:check", args=[A, review.year])
    seen = {f["rule"] for f in client.get(url, {"format": "json"}).json()["findings"]}
    assert "PC020" not in seen
    disposition = review.dispositions.get(previous_programme=plan.first)
    services.set_disposition(
        actor=cast.editor,
        disposition=disposition,
        data={"kind": "revise", "rationale": ""},
        expected_version=stored_version(disposition),
    )
    seen = {f["rule"] for f in client.get(url, {"format": "json"}).json()["findings"]}
    assert "PC020" in seen


def test_an_import_shows_on_the_next_read(cast, plan, warm):
    doc = edition_document(plan.edition)
    for p in doc["programmes"]:
        if p["code"] == "GOV-01":
            p["indicators"] = []
    import_document(actor=cast.editor, region=cast.region_a, doc=doc, replace=True)
    assert ("PC011", "GOV-01") in _findings(warm, plan)


def test_a_confirmed_quick_win_selection_shows_in_the_stored_document(cast):
    from kotacerdas.quickwins import services as qw_services
    from kotacerdas.quickwins.tests.builders import make_round

    selection_round = make_round(cast.region_a, per_dimension=1)
    edition = selection_round.edition
    solve = qw_services.solve_round(actor=cast.editor, selection_round=selection_round)
    # The plan's flags already agree, so only the confirmation itself changes what the check reads.
    services.set_year_quick_wins(
        actor=None,
        edition=edition,
        year=selection_round.budget_year,
        programmes=Programme.objects.filter(edition=edition, code__in=solve.chosen_codes),
    )
    assert summaries.summary_of(edition).document["quick_win_selections"] == []
    qw_services.confirm_selection(actor=cast.editor, solve=solve, expected_version=stored_version(solve.round))
    selections = summaries.summary_of(edition).document["quick_win_selections"]
    assert [s["selection"] for s in selections] == [sorted(solve.chosen_codes)]


# Reading, storing and rebuilding -----------------------------------------------------------


def test_a_waiver_of_findings_shows_on_the_next_read(cast, plan, warm):
    from kotacerdas.plans.services.waivers import waive_findings, withdraw_waiver

    assert ("PC011", "ENV-01") in _findings(warm, plan)
    waiver = waive_findings(actor=cast.mentor, edition=plan.edition, rule="PC011", subject="ENV-01", reason="Renstra")
    assert ("PC011", "ENV-01") not in _findings(warm, plan)
    withdraw_waiver(actor=cast.mentor, waiver=waiver, expected_version=waiver.version)
    assert ("PC011", "ENV-01") in _findings(warm, plan)


def test_a_read_after_the_first_computes_nothing(cast, plan, warm, monkeypatch):
    calls = []
    original = summaries.compute
    monkeypatch.setattr(summaries, "compute", lambda *a, **k: calls.append(1) or original(*a, **k))
    services.set_indicators(
        actor=cast.editor, programme=plan.first, indicators=[], expected_version=stored_version(plan.first)
    )
    for _n in range(3):
        _findings(warm, plan)
    assert calls == [1]


def test_a_summary_computed_while_a_write_lands_is_not_kept(cast, plan, warm):
    stale = summaries.compute(plan.edition.pk, Edition.objects.get(pk=plan.edition.pk).summary_stamp)
    services.set_indicators(
        actor=cast.editor, programme=plan.first, indicators=[], expected_version=stored_version(plan.first)
    )
    summaries._store(stale)  # the slow reader finishes after the write
    assert ("PC011", "GOV-01") in _findings(warm, plan)


def test_an_edition_without_a_summary_is_filled_on_its_first_read(cast, plan, warm):
    EditionSummary.objects.all().delete()
    assert ("PC018", None) in _findings(warm, plan)
    assert EditionSummary.objects.filter(edition=plan.edition).count() == 1


def test_a_summary_of_an_older_format_is_recomputed(cast, plan, warm):
    EditionSummary.objects.filter(edition=plan.edition).update(format=summaries.FORMAT - 1, findings=[])
    assert ("PC018", None) in _findings(warm, plan)


def test_the_pages_show_the_stored_figures(cast, plan, warm):
    services.set_budgets(
        actor=cast.editor,
        programme=plan.second,
        lines=[{"year": 2026, "source": "apbn", "amount": 7_000_000}],
        expected_version=stored_version(plan.second),
    )
    totals = summaries.summary_of(plan.edition, document=False).figures["budget"]
    assert totals["total"] == 157_000_000
    response = warm.get(reverse("plans:budgets", args=[A, plan.edition.year]))
    assert response.status_code == 200 and response.context["totals"].total == 157_000_000
    assert response.context["totals"].by_year == {2025: 150_000_000, 2026: 7_000_000}


def test_an_outsider_reads_no_summary(cast, plan):
    response = cast.client(cast.outsider).get(reverse("plans:check", args=[A, plan.edition.year]))
    assert response.status_code == 404


def test_stored_findings_render_like_computed_ones_in_each_language(cast, plan):
    near = make_programme(plan.edition, "GOV-02", name="Programme GOV-01", lead_opd=cast.opd_a)
    services.set_quick_win_years(actor=None, programme=near, years=[2027], expected_version=stored_version(near))
    computed = run_checks(check_document(plan.edition)).findings
    stored = summaries.report_of(summaries.summary_of(plan.edition)).findings
    assert len(computed) > 5
    assert [json.dumps(summaries.finding_json(f)) for f in computed] == [
        json.dumps(summaries.finding_json(f)) for f in stored
    ]
    for language in ("id", "en"):
        with translation.override(language):
            assert [finding_text(f) for f in stored] == [finding_text(f) for f in computed]


# The command --------------------------------------------------------------------------------


def _run(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("plan", "summaries", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_command_lists_and_rebuilds_the_summaries(cast, plan):
    assert [e["state"] for e in _run(A)["editions"]] == ["missing"]
    rebuilt = _run(A, "--rebuild")
    assert rebuilt["rebuilt"] and rebuilt["editions"][0]["state"] == "fresh"
    assert rebuilt["editions"][0]["counts"] == run_checks(check_document(plan.edition)).counts()
    services.set_indicators(
        actor=None, programme=plan.first, indicators=[], expected_version=stored_version(plan.first)
    )
    assert [e["state"] for e in _run()["editions"]] == ["stale"]


def test_the_command_names_an_unknown_region(cast):
    with pytest.raises(CommandError, match="no region '99.99'"):
        _run("99.99")


def test_a_national_view_reads_many_summaries_in_one_query(cast, plan, django_assert_num_queries):
    from kotacerdas.plans.tests.factories import make_edition

    other = make_edition(cast.region_b, year=2024)
    editions = [plan.edition, other]
    first = summaries.summaries_of(editions)  # fills both
    assert first[other.pk].counts == run_checks(check_document(other)).counts()
    with django_assert_num_queries(1):
        again = summaries.summaries_of(editions)
    assert {k: v.counts for k, v in again.items()} == {k: v.counts for k, v in first.items()}
