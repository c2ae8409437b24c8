"""In the system chromium: a section's answers are saved together with one button, all or nothing.

Database work happens before the Playwright block (stack notes, gotcha 3); assertions are on
data and element names, not on translated labels.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import browser_page, require_browser, sign_in
from tests.support.demo import load_committed_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def run_pk(transactional_db: Any) -> int:
    require_browser()
    from kotacerdas.assessments.models import Template
    from kotacerdas.assessments.services import runs as services
    from kotacerdas.regions.models import Region

    load_committed_demo()
    template = Template.objects.get(code="kematangan-kominfo-6")
    run = services.start_run(actor=None, region=Region.objects.get(code="13.72"), template=template, year=2025)
    return run.pk


def test_an_editor_saves_a_whole_section_at_once_and_sees_the_radar(run_pk, live_server):
    base = live_server.url
    with browser_page() as page:
        sign_in(page, base, "solok.editor")
        section = f"{base}/wilayah/13.72/asesmen/{run_pk}/bagian/GOV/"
        page.goto(section)
        save = page.locator("form.section-form > .actions button[type=submit]")
        # Three answers, one Save; one bad link keeps the whole section unsaved and says where.
        for code, level in (("GOV-1.1", "2"), ("GOV-2.1", "3"), ("GOV-3.1", "4")):
            page.locator(f"input[name='{code}-value'][value='{level}']").check()
            page.locator(f"input[name='{code}-evidence_link']").fill("https://example.org/bukti.pdf")
        page.locator("input[name='GOV-3.1-evidence_link']").fill("not a link")
        with page.expect_navigation():
            save.click()
        page.locator(".error-summary a[href='#id_GOV-3\\.1-evidence_link']").wait_for()
        assert page.locator("input[name='GOV-2.1-value'][value='3']").is_checked()  # input kept
        page.locator("input[name='GOV-3.1-evidence_link']").fill("https://example.org/bukti-3.pdf")
        with page.expect_navigation():
            save.click()
        assert page.url == section
        page.reload()
        for code, level in (("GOV-1.1", "2"), ("GOV-2.1", "3"), ("GOV-3.1", "4")):
            assert page.locator(f"input[name='{code}-value'][value='{level}']").is_checked(), code
        page.goto(f"{base}/wilayah/13.72/asesmen/{run_pk}/hasil/")
        assert page.locator("svg.chart-radar").count() == 1


@pytest.fixture
def demo(transactional_db: Any) -> None:
    require_browser()
    load_committed_demo()


def test_the_region_admin_opts_in_to_peer_comparisons_on_a_phone(demo, live_server):
    from kotacerdas.regions.models import Region

    base = live_server.url
    with browser_page(viewport={"width": 390, "height": 844}) as page:
        sign_in(page, base, "solok.admin")
        page.goto(f"{base}/wilayah/13.72/asesmen/berbagi-skor/")
        box = page.locator("input[name='shares_peer_scores']")
        assert not box.is_checked()  # off until the region chooses
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
        box.check()
        with page.expect_navigation():
            page.locator(".actions button[type=submit]").click()
        assert page.url.endswith("/wilayah/13.72/asesmen/")
        assert page.locator("a[href='/wilayah/13.72/asesmen/berbagi-skor/']").count() == 1
    assert Region.objects.get(code="13.72").shares_peer_scores
