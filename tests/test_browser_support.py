"""The one chromium a test process shares (tests/support/browser.py): each block gets a fresh
context, and between blocks the ORM works (no event loop is marked as running in the thread)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from kotacerdas.accounts.models import User
from tests.support import browser
from tests.support.browser import browser_page, require_browser

pytestmark = pytest.mark.browser


def test_blocks_share_one_chromium_each_with_its_own_context_and_the_orm_works_between(db: Any) -> None:
    require_browser()
    with browser_page() as page:
        first = page.context.browser
        page.context.add_cookies([{"name": "left", "value": "behind", "url": "http://127.0.0.1"}])
        assert page.context.cookies()
    assert asyncio.events._get_running_loop() is None
    User.objects.create_user(username="between-blocks", password="x-password-123")  # refused under a running loop
    with browser_page(locale="en-US") as page:
        assert page.context.browser is first
        assert page.context.cookies() == []
        page.set_content("<p>plain</p>")
        assert page.evaluate("navigator.language") == "en-US"
    assert User.objects.filter(username="between-blocks").exists()


def test_a_chromium_that_went_is_launched_again() -> None:
    require_browser()
    with browser_page() as page:
        page.context.browser.close()
    with browser_page() as page:
        page.set_content("<p>again</p>")
        assert page.locator("p").inner_text() == "again"
    assert browser._running["browser"].is_connected()
