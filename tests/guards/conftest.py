"""Fixtures of the guards; the machinery lives in tests/guards/machinery.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.guards.machinery import Site, client_for, main_pages, quiet_requests, session_cookies, walk_site
from tests.support import snapshot
from tests.support.browser import require_browser
from tests.support.demo import load_committed_demo
from tests.support.shared import refuse_commits_under_shared_data, shared_data


def _load_and_walk() -> Site:
    snapshot.demo()
    with quiet_requests():
        return walk_site()


@pytest.fixture(scope="package")
def _demo_site(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Site]:
    """The Kota Solok demo loaded and walked as every demo role, once per process for the guards of
    this package that it runs (in the outer transaction of tests/support/shared.py, rolled back
    after the last of them). Under pytest-xdist each worker that gets a guard walks once."""
    yield from shared_data(django_db_blocker, _load_and_walk)


@pytest.fixture
def demo_site(_demo_site: Site, request: pytest.FixtureRequest, db: Any) -> Site:
    """The walked site for one guard: the pages as the walk saw them, with freshly signed-in clients
    (a guard's posts change sessions; each test's changes, sessions included, are rolled back)."""
    refuse_commits_under_shared_data(request)
    return Site(
        pages=_demo_site.pages,  # read only: the guards look at pages, never change them
        clients={role: client_for(role) for role in _demo_site.clients},
        unrendered=list(_demo_site.unrendered),
        errors=list(_demo_site.errors),
    )


@pytest.fixture
def chromium() -> None:
    require_browser()


@pytest.fixture
def browser_demo(chromium: None, transactional_db: Any) -> tuple[list[tuple[str, str]], dict[str, tuple[str, str]]]:
    """The demo loaded for a live server (only if a browser can run), its main pages and the
    session cookies of the browser roles: everything the ORM must give before Playwright starts."""
    load_committed_demo()
    return main_pages(), session_cookies()
