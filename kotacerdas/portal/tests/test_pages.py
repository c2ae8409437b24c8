"""The public portal as a citizen reads it: published parts only, never a draft, no cookie."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kotacerdas.plans.models import Edition, EditionStatus, Programme
from kotacerdas.plans.tests.factories import make_edition, make_programme
from kotacerdas.portal import services
from kotacerdas.portal.models import PARTS
from kotacerdas.portal.tests.conftest import Published, publish_all
from kotacerdas.regions import services as region_services
from kotacerdas.regions.models import Region

A, B = "13.72", "13.73"
PART_URLS = {
    "plan": "portal:plan",
    "quick_wins": "portal:quick_wins",
    "indicators": "portal:indicators",
    "books": "portal:books",
    "evaluation": "portal:evaluation",
}


def anonymous() -> Client:
    return Client()


def test_anonymous_reads_the_published_plan(published: Published, english: Any) -> None:
    response = anonymous().get(reverse("portal:plan", args=[A]) + "?lang=en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Solok kota cerdas yang melayani" in html
    assert "Misi satu" in html
    assert "GOV-01" in html and "ENV-01" in html
    assert "Dinas Komunikasi dan Informatika" in html
    assert '<html lang="en">' in html
    assert "2025–2029" in html and "2,025" not in html


def test_the_region_page_lists_the_published_parts_and_the_open_data(published: Published) -> None:
    html = anonymous().get(reverse("portal:region", args=[A])).content.decode()
    assert '<html lang="id">' in html
    for name in PART_URLS.values():
        assert reverse(name, args=[A]) in html
    assert reverse("portal:table", args=[A, "programmes", "csv"]) in html
    assert reverse("portal:metadata", args=[A, "indicators"]) in html


@pytest.mark.parametrize("part", PARTS)
def test_an_unpublished_part_is_a_404_for_everyone(published: Published, cast: Any, part: str) -> None:
    url = reverse(PART_URLS[part], args=[A])
    assert anonymous().get(url).status_code == 200
    services.set_publication(actor=None, region=published.region, parts={part: False}, expected_version=1)
    assert anonymous().get(url).status_code == 404
    # Members read it in the workbench, not here: the portal answers every reader alike.
    assert cast.client(cast.owner).get(url).status_code == 404
    region_page = anonymous().get(reverse("portal:region", args=[A])).content.decode()
    assert url not in region_page


def test_a_region_that_does_not_publish_its_page_is_a_404(published: Published, cast: Any) -> None:
    Region.objects.filter(pk=published.region.pk).update(is_published=False)
    for url in [reverse("portal:region", args=[A]), reverse("portal:plan", args=[A])]:
        assert anonymous().get(url).status_code == 404
        assert cast.client(cast.owner).get(url).status_code == 404
    assert anonymous().get(reverse("portal:region", args=["99.99"])).status_code == 404


def test_a_draft_only_region_shows_no_plan(cast: Any) -> None:
    """Region B publishes everything but its only edition is a draft: no plan, indicator or book."""
    edition = make_edition(cast.region_b)
    make_programme(edition, "GOV-09", name="Program rahasia draf")
    publish_all(cast.region_b)
    for part in ("plan", "quick_wins", "indicators", "books"):
        assert anonymous().get(reverse(PART_URLS[part], args=[B])).status_code == 404, part
    assert anonymous().get(reverse("portal:table", args=[B, "programmes", "csv"])).status_code == 404
    page = anonymous().get(reverse("portal:region", args=[B]))
    assert page.status_code == 200 and "Program rahasia draf" not in page.content.decode()


def test_the_plan_shows_the_adopted_edition_not_the_newer_draft(published: Published, cast: Any) -> None:
    review = make_edition(cast.region_a, year=2026, start=2026, end=2030)
    make_programme(review, "NEW-01", name="Program draf tinjauan")
    html = anonymous().get(reverse("portal:plan", args=[A])).content.decode()
    assert "Program draf tinjauan" not in html and "GOV-01" in html


def test_quick_wins_show_their_accepted_progress(published: Published) -> None:
    html = anonymous().get(reverse("portal:quick_wins", args=[A])).content.decode()
    assert "GOV-01" in html and "40 %" in html
    assert 'id="year-2025"' in html  # a year is never grouped like an amount (2.025)


def test_indicators_are_accessible_charts_with_a_table(published: Published) -> None:
    html = anonymous().get(reverse("portal:indicators", args=[A])).content.decode()
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "Layanan daring" in html
    assert "13,5" in html  # the actual of 2025, in Indonesian
    assert "<caption>" in html


def test_only_books_generated_after_adoption_are_public(published: Published) -> None:
    html = anonymous().get(reverse("portal:books", args=[A])).content.decode()
    good = reverse("portal:book_download", args=[A, published.book.pk])
    draft = reverse("portal:book_download", args=[A, published.draft_book.pk])
    assert good in html and draft not in html
    response = anonymous().get(good)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]
    assert anonymous().get(draft).status_code == 404


def test_a_book_of_another_region_is_not_downloadable_here(published: Published, cast: Any) -> None:
    publish_all(cast.region_b)
    assert anonymous().get(reverse("portal:book_download", args=[B, published.book.pk])).status_code == 404


def test_the_evaluation_shows_released_results_only(published: Published) -> None:
    from kotacerdas.evaluation.models import Evaluation

    Evaluation.objects.create(
        region=published.region,
        year=2026,
        scheme_year=2026,
        taxonomy=published.edition.taxonomy,
        predicate_name="Rahasia",
    )
    html = anonymous().get(reverse("portal:evaluation", args=[A])).content.decode()
    assert "3,46" in html and "Baik" in html
    assert "Rahasia" not in html


def test_the_index_lists_and_searches_published_regions(published: Published, cast: Any) -> None:
    html = anonymous().get(reverse("portal:index")).content.decode()
    assert "Kota Solok" in html and "Sawahlunto" not in html
    Region.objects.filter(pk=cast.region_b.pk).update(is_published=True)
    html = anonymous().get(reverse("portal:index"), {"q": "sawah"}).content.decode()
    assert "Kota Sawahlunto" in html and "Kota Solok" not in html
    html = anonymous().get(reverse("portal:index"), {"q": "13.72"}).content.decode()
    assert "Kota Solok" in html and "Kota Sawahlunto" not in html
    huge = anonymous().get(reverse("portal:index"), {"q": "x" * 10_000 + "\x00'%"})
    assert huge.status_code == 200


def test_no_cookie_is_set_for_anonymous_readers(published: Published) -> None:
    client = anonymous()
    urls = [reverse("portal:index"), reverse("portal:region", args=[A]) + "?lang=en"]
    urls += [reverse(name, args=[A]) for name in PART_URLS.values()]
    urls += [reverse("portal:table", args=[A, "indicators", "json"]), reverse("portal:catalogue", args=[A])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert not response.cookies, url
    missing = client.get(reverse("portal:region", args=["99.99"]))
    assert missing.status_code == 404 and "Set-Cookie" not in missing.headers
    assert not client.cookies


def test_pages_are_publicly_cacheable_and_answer_conditional_gets(published: Published) -> None:
    url = reverse("portal:plan", args=[A])
    first = anonymous().get(url)
    assert "public" in first["Cache-Control"] and "max-age=300" in first["Cache-Control"]
    etag, modified = first["ETag"], first["Last-Modified"]
    again = anonymous().get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    assert anonymous().get(url, headers={"If-Modified-Since": modified}).status_code == 304
    english = anonymous().get(url + "?lang=en")
    assert english["ETag"] != etag and english["Content-Language"] == "en"
    # A change of what the page shows changes the tag: the old one no longer matches.
    region, page = published.region, reverse("portal:region", args=[A])
    before = anonymous().get(page)["ETag"]
    region_services.update_region(
        actor=None, region=region, data={"motto": "Kota Beras Serambi Madinah"}, expected_version=region.version
    )
    changed = anonymous().get(page, headers={"If-None-Match": before})
    assert changed.status_code == 200 and changed["ETag"] != before
    assert "Kota Beras Serambi Madinah" in changed.content.decode()


def test_an_accepted_update_changes_the_tag_of_the_quick_wins(published: Published) -> None:
    from kotacerdas.monitoring.models import ProgrammeUpdate

    url = reverse("portal:quick_wins", args=[A])
    etag = anonymous().get(url)["ETag"]
    # What accept_update's save does to the row (auto_now), without the workflow around it.
    ProgrammeUpdate.objects.filter(region=published.region).update(progress=75, updated_at=timezone.now())
    response = anonymous().get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200 and "75 %" in response.content.decode()


def test_the_portal_refuses_writes(published: Published) -> None:
    assert anonymous().post(reverse("portal:plan", args=[A])).status_code == 405


# Open data -------------------------------------------------------------------------------


def test_each_public_table_is_csv_and_json_with_the_same_rows(published: Published) -> None:
    for slug in ("programmes", "quick-wins", "indicators", "evaluation"):
        as_csv = anonymous().get(reverse("portal:table", args=[A, slug, "csv"]))
        as_json = anonymous().get(reverse("portal:table", args=[A, slug, "json"]))
        assert as_csv["Content-Type"].startswith("text/csv") and as_json["Content-Type"] == "application/json"
        rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
        data = json.loads(as_json.content)
        assert rows[0] == data["columns"], slug
        assert len(rows) - 1 == len(data["data"]) >= 1, slug
    indicators = json.loads(anonymous().get(reverse("portal:table", args=[A, "indicators", "json"])).content)
    year_2025 = next(r for r in indicators["data"] if r["year"] == 2025)
    assert year_2025["target"] == 15 and year_2025["actual"] == 13.5 and year_2025["unit"] == "layanan"


def test_text_that_looks_like_a_formula_stays_text_in_the_csv(published: Published) -> None:
    Programme.objects.filter(pk=published.monitored.first.pk).update(name="=HYPERLINK(1)")
    text = anonymous().get(reverse("portal:table", args=[A, "programmes", "csv"])).content.decode()
    assert "'=HYPERLINK(1)" in text


def test_the_metadata_names_title_publisher_licence_date_and_column_units(published: Published) -> None:
    meta = json.loads(anonymous().get(reverse("portal:metadata", args=[A, "programmes"])).content)
    assert meta["title"] and "Kota Solok" in meta["publisher"]["name"]
    assert meta["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta["modified"] and meta["issued"] == "2025-01-10"
    budget = next(c for c in meta["columns"] if c["name"] == "planned_budget")
    assert budget["unit"] == "Rp" and budget["type"] == "integer"
    urls = {d["format"]: d["downloadURL"] for d in meta["distribution"]}
    assert urls["CSV"].endswith(reverse("portal:table", args=[A, "programmes", "csv"]))
    catalogue = json.loads(anonymous().get(reverse("portal:catalogue", args=[A])).content)
    assert {d["identifier"] for d in catalogue["dataset"]} == {
        f"kotacerdas-{A}-{slug}" for slug in ("programmes", "quick-wins", "indicators", "evaluation")
    }


def test_open_data_of_an_unpublished_part_is_a_404(published: Published) -> None:
    services.set_publication(actor=None, region=published.region, parts={"indicators": False}, expected_version=1)
    for url in (
        reverse("portal:table", args=[A, "indicators", "csv"]),
        reverse("portal:table", args=[A, "indicators", "json"]),
        reverse("portal:metadata", args=[A, "indicators"]),
    ):
        assert anonymous().get(url).status_code == 404
    catalogue = json.loads(anonymous().get(reverse("portal:catalogue", args=[A])).content)
    assert "kotacerdas-13.72-indicators" not in {d["identifier"] for d in catalogue["dataset"]}
    assert anonymous().get(reverse("portal:table", args=[A, "nothing", "csv"])).status_code == 404
    assert anonymous().get(reverse("portal:table", args=[A, "programmes", "xlsx"])).status_code == 404


def test_a_draft_edition_is_never_the_adopted_one(published: Published) -> None:
    Edition.objects.filter(pk=published.edition.pk).update(status=EditionStatus.HEAD_APPROVED)
    assert anonymous().get(reverse("portal:plan", args=[A])).status_code == 404


def test_the_region_page_shows_the_profile_and_follows_a_new_population_figure(published: Published) -> None:
    url = reverse("portal:region", args=[A])
    first = anonymous().get(url)
    assert "73.438 (2020)" in first.content.decode()
    region_services.set_population(
        actor=None, region=published.region, year=2024, population=80_000, expected_version=0
    )
    again = anonymous().get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200 and "80.000 (2024)" in again.content.decode()
