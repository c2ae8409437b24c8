"""At 390 px (a phone) nothing is wider than the screen and the header stays one line high.

Drives Debian's /usr/bin/chromium through tests/support/browser.py: the demo is loaded before
the Playwright block (Django refuses ORM calls inside its event loop).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import browser_page, require_browser, sign_in
from tests.support.demo import load_committed_demo

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
WIDTH = 390
# The elements sticking out to the right, to name the culprit when a page overflows.
WIDEST = """[...document.querySelectorAll('body *')].filter(e => {
  if (e.getBoundingClientRect().right <= 391) return false;
  for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') return false;
  }
  return true;
}).slice(0, 3).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
PAGES = {
    "region-home": "/wilayah/13.72/",
    "plan-outline": "/wilayah/13.72/masterplan/2024/",
    "programme-list": "/wilayah/13.72/masterplan/2024/program/",
    "quick-win-round": "/wilayah/13.72/quick-win/2024/",
}


@pytest.fixture
def chromium() -> None:
    require_browser()


@pytest.fixture
def demo(chromium: None, transactional_db: Any) -> None:
    load_committed_demo()


def test_at_390_px_no_page_overflows_and_the_menu_folds(demo, live_server):
    with browser_page(viewport={"width": WIDTH, "height": 844}) as page:
        sign_in(page, live_server.url, "solok.editor")
        overflowing = {}
        ARTIFACTS.mkdir(exist_ok=True)
        for name, path in PAGES.items():
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                overflowing[name] = (width, page.evaluate(WIDEST))
            header = page.locator(".site-header").bounding_box()
            assert header is not None and header["height"] <= 64, (name, header)
            page.screenshot(path=str(ARTIFACTS / f"mobile-{name}.png"), full_page=True)
        assert overflowing == {}

        # The menu opens behind its button (no JavaScript involved) and shows the navigation.
        page.goto(f"{live_server.url}{PAGES['region-home']}")
        nav = page.locator("#site-menu")
        assert not nav.is_visible()
        page.locator("label.menu-button").click()
        assert nav.is_visible()
        assert page.locator("#site-menu nav a").first.is_visible()


def test_a_searchable_multi_select_becomes_a_filtered_checkbox_list(chromium, transactional_db, live_server):
    """searchable-select.js on content arriving like an htmx swap; the native select stays the value."""
    with browser_page("en-US", viewport={"width": WIDTH, "height": 844}) as page:
        page.goto(f"{live_server.url}/masuk/")
        page.evaluate(
            """() => {
              const div = document.createElement('div');
              div.className = 'field';
              div.innerHTML = '<label for="id_opds">OPD</label><select id="id_opds" name="opds" multiple '
                + 'data-searchable><option value="1">Diskominfo</option><option value="2" selected>Bappeda'
                + '</option><option value="3">Dinas Perhubungan</option></select>';
              document.querySelector('main').appendChild(div);
              div.dispatchEvent(new Event('htmx:load', {bubbles: true}));
            }"""
        )
        assert not page.locator("#id_opds").is_visible()
        assert page.locator("label[for=id_opds-filter]").count() == 1
        assert page.locator("#id_opds-option-1").is_checked()
        page.fill("#id_opds-filter", "dis")
        assert page.locator("#id_opds-option-0").is_visible() and not page.locator("#id_opds-option-2").is_visible()
        page.check("#id_opds-option-0")
        selected = page.evaluate("[...document.querySelector('#id_opds').selectedOptions].map(o => o.value)")
        assert selected == ["1", "2"]
        assert "2" in page.locator(".searchable-count").inner_text()
