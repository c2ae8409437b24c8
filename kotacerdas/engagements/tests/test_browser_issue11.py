"""On a 390 px phone the assistance pages fit the screen: no sideways scrolling (issue 11).

Drives Debian's chromium as ``tests/browser/test_journey.py`` does. The data is written before
the browser starts (Django refuses ORM calls inside Playwright's event loop); the browser gets
the signed-in session of the test client as a cookie.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from kotacerdas.engagements import services

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def chromium() -> None:
    required = os.environ.get("KOTACERDAS_REQUIRE_BROWSER") == "1"
    problem = None if CHROMIUM.exists() else f"{CHROMIUM} is missing (apt-get install chromium)"
    if problem is None:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem:
        if required:
            pytest.fail(f"KOTACERDAS_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(problem)


def test_the_session_page_and_the_sign_in_list_do_not_scroll_sideways_at_390_px(
    chromium: None, transactional_db: Any, cast: Any, forum: Any, live_server: Any
) -> None:
    s = forum.sessions[0]
    # Long, real-looking values: what made the tables wider than the phone.
    services.add_outcome(
        actor=None,
        session=s,
        data={
            "kind": "action",
            "text": "Lengkapi data SWOT komponen infrastruktur jaringan dan pusat data",
            "owner_opd": forum.bappeda,
            "owner_name": "Kepala Bidang Perencanaan Infrastruktur dan Kewilayahan",
            "due_on": s.ends_on,
        },
    )
    services.raise_obstacle(
        actor=None,
        session=s,
        data={
            "description": "Belum ada regulasi daerah tentang berbagi pakai data lintas OPD",
            "category": "regulation",
            "opd": forum.bappeda,
            "proposed_solution": "Minta pendampingan kementerian untuk rancangan Perwal",
        },
    )
    services.record_attendance(
        actor=None,
        session=s,
        opd=forum.bappeda,
        data={"status": "head", "person_name": "Ir. Nama Yang Cukup Panjang", "position": "Kepala Badan"},
    )
    pages = [
        ("session", reverse("engagements:session", args=["13.72", s.pk])),
        ("attendance", reverse("engagements:attendance", args=["13.72", s.pk])),
        ("obstacles", reverse("engagements:obstacles", args=["13.72", forum.engagement.pk])),
        ("dashboard", reverse("engagements:dashboard", args=["13.72", forum.engagement.pk])),
    ]
    session_cookie = cast.client(cast.mentor).cookies["sessionid"].value

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="id-ID", viewport=PHONE)
            context.add_cookies([{"name": "sessionid", "value": session_cookie, "url": live_server.url}])
            page = context.new_page()
            page.set_default_timeout(10_000)
            ARTIFACTS.mkdir(exist_ok=True)
            for name, path in pages:
                response = page.goto(f"{live_server.url}{path}")
                assert response is not None and response.status == 200, name
                page.screenshot(path=str(ARTIFACTS / f"engagement-{name}-390.png"), full_page=True)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], f"{name} is {width} px wide at {PHONE['width']} px"
            # On the phone the sign-in list is one card per agency with full-width fields.
            page.goto(f"{live_server.url}{pages[1][1]}")
            box = page.locator("table.stack-table select").first.bounding_box()
            assert box is not None and box["width"] > PHONE["width"] / 2
        finally:
            browser.close()
