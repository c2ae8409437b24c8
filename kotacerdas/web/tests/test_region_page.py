"""The region home is composed here from each app's selectors: regions knows nothing of the
assistance sessions, and the page still shows them, in a fixed number of queries."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from kotacerdas.engagements import services
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.web.selectors import region_page

pytestmark = pytest.mark.django_db
A = "13.72"
D = datetime.date


def _schedule(region):
    cohort = services.ensure_cohort(
        actor=None, year=2024, name="Pendampingan 2024", ministry_name="Kementerian Kominfo"
    )
    engagement = services.create_engagement(actor=None, region=region, cohort=cohort, purpose="Reviu")
    engagement = services.update_engagement(
        actor=None,
        engagement=engagement,
        data={"starts_on": D(2024, 6, 1), "ends_on": D(2024, 9, 30)},
        expected_version=stored_version(engagement),
    )
    return services.schedule_default_stages(actor=None, engagement=engagement, first_day=D(2024, 6, 10))


def test_the_region_home_lists_the_regions_sessions_only(cast):
    ours, theirs = _schedule(cast.region_a), _schedule(cast.region_b)
    html = cast.client(cast.viewer).get(reverse("regions:home", args=[A])).content.decode()
    assert reverse("engagements:session", args=[A, ours[0].pk]) in html
    assert f"/{theirs[0].pk}/" not in html.split('id="sessions-title"')[1]


def test_the_outsider_gets_404_on_the_region_home(cast):
    assert cast.client(cast.outsider).get(reverse("regions:home", args=[A])).status_code == 404


def test_the_page_selector_reads_in_a_fixed_number_of_queries(cast, django_assert_num_queries):
    _schedule(cast.region_a)
    with django_assert_num_queries(9):
        page = region_page(cast.region_a)
    assert len(page.sessions) == 4 and page.home.region == cast.region_a


def test_regions_does_not_import_engagements():
    root = Path(__file__).resolve().parents[2] / "regions"
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("kotacerdas.engagements"), path
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("kotacerdas.engagements") for a in node.names), path
