"""The demo banner says only what is true of the page being viewed: an empty sample region's pages
do not claim that a plan, a round or an assessment exists, nor name another region."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db

GENERAL = "Some of what this region shows was invented for the demo"
PAGES = ["plans:index", "quickwins:rounds", "assessments:runs"]


@pytest.mark.parametrize("page", PAGES)
def test_an_empty_sample_regions_pages_carry_the_general_banner_only(cast, english, page):
    Region.objects.filter(pk=cast.region_b.pk).update(is_sample=True)
    response = cast.client(cast.outsider).get(reverse(page, args=["13.73"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert GENERAL in html
    assert "Solok" not in html
    assert "was invented for the demo:" not in html and "This assessment was invented" not in html


@pytest.mark.parametrize("page", PAGES)
def test_a_real_regions_pages_carry_no_banner(cast, english, page):
    html = cast.client(cast.owner).get(reverse(page, args=["13.72"])).content.decode()
    assert "sample-banner" not in html


@pytest.mark.parametrize("page", PAGES)
def test_an_outsider_gets_404_on_the_other_regions_pages(cast, page):
    assert cast.client(cast.outsider).get(reverse(page, args=["13.72"])).status_code == 404
