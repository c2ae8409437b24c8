"""A citizen's journey through the portal in the system chromium, with axe-core's WCAG 2.1 A/AA
rules on every page (tests/guards/vendor/axe-core), the printed view, and no cookie at the end.

Database work happens before the Playwright block (stack notes, gotcha 3).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kotacerdas.plans.tests.factories import make_edition, make_programme
from kotacerdas.portal import services
from kotacerdas.portal.tests.conftest import Published, publish_all
from tests.support.browser import browser_page, require_browser

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[3] / "tests" / "guards" / "vendor" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; '));
}"""
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live(transactional_db: Any, cast: Any, published: Published) -> Published:
    require_browser()
    services.set_publication(actor=None, region=published.region, parts={"evaluation": False}, expected_version=1)
    draft = make_edition(cast.region_b)
    make_programme(draft, "GOV-09", name="Program draf")
    publish_all(cast.region_b)
    return published


def axe(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found: list[str] = page.evaluate(RUN, WCAG)
    return found


def test_a_citizen_reads_the_published_plan_and_cannot_reach_the_rest(live: Published, live_server: Any) -> None:
    base = live_server.url
    problems: list[str] = []
    with browser_page(viewport=PHONE, bypass_csp=True) as page:
        page.goto(base + "/publik/")
        problems += [f"index: {v}" for v in axe(page)]
        page.fill("#portal-q", "solok")
        page.press("#portal-q", "Enter")
        page.wait_for_url("**/publik/?q=solok")
        assert page.locator("table tbody tr").count() == 1
        page.click("text=Kota Solok")
        page.wait_for_url("**/publik/13.72/")
        assert page.locator("html").get_attribute("lang") == "id"
        problems += [f"region: {v}" for v in axe(page)]
        page.click(".part-list a[href='/publik/13.72/rencana/']")
        page.wait_for_url("**/publik/13.72/rencana/")
        assert "Solok kota cerdas yang melayani" in page.inner_text("main")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        problems += [f"plan: {v}" for v in axe(page)]
        # The language switch is a link: the English page, same content, no cookie needed.
        page.click("a[hreflang=en]")
        page.wait_for_url("**/rencana/?lang=en")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h2#programmes").inner_text() == "Programmes by dimension"
        problems += [f"plan (en): {v}" for v in axe(page)]
        for path in ("quick-win/", "buku/", "indikator/"):
            response = page.goto(f"{base}/publik/13.72/{path}")
            assert response is not None and response.status == 200, path
            problems += [f"{path}: {v}" for v in axe(page)]
        assert page.locator("svg[role=img] title").count() >= 1
        # Printed: no navigation, the content stays.
        page.emulate_media(media="print")
        assert not page.locator(".portal-parts").is_visible()
        assert page.locator("main h1").is_visible()
        page.emulate_media(media="screen")
        # The evaluation is not published, and region B has only a draft plan.
        for path in ("/publik/13.72/evaluasi/", "/publik/13.73/rencana/", "/publik/13.73/indikator/"):
            response = page.goto(base + path)
            assert response is not None and response.status == 404, path
        response = page.goto(base + "/publik/13.73/")
        assert response is not None and response.status == 200
        assert "Program draf" not in page.inner_text("main")
        cookies = page.context.cookies()
    assert not problems, "\n".join(problems)
    assert cookies == []


def test_the_portal_pages_keep_the_content_security_policy(live: Published, live_server: Any) -> None:
    """Without bypassing the policy: a refused script, style or image fails the block (tests/support)."""
    with browser_page(viewport=PHONE) as page:
        for path in ("/publik/", "/publik/13.72/", "/publik/13.72/rencana/", "/publik/13.72/indikator/"):
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            assert page.locator("link[rel=stylesheet]").count() == 2
