"""Assessment pages over HTTP: every page by role, the outsider (404) and the anonymous visitor."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kotacerdas.assessments.models import Answer, GapProposal, Run
from kotacerdas.assessments.services import runs as services
from kotacerdas.assessments.tests.conftest import answer_all

pytestmark = pytest.mark.django_db

A = "13.72"


def pages(run, readiness):
    """(name, url, who may GET it) for every page of region A."""
    pk = run.pk
    return [
        ("runs", reverse("assessments:runs", args=[A]), "view"),
        ("run_create", reverse("assessments:run_create", args=[A]), "edit"),
        ("run", reverse("assessments:run", args=[A, pk]), "view"),
        ("section", reverse("assessments:section", args=[A, pk, "GOV"]), "view"),
        ("swot section", reverse("assessments:section", args=[A, readiness.pk, "NAT"]), "view"),
        ("answer", reverse("assessments:answer", args=[A, pk, "GOV-1.1"]), "edit"),
        ("history", reverse("assessments:history", args=[A, pk, "GOV-1.1"]), "view"),
        ("assessor_add", reverse("assessments:assessor_add", args=[A, pk]), "administer"),
        ("review", reverse("assessments:review", args=[A, pk]), "review"),
        ("results", reverse("assessments:results", args=[A, pk]), "view"),
        ("readiness results", reverse("assessments:results", args=[A, readiness.pk]), "view"),
        ("gaps", reverse("assessments:gaps", args=[A, pk]), "view"),
        ("targets", reverse("assessments:targets", args=[A, pk]), "edit"),
        ("compare", reverse("assessments:compare", args=[A, pk, pk]), "view"),
        ("export", reverse("assessments:run_export", args=[A, pk]), "view"),
        ("import", reverse("assessments:run_import", args=[A, pk]), "edit"),
    ]


ALLOWED = {
    "view": {"owner", "editor", "viewer", "mentor", "ministry"},
    "edit": {"owner", "editor", "ministry"},
    "administer": {"owner", "ministry"},
    "review": {"mentor", "ministry"},
}


@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "mentor", "ministry", "outsider"])
def test_every_assessment_page_answers_by_role_and_hides_region_a_from_the_outsider(cast, maturity, readiness, who):
    answer_all(maturity, cast.editor)
    client = cast.client(getattr(cast, who))
    for name, url, need in pages(maturity, readiness):
        status = client.get(url).status_code
        if who == "outsider":
            assert status == 404, f"{name}: outsider must get 404, got {status}"
        elif who in ALLOWED[need]:
            assert status == 200, f"{name}: {who} should be allowed, got {status}"
        else:
            assert status == 403, f"{name}: {who} should be forbidden, got {status}"


def test_anonymous_visitors_are_sent_to_sign_in(cast, maturity, readiness):
    client = cast.client(None)
    for name, url, _need in pages(maturity, readiness):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"], name


def test_a_run_of_region_b_is_not_found_through_region_a(cast, templates):
    other = services.start_run(actor=None, region=cast.region_b, template=templates["maturity"], year=2024)
    response = cast.client(cast.owner).get(reverse("assessments:run", args=[A, other.pk]))
    assert response.status_code == 404


def test_the_outsider_cannot_write_into_region_a(cast, maturity):
    client = cast.client(cast.outsider)
    response = client.post(reverse("assessments:answer", args=[A, maturity.pk, "GOV-1.1"]), {"GOV-1.1-value": "3"})
    assert response.status_code == 404
    assert client.post(reverse("assessments:submit", args=[A, maturity.pk])).status_code == 404
    assert not Answer.objects.exists()


def test_a_viewer_cannot_answer(cast, maturity):
    response = cast.client(cast.viewer).post(
        reverse("assessments:answer", args=[A, maturity.pk, "GOV-1.1"]), {"GOV-1.1-value": "3"}
    )
    assert response.status_code == 403


def test_an_editor_and_a_mentor_carry_a_maturity_assessment_from_draft_to_accepted(cast, maturity):
    editor, mentor = cast.client(cast.editor), cast.client(cast.mentor)
    url = reverse("assessments:answer", args=[A, maturity.pk, "GOV-1.1"])
    # Without JavaScript: a plain POST with a file goes back to the section.
    pdf = SimpleUploadedFile("sk.pdf", b"%PDF-1.4 sk", content_type="application/pdf")
    response = editor.post(url, {"GOV-1.1-value": "3", "GOV-1.1-comment": "Portal", "GOV-1.1-evidence_file": pdf})
    assert response.status_code == 302 and response["Location"].endswith("#item-GOV-1.1")
    answer = Answer.objects.get(item__code="GOV-1.1")
    assert answer.value == 3 and answer.evidence_file and answer.answered_by == cast.editor
    # With htmx: the item's partial comes back; errors keep the input and name the problem.
    response = editor.post(
        url, {"GOV-1.1-value": "9", "GOV-1.1-version": answer.version}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and b"<html" not in response.content
    assert b"error-summary" in response.content
    # A stale form gets 409.
    response = editor.post(url, {"GOV-1.1-value": "2", "GOV-1.1-version": answer.version - 1 or 99})
    assert response.status_code == 409
    answer_all(maturity, cast.editor)
    maturity.refresh_from_db()
    response = editor.post(reverse("assessments:submit", args=[A, maturity.pk]), {"version": maturity.version})
    assert response.status_code == 302
    maturity.refresh_from_db()
    assert maturity.status == "submitted"
    review = mentor.get(reverse("assessments:review", args=[A, maturity.pk]))
    assert review.status_code == 200 and b'value="return"' in review.content
    answers = list(Answer.objects.filter(run=maturity))
    first = answers[0]
    response = mentor.post(
        reverse("assessments:review_item", args=[A, maturity.pk, first.pk]),
        {"decision": "return", f"r{first.pk}-review_comment": "Tambah bukti", f"r{first.pk}-version": first.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and b"Tambah bukti" in response.content
    for answer in answers[1:]:
        mentor.post(
            reverse("assessments:review_item", args=[A, maturity.pk, answer.pk]),
            {"decision": "accept", f"r{answer.pk}-version": answer.version},
        )
    maturity.refresh_from_db()
    assert maturity.status == "returned"
    first.refresh_from_db()
    editor.post(
        reverse("assessments:answer", args=[A, maturity.pk, first.item.code]),
        {f"{first.item.code}-value": "4", f"{first.item.code}-evidence_link": "https://example.org/b.pdf",
         f"{first.item.code}-version": first.version},
    )  # fmt: skip
    maturity.refresh_from_db()
    editor.post(reverse("assessments:submit", args=[A, maturity.pk]), {"version": maturity.version})
    first.refresh_from_db()
    mentor.post(
        reverse("assessments:review_item", args=[A, maturity.pk, first.pk]),
        {"decision": "accept", f"r{first.pk}-version": first.version},
    )
    maturity.refresh_from_db()
    assert maturity.status == "accepted"
    results = editor.get(reverse("assessments:results", args=[A, maturity.pk]))
    assert results.status_code == 200 and b"<svg" in results.content and b"chart-radar" in results.content
    gaps = editor.get(reverse("assessments:gaps", args=[A, maturity.pk]))
    assert gaps.status_code == 200
    response = editor.post(
        reverse("assessments:propose", args=[A, maturity.pk, "GOV-2"]),
        {"GOV-2-element": "GOV-2", "GOV-2-kind": "programme"},
    )
    assert response.status_code == 302
    proposal = GapProposal.objects.get()
    assert proposal.element_code == "GOV-2" and proposal.evidence


def test_a_readiness_analysis_takes_swot_entries_in_the_browser(cast, readiness):
    client = cast.client(cast.editor)
    url = reverse("assessments:swot_add", args=[A, readiness.pk, "INF"])
    response = client.post(url, {"quadrant": "W", "text": "Jaringan belum sampai kelurahan"})
    assert response.status_code == 302
    page = client.get(reverse("assessments:section", args=[A, readiness.pk, "INF"]))
    assert "Jaringan belum sampai kelurahan" in page.content.decode()
    assert cast.client(cast.viewer).post(url, {"quadrant": "S", "text": "?"}).status_code == 403


def test_starting_a_run_in_the_browser(cast, templates):
    client = cast.client(cast.owner)
    response = client.post(
        reverse("assessments:run_create", args=[A]), {"template": templates["readiness"].pk, "year": "2024"}
    )
    run = Run.objects.get()
    assert response.status_code == 302 and run.region == cast.region_a
    response = client.post(
        reverse("assessments:run_create", args=[A]), {"template": templates["readiness"].pk, "year": "1800"}
    )
    assert response.status_code == 200 and b"error-summary" in response.content


def _grow(cast, templates, n):
    for year in range(2000, 2000 + n):
        run = services.start_run(actor=None, region=cast.region_a, template=templates["maturity"], year=year)
        answer_all(run, cast.editor)


def test_the_run_list_and_result_pages_run_a_fixed_number_of_queries(cast, templates, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = cast.client(cast.editor)
    _grow(cast, templates, 1)
    run = Run.objects.get()
    urls = [
        reverse("assessments:runs", args=[A]),
        reverse("assessments:results", args=[A, run.pk]),
        reverse("assessments:run", args=[A, run.pk]),
        reverse("assessments:section", args=[A, run.pk, "GOV"]),
        reverse("assessments:gaps", args=[A, run.pk]),
        reverse("assessments:review", args=[A, run.pk]),
    ]
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as before:
            client.get(url)
        counts[url] = len(before)
    _grow(cast, templates, 4)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)


def test_the_readiness_results_show_the_swot_of_each_component(cast, readiness):
    from kotacerdas.assessments.models import Section

    answer_all(readiness, cast.editor)
    section = Section.objects.get(template=readiness.template, code="SUP")
    services.add_swot(
        actor=cast.editor, run=readiness, section=section, data={"quadrant": "T", "text": "Mutasi pejabat"}
    )
    page = cast.client(cast.viewer).get(reverse("assessments:results", args=[A, readiness.pk]))
    assert page.status_code == 200 and "Mutasi pejabat" in page.content.decode()


def test_a_gap_becomes_a_draft_strategy_in_the_open_master_plan_edition(cast, maturity):
    from kotacerdas.plans.models import Strategy
    from kotacerdas.plans.tests.factories import make_edition

    edition = make_edition(cast.region_a)
    answer_all(maturity, cast.editor, level=2)
    client = cast.client(cast.editor)
    gaps = client.get(reverse("assessments:gaps", args=[A, maturity.pk]))
    url = reverse("assessments:draft_strategy", args=[A, maturity.pk, "GOV-1", edition.year])
    assert url.encode() in gaps.content
    response = client.post(url, {"note": "Satukan layanan dalam satu portal"})
    assert response.status_code == 302 and "/masterplan/" in response["Location"]
    strategy = Strategy.objects.get(edition=edition, code="AS-GOV-1")
    assert strategy.element.code == "GOV-1" and strategy.dimension.code == "GOV" and "GOV-1.1" in strategy.text
    proposal = GapProposal.objects.get()
    assert proposal.plan_ref == f"plans.Strategy:{strategy.pk}" and proposal.evidence[0]["item"] == "GOV-1.1"
    client.post(url)
    assert Strategy.objects.filter(edition=edition, code="AS-GOV-1-2").exists()
    assert cast.client(cast.viewer).post(url).status_code == 403
    assert cast.client(cast.outsider).post(url).status_code == 404


def test_a_panel_assessor_answers_in_their_own_slot_and_the_spread_shows(cast, templates):
    run = services.start_run(actor=cast.ministry, region=cast.region_a, template=templates["selection"], year=2019)
    url = reverse("assessments:answer", args=[A, run.pk, "WAW-1"])
    mentor = cast.client(cast.mentor)
    assert mentor.post(url, {"WAW-1-value": "2"}).status_code == 403  # not assigned yet
    response = cast.client(cast.owner).post(
        reverse("assessments:assessor_add", args=[A, run.pk]), {"user": cast.mentor.pk}
    )
    assert response.status_code == 302
    services.assign_assessor(actor=cast.ministry, run=run, user=cast.ministry)
    assert mentor.post(url, {"WAW-1-value": "2"}).status_code == 302
    assert cast.client(cast.ministry).post(url, {"WAW-1-value": "5"}).status_code == 302
    answers = Answer.objects.filter(run=run, item__code="WAW-1").select_related("assessor")
    assert sorted((a.assessor.user.username, int(a.value)) for a in answers) == [("mentor", 2), ("ministry", 5)]
    page = cast.client(cast.viewer).get(reverse("assessments:results", args=[A, run.pk]))
    assert page.status_code == 200 and b"62.5" in page.content  # the mean of 25 and 100, in the chart
