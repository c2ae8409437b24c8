"""The update workflow in the system chromium at 390 px: the editor writes and submits, the mentor
returns it with a reason, the editor fixes and resubmits, the mentor accepts. Nothing on the way
is wider than the phone's screen.

Database work happens before and after the Playwright block (stack notes, gotcha 3); assertions
are on data and form names, not on translated labels.
"""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.demo.data import PASSWORD
from kotacerdas.monitoring.models import ProgrammeUpdate, UpdateState
from kotacerdas.plans.models import Programme
from tests.support.browser import browser_page, require_browser, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live(transactional_db: Any, cast: Any, monitored: Any) -> Any:
    require_browser()
    for user in (cast.editor, cast.mentor):
        user.set_password(PASSWORD)
        user.save()
    return monitored


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_write_return_fix_and_accept_on_a_phone(live, cast, live_server):
    base = live_server.url
    region = f"{base}/wilayah/{cast.region_a.code}/pemantauan"
    programme_pk = live.first.pk
    with browser_page(viewport=PHONE) as page:
        sign_in(page, base, "editor")
        page.goto(f"{region}/laporan-saya/")
        no_sideways_scroll(page)
        with page.expect_navigation():
            page.locator(f"a[href$='/program/{programme_pk}/laporan/2025-Q1/']").first.click()
        no_sideways_scroll(page)
        page.select_option("#id_status", "at_risk")
        page.fill("#id_progress", "35")
        page.fill("#id_comment", "Uji coba tertunda karena jaringan.")
        page.fill("#id_reported_on", "2025-04-05")
        page.fill("#id_budget_apbd", "20.000.000")
        with page.expect_navigation():
            page.locator("button[name=action][value=submit]").click()
        detail = page.url
        assert "/laporan/" in detail and detail.rstrip("/").split("/")[-1].isdigit()
        no_sideways_scroll(page)

        sign_in(page, base, "mentor", detail.removeprefix(base))
        page.fill("#id_return_reason", "Lampirkan bukti uji coba.")
        with page.expect_navigation():
            page.locator("form[action$='/kembalikan/'] button[type=submit]").click()
        no_sideways_scroll(page)

        sign_in(page, base, "editor", "/wilayah/13.72/pemantauan/laporan-saya/")
        assert "Lampirkan bukti uji coba." in page.content()
        with page.expect_navigation():
            page.locator("a[href$='/ubah/']").first.click()
        page.fill("#id_evidence_link", "https://example.org/bukti-uji-coba")
        with page.expect_navigation():
            page.locator("button[name=action][value=submit]").click()

        sign_in(page, base, "mentor", "/wilayah/13.72/pemantauan/laporan-saya/")
        with page.expect_navigation():
            page.locator("#validate-title + div a").first.click()
        with page.expect_navigation():
            page.locator("form[action$='/terima/'] button[type=submit]").click()
        page.goto(f"{region}/program/{programme_pk}/")
        assert page.locator("main svg.chart").count() == 1
        no_sideways_scroll(page)
    update = ProgrammeUpdate.objects.get()
    assert update.state == UpdateState.ACCEPTED
    assert update.evidence_link == "https://example.org/bukti-uji-coba"
    assert Programme.objects.get(pk=programme_pk).status == "at_risk"
