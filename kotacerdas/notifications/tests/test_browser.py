"""In the browser, at 390 px and in Indonesian: the header count, the list with marking read, and
the settings form (drives Debian's chromium through tests/support/browser.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kotacerdas.accounts.models import User
from kotacerdas.notifications.models import Kind, Notification
from kotacerdas.notifications.services import notify
from kotacerdas.regions.models import Region
from tests.support.browser import browser_page, require_browser, sign_in
from tests.support.demo import load_committed_demo

pytestmark = pytest.mark.browser
WIDTH = 390
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def _english_messages() -> None:
    """Not here: the browser asks for Bahasa Indonesia, the product's language."""


@pytest.fixture
def demo(transactional_db: Any) -> None:
    require_browser()
    load_committed_demo()


def test_a_phone_user_sees_the_count_marks_read_and_changes_settings(demo, live_server):
    editor = User.objects.get(username="solok.editor")
    Notification.objects.filter(recipient=editor).delete()
    region = Region.objects.get(code="13.72")
    for i in range(30):
        notify(
            Kind.ACTION_ASSIGNED,
            [editor],
            actor=None,
            region=region,
            label=f"Tindak lanjut panjang sekali nomor {i} " + "x" * 80,
            url=f"/wilayah/{region.code}/",
            event_key=f"browser:{i}",
        )
    with browser_page(viewport={"width": WIDTH, "height": 844}) as page:
        sign_in(page, live_server.url, "solok.editor", "/notifikasi/")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        # The count is in sight beside the folded menu, and the header stays one line high.
        badge = page.locator("a.unread-badge")
        assert badge.is_visible() and badge.inner_text().endswith("30 baru")
        assert badge.get_attribute("href") == "/notifikasi/"
        header = page.locator(".site-header").bounding_box()
        assert header is not None and header["height"] <= 64
        page.locator("label.menu-button").click()
        assert page.locator(".notifications-link .tag").inner_text().startswith("30")
        assert "Halaman 1 dari 2" in page.content()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "notifications-list-390.png"), full_page=False)
        page.locator("form:has(button.link-button) button", has_text="Tandai sudah dibaca").first.click()
        page.locator("label.menu-button").click()
        assert page.locator(".notifications-link .tag").inner_text().startswith("29")
        page.get_by_role("button", name="Tandai semua sudah dibaca").click()
        assert page.locator(".notifications-link .tag").count() == 0
        assert page.locator("a.unread-badge").count() == 0
        assert "Semua pemberitahuan ditandai sudah dibaca." in page.content()

        page.goto(f"{live_server.url}/notifikasi/pengaturan/")
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        page.uncheck(f"#id_email_{Kind.ACTION_ASSIGNED}")
        page.check("#id_daily_digest")
        page.get_by_role("button", name="Simpan").click()
        assert "Pengaturan pemberitahuan Anda disimpan." in page.content()
        assert not page.is_checked(f"#id_email_{Kind.ACTION_ASSIGNED}") and page.is_checked("#id_daily_digest")
        page.screenshot(path=str(ARTIFACTS / "notifications-settings-390.png"), full_page=True)


def test_on_a_wide_screen_the_count_is_in_the_menu_only(demo, live_server):
    editor = User.objects.get(username="solok.editor")
    notify(
        Kind.ACTION_ASSIGNED,
        [editor],
        actor=None,
        region=Region.objects.get(code="13.72"),
        label="Tindak lanjut",
        url="/wilayah/13.72/",
        event_key="browser:wide",
    )
    with browser_page(viewport={"width": 1280, "height": 800}) as page:
        sign_in(page, live_server.url, "solok.editor", "/notifikasi/")
        assert not page.locator("a.unread-badge").is_visible()
        assert page.locator(".notifications-link .tag").is_visible()
