"""Fixtures of the guards; the machinery lives in tests/guards/machinery.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.guards.machinery import Site, main_pages, quiet_requests, session_cookies, walk_site
from tests.support.browser import require_browser


@pytest.fixture
def demo_site(db: Any) -> Site:
    """The Kota Solok demo loaded into this test's transaction, walked as every demo role."""
    from kotacerdas.demo.loader import load_demo

    load_demo()
    with quiet_requests():
        return walk_site()


@pytest.fixture
def chromium() -> None:
    require_browser()


@pytest.fixture
def browser_demo(chromium: None, transactional_db: Any) -> tuple[list[tuple[str, str]], dict[str, tuple[str, str]]]:
    """The demo loaded for a live server (only if a browser can run), its main pages and the
    session cookies of the browser roles: everything the ORM must give before Playwright starts."""
    from kotacerdas.demo.loader import load_demo

    load_demo()
    return main_pages(), session_cookies()
