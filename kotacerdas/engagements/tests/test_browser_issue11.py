"""On a 390 px phone the assistance pages fit the screen: no sideways scrolling (issue 11).

Drives Debian's chromium through ``tests/support/browser.py``. The data is written before
the browser starts (Django refuses ORM calls inside Playwright's event loop); the browser gets
the signed-in session of the test client as a cookie.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from kotacerdas.engagements import services
from tests.support.browser import browser_page, require_browser

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def chromium() -> None:
    require_browser()


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

    with browser_page(viewport=PHONE) as page:
        page.context.add_cookies([{"name": "sessionid", "value": session_cookie, "url": live_server.url}])
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
