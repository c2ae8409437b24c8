"""The evaluation pages per role: the ministry scores and releases; the region's members and
mentors read released evaluations; a draft is 404 to the region; the outsider gets 404 everywhere."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.evaluation.domain import DIMENSIONS
from kotacerdas.evaluation.models import Evaluation, Status
from kotacerdas.evaluation.tests.conftest import SCORES, new_draft, released

pytestmark = pytest.mark.usefixtures("english")

REGION_PEOPLE = ("owner", "editor", "viewer", "mentor")
BASE = "/wilayah/13.72/evaluasi/"


def _post_data(evaluation, **changes):
    data = {"version": str(evaluation.version), "panel": "Tim Evaluasi", "conclusion": "Baik."}
    for name, value in SCORES.items():
        data[f"score_{name}"] = value
        data[f"note_{name}"] = f"Catatan {name}"
    for area in evaluation.area_scores.select_related("dimension"):
        data[f"area_{area.dimension.code}"] = "3,10"
        data[f"programmes_{area.dimension.code}"] = "2"
    data.update(changes)
    return data


@pytest.mark.parametrize("who", REGION_PEOPLE)
def test_the_region_sees_a_released_evaluation_but_not_a_draft(cast, who):
    released(cast.region_a, 2024)
    new_draft(cast.region_a, 2025)
    client = cast.client(getattr(cast, who))
    listing = client.get(BASE)
    assert listing.status_code == 200
    assert "2024" in listing.content.decode() and f"{BASE}2025/" not in listing.content.decode()
    page = client.get(f"{BASE}2024/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "3.28" in text and "Smart city evaluation 2024" in text
    assert client.get(f"{BASE}2025/").status_code == 404
    assert client.get(f"{BASE}2025/nilai/").status_code in (403, 404)


@pytest.mark.parametrize("path", ["", "2024/", "2025/", "2025/nilai/", "2024/surat.pdf", "baru/"])
def test_the_outsider_gets_404_everywhere(cast, path):
    released(cast.region_a, 2024)
    new_draft(cast.region_a, 2025)
    assert cast.client(cast.outsider).get(BASE + path).status_code == 404
    assert cast.client(cast.outsider).post(f"{BASE}2025/rilis/", {"version": "2"}).status_code == 404


def test_region_people_may_not_start_score_or_release(cast, draft):
    client = cast.client(cast.owner)
    assert client.get(f"{BASE}baru/").status_code == 403
    assert client.post(f"{BASE}2025/rilis/", {"version": str(draft.version)}).status_code == 404
    assert Evaluation.objects.get(pk=draft.pk).status == Status.DRAFT


def test_the_ministry_starts_a_draft_and_a_year_without_scheme_is_said(cast):
    client = cast.client(cast.ministry)
    refused = client.post(f"{BASE}baru/", {"year": "2025"})
    assert refused.status_code == 400
    assert "no published evaluation scheme for 2025" in refused.content.decode()
    created = client.post(f"{BASE}baru/", {"year": "2025", "scheme_year": "2022", "panel": "Tim"})
    assert created.status_code == 302 and created["Location"] == f"{BASE}2025/nilai/"


def test_the_ministry_enters_scores_and_sees_the_index_live_then_releases(cast, draft):
    client = cast.client(cast.ministry)
    form = client.get(f"{BASE}2025/nilai/")
    assert form.status_code == 200
    assert "What the workbench data suggest" in form.content.decode()
    saved = client.post(f"{BASE}2025/nilai/", _post_data(draft))
    assert saved.status_code == 302
    page = client.get(f"{BASE}2025/")
    text = page.content.decode()
    assert "3.28" in text and "Computed now" in text and "Release the evaluation" in text
    evaluation = Evaluation.objects.get(pk=draft.pk)
    done = client.post(f"{BASE}2025/rilis/", {"version": str(evaluation.version)})
    assert done.status_code == 302
    assert Evaluation.objects.get(pk=draft.pk).status == Status.RELEASED
    # Frozen: the form sends back to the page, and the owner now sees it.
    assert client.get(f"{BASE}2025/nilai/").status_code == 302
    assert cast.client(cast.owner).get(f"{BASE}2025/").status_code == 200


def test_bad_scores_list_the_problems_and_keep_the_input(cast, draft):
    response = cast.client(cast.ministry).post(f"{BASE}2025/nilai/", _post_data(draft, score_output="6,5"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "error-summary" in text and "outside the scale" in text and 'value="6,5"' in text
    assert not Evaluation.objects.get(pk=draft.pk).scores.exclude(score=None).exists()


def test_a_stale_save_is_409_and_keeps_the_input(cast, draft):
    client = cast.client(cast.ministry)
    assert client.post(f"{BASE}2025/nilai/", _post_data(draft)).status_code == 302
    stale = client.post(f"{BASE}2025/nilai/", _post_data(draft, note_impact="Catatan baru saya"))
    assert stale.status_code == 409
    assert "Catatan baru saya" in stale.content.decode()
    missing = client.post(f"{BASE}2025/nilai/", _post_data(draft, version=""))
    assert missing.status_code == 409


def test_release_of_an_incomplete_draft_says_what_is_missing(cast, draft):
    response = cast.client(cast.ministry).post(f"{BASE}2025/rilis/", {"version": str(draft.version)})
    assert response.status_code == 400
    assert "still missing" in response.content.decode()


def test_evidence_is_downloaded_through_the_evaluation_only(cast, draft):
    client = cast.client(cast.ministry)
    upload = SimpleUploadedFile("bukti-output.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")
    assert client.post(f"{BASE}2025/nilai/", {**_post_data(draft), "file_output": upload}).status_code == 302
    url = f"{BASE}2025/bukti/output/"
    download = client.get(url)
    assert download.status_code == 200 and "bukti-output.pdf" in download["Content-Disposition"]
    assert cast.client(cast.owner).get(url).status_code == 404  # a draft's evidence stays with the ministry
    evaluation = Evaluation.objects.get(pk=draft.pk)
    client.post(f"{BASE}2025/rilis/", {"version": str(evaluation.version)})
    assert cast.client(cast.mentor).get(url).status_code == 200
    assert cast.client(cast.outsider).get(url).status_code == 404


def test_a_fake_pdf_is_refused_next_to_its_field(cast, draft):
    fake = SimpleUploadedFile("bukti.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = cast.client(cast.ministry).post(f"{BASE}2025/nilai/", {**_post_data(draft), "file_output": fake})
    assert response.status_code == 400 and "is not a PDF" in response.content.decode()


def test_the_ministry_overview_lists_a_year_and_is_hidden_from_others(cast):
    released(cast.region_a, 2025)
    new_draft(cast.region_b, 2025)
    page = cast.client(cast.ministry).get("/evaluasi/?tahun=2025")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kota Solok" in text and "Kota Sawahlunto" in text
    for who in ("owner", "mentor", "outsider"):
        assert cast.client(getattr(cast, who)).get("/evaluasi/").status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_cost_the_same_for_2_and_10_evaluations(cast):
    client = cast.client(cast.ministry)
    for year in (2014, 2015):
        new_draft(cast.region_a, year)
        new_draft(cast.region_b, year)
    few_region, few_overview = _queries(client, BASE), _queries(client, "/evaluasi/?tahun=2015")
    for year in range(2016, 2024):
        new_draft(cast.region_a, year)
    for code in range(10, 18):
        from kotacerdas.regions import services as region_services

        region = region_services.create_region(
            actor=None,
            data={"code": f"13.{code}", "name": f"R{code}", "kind": "kota", "province": "X", "time_zone": "WIB"},
        )
        new_draft(region, 2015)
    assert _queries(client, BASE) == few_region
    assert _queries(client, "/evaluasi/?tahun=2015") == few_overview


def test_the_detail_page_costs_the_same_whatever_the_scores(cast):
    client = cast.client(cast.ministry)
    released(cast.region_a, 2024)
    first = _queries(client, f"{BASE}2024/")
    evaluation = new_draft(cast.region_a, 2025)
    assert evaluation.scores.count() == len(DIMENSIONS)
    released(cast.region_a, 2023)
    assert _queries(client, f"{BASE}2024/") == first
