"""Browser journeys through the system chromium (Debian's /usr/bin/chromium) with Playwright.

Database work (the demo data) happens before the Playwright block: the sync API runs an event
loop, and Django refuses ORM calls inside it (stack notes, gotcha 3). Indonesian text may still
fall back to English until the catalogue is complete, so the journeys assert on data and on
``<html lang>``, not on translated labels.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kotacerdas.demo.data import PASSWORD
from tests.support.browser import browser_page, require_browser, sign_in
from tests.support.demo import load_committed_demo

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SOLOK = "/wilayah/13.72/"


@pytest.fixture
def chromium() -> None:
    require_browser()


@pytest.fixture
def demo(chromium: None, transactional_db: Any) -> None:
    """The demo regions and accounts, loaded before any browser starts (and only if one can)."""
    load_committed_demo()


def test_a_solok_admin_signs_in_and_sees_the_agencies_and_governance_bodies(demo, live_server):
    with browser_page() as page:
        page.goto(f"{live_server.url}/masuk/")
        assert page.locator("html").get_attribute("lang") == "id"
        page.fill("#id_username", "solok.admin")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.locator("form.narrow button[type=submit]").click()
        # Their only region: signing in lands on its cockpit.
        assert page.url == f"{live_server.url}{SOLOK}"

        # Only their own region is listed; they reach it from the list.
        page.goto(f"{live_server.url}/")
        regions = page.locator("main ul.region-list")
        assert regions.get_by_role("link", name="Kota Solok", exact=True).count() == 1
        assert regions.get_by_role("link", name="Kota Sawahlunto").count() == 0
        with page.expect_navigation():
            regions.get_by_role("link", name="Kota Solok", exact=True).click()
        assert page.url == f"{live_server.url}{SOLOK}"
        assert page.locator("html").get_attribute("lang") == "id"
        assert page.locator("h1").inner_text() == "Kota Solok"
        # The home is the cockpit; the agencies and bodies are on the region's profile, one click away.
        with page.expect_navigation():
            page.locator("main").get_by_role("link", name=re.compile("^Profil")).click()
        assert page.url == f"{live_server.url}{SOLOK}profil/"
        main = page.locator("main")
        for agency in (
            "Dinas Komunikasi dan Informatika",
            "Badan Perencanaan Pembangunan Daerah",
            "Dinas Perumahan, Kawasan Permukiman dan Lingkungan Hidup",
        ):
            assert main.get_by_text(agency, exact=True).count() >= 1, agency
        for body in ("Dewan Smart City Kota Solok", "Tim Pelaksana Smart City Kota Solok"):
            link = main.get_by_role("link", name=body, exact=True)
            assert link.count() == 1, body
        # The agency that merged into PerkimLH is no longer in office, so not on the home table.
        assert main.get_by_text("Dinas Lingkungan Hidup", exact=True).count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "region-home-solok.png"), full_page=True)


def test_the_sawahlunto_admin_gets_not_found_for_solok(demo, live_server):
    with browser_page() as page:
        sign_in(page, live_server.url, "sawahlunto.admin")
        response = page.goto(f"{live_server.url}{SOLOK}")
        assert response is not None and response.status == 404
        html = page.content()
        assert "Dinas Komunikasi dan Informatika" not in html
        assert "Dewan Smart City" not in html
        # Their own region opens normally.
        response = page.goto(f"{live_server.url}/wilayah/13.73/")
        assert response is not None and response.status == 200
        assert page.locator("h1").inner_text() == "Kota Sawahlunto"


def test_keyboard_only_the_skip_link_comes_first_and_moves_focus_to_main(demo, live_server):
    with browser_page() as page:
        # Sign in with the keyboard alone: the username field has autofocus.
        page.goto(f"{live_server.url}/masuk/?next={SOLOK}")
        assert page.evaluate("document.activeElement.id") == "id_username"
        page.keyboard.type("solok.dewan")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "id_password"
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}{SOLOK}")

        # On the region page, the first Tab lands on the skip link...
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "({cls: document.activeElement.className, href: document.activeElement.getAttribute('href')})"
        )
        assert focused == {"cls": "skip-link", "href": "#main"}
        assert page.locator(".skip-link").is_visible()  # it shows itself when focused
        # ... and Enter moves focus into the main content.
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        # The next Tab continues inside main, not back at the header.
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_the_language_switch_goes_to_english_and_back(demo, live_server):
    with browser_page() as page:
        sign_in(page, live_server.url, "solok.admin")
        page.goto(f"{live_server.url}{SOLOK}profil/")
        html = page.locator("html")
        assert html.get_attribute("lang") == "id"

        page.locator("header button[name=language][value=en]").click()
        page.wait_for_function("document.documentElement.lang === 'en'")
        assert page.url == f"{live_server.url}{SOLOK}profil/"  # back on the same page
        assert page.locator("h2#opd-title").inner_text() == "Agencies (OPD)"
        assert page.locator("header").get_by_role("button", name="Sign out").count() == 1
        assert page.locator("header button[name=language][value=en]").count() == 0
        assert page.locator("main").get_by_text("Dinas Komunikasi dan Informatika", exact=True).count() == 1

        # The choice sticks on the next page.
        page.goto(f"{live_server.url}{SOLOK}opd/")
        assert html.get_attribute("lang") == "en"

        page.locator("header button[name=language][value=id]").click()
        page.wait_for_function("document.documentElement.lang === 'id'")
        assert page.url == f"{live_server.url}{SOLOK}opd/"
        assert page.locator("header button[name=language][value=en]").count() == 1
