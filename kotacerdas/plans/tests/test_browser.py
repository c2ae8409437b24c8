"""The issue's "done when" journey in the system chromium: an editor starts a review edition from
the adopted 2019 plan, sets a disposition, edits a programme and sees the plan check; a mentor
comments and endorses a chapter; the change log shows the differences.

Database work happens before the Playwright block (stack notes, gotcha 3); assertions are on
data and form names, not on translated labels.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import browser_page, require_browser, sign_in
from tests.support.demo import load_committed_demo

pytestmark = pytest.mark.browser

PLAN = "/wilayah/13.72/masterplan"


@pytest.fixture
def demo(transactional_db: Any) -> None:
    require_browser()
    load_committed_demo()


def test_review_journey_from_the_2019_plan_to_the_change_log(demo, live_server):
    base = live_server.url
    with browser_page() as page:
        sign_in(page, base, "solok.editor")
        page.goto(f"{base}{PLAN}/2019/kajian-ulang/")
        page.fill("#id_year", "2025")
        page.fill("#id_title", "Kajian ulang uji")
        page.fill("#id_start_year", "2026")
        page.fill("#id_end_year", "2035")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert page.url == f"{base}{PLAN}/2025/disposisi/"
        rows = page.locator("main table tbody tr")
        assert rows.count() == 32  # every programme of 2019 carried with a disposition

        # Drop GOV-06 with a rationale.
        page.locator("main table tbody tr", has_text="GOV-06").locator("a[href*='/disposisi/']").click()
        page.select_option("#id_kind", "drop")
        page.fill("#id_rationale", "Perwal SPBE sudah terbit.")
        page.select_option("#id_implementation_status", "achieved")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert page.url == f"{base}{PLAN}/2025/disposisi/"

        # Edit a programme: years into the new period.
        page.goto(f"{base}{PLAN}/2025/program/GOV-01/ubah/")
        page.fill("#id_start_year", "2026")
        page.fill("#id_end_year", "2028")
        page.fill("#id_name", "Mal Pelayanan Publik digital")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert page.url.endswith("/program/GOV-01/")
        assert "Mal Pelayanan Publik digital" in page.locator("h1").inner_text()

        # The plan check shows the findings of carried programmes still in the old period.
        page.goto(f"{base}{PLAN}/2025/pemeriksaan/")
        assert page.locator("main .counts .sev-error").inner_text() != "0"
        assert page.locator("main table").first.get_by_text("PC007").count() >= 1

        # The mentor comments on a chapter and endorses it.
        sign_in(page, base, "mentor.ugm")
        page.goto(f"{base}{PLAN}/2025/bab/b2-vision/")
        page.fill("#new-comment", "Visi sudah baik; mohon cek kata kunci.")
        with page.expect_navigation():
            page.locator("section.threads form button[type=submit]").click()
        assert page.locator("article.thread").count() == 1
        with page.expect_navigation():
            page.locator("button[name=state][value=reviewed]").click()
        with page.expect_navigation():
            page.locator("button[name=state][value=endorsed]").click()
        assert page.locator("main .state-endorsed").count() == 1

        # The change log shows the dropped programme and the renamed one.
        page.goto(f"{base}{PLAN}/2025/perubahan/?dari=2019")
        table = page.locator("main table.diff")
        assert table.locator("tr.change-removed", has_text="GOV-06").count() == 1
        assert table.locator("tr", has_text="Mal Pelayanan Publik digital").count() >= 1
