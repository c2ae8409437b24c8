"""The SIPD code field in the system chromium: suggestions while typing (htmx and a datalist), the
search page without JavaScript, both at phone width."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import browser_page, require_browser, sign_in
from tests.support.demo import load_committed_demo

pytestmark = pytest.mark.browser

PLAN = "/wilayah/13.72/masterplan/2024"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(transactional_db: Any) -> None:
    require_browser()
    load_committed_demo()


def test_the_code_field_suggests_codes_from_the_list_as_one_types(demo, live_server):
    base = live_server.url
    with browser_page(viewport=PHONE) as page:
        sign_in(page, base, "solok.editor")
        page.goto(f"{base}{PLAN}/program/GOV-01/ubah/")
        field = page.locator("#id_permendagri_code")
        field.fill("")
        field.press_sequentially("2.16.0", delay=50)
        options = page.locator("#sipd-code-options option")
        options.first.wait_for(state="attached", timeout=5000)
        values = [options.nth(n).get_attribute("value") for n in range(options.count())]
        assert "2.16.02" in values and "2.16.03" in values
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390


def test_the_search_page_works_without_javascript_at_phone_width(demo, live_server):
    base = live_server.url
    with browser_page(javascript=False, viewport=PHONE) as page:
        sign_in(page, base, "solok.editor")
        page.goto(f"{base}{PLAN}/kode-sipd/")
        page.fill("#sipd-q", "aplikasi")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert page.locator("main table tbody tr", has_text="2.16.03").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_without_javascript_the_search_link_keeps_the_form_and_its_input(demo, live_server):
    base = live_server.url
    with browser_page(javascript=False, viewport=PHONE) as page:
        sign_in(page, base, "solok.editor")
        page.goto(f"{base}{PLAN}/program/GOV-01/ubah/")
        page.fill("#id_permendagri_code", "2.16.0")
        with page.context.expect_page() as opened:
            page.locator("#id_permendagri_code ~ a.hint").click()
        search = opened.value
        search.wait_for_load_state()
        assert search.url.startswith(f"{base}{PLAN}/kode-sipd/")
        assert "/ubah/" in page.url and page.input_value("#id_permendagri_code") == "2.16.0"
