"""How the tests drive the system chromium (Debian's /usr/bin/chromium) through Playwright.

One place for the browser boilerplate every browser test shares: where chromium is and how it is
launched, skipping (or failing, with KOTACERDAS_REQUIRE_BROWSER=1) when it cannot run, a fresh page
that closes its browser afterwards, and signing in as a demo account. Before, each browser test
file carried its own copy, and the copies had drifted apart (different launch arguments, some not
checking for the playwright package).

Database work (loading the demo, reading what a page saved) belongs before or after the
``browser_page`` block, never inside it: Playwright's sync API runs an event loop in the thread,
and Django then refuses ORM calls (stack notes, gotcha 3).

One chromium serves every block of a test process (each block gets a fresh browser context: its
own cookies, storage, locale, viewport and JavaScript setting). Starting Playwright's driver and
chromium for each block cost the 30 browser tests 100 CPU-s against 78 (bench/test-suite.md,
"Sixth round"). Between blocks the thread is marked as running no event loop, so Django's ORM
works there as before.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kotacerdas.demo.data import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def require_browser() -> None:
    """Skip the test when chromium or playwright is missing; fail instead when
    KOTACERDAS_REQUIRE_BROWSER=1 (CI, where a skipped browser test would hide a broken set-up)."""
    required = os.environ.get("KOTACERDAS_REQUIRE_BROWSER") == "1"
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem:
        if required:
            pytest.fail(f"KOTACERDAS_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(problem)


@contextmanager
def browser_page(
    locale: str = "id-ID",
    *,
    javascript: bool = True,
    viewport: dict[str, int] | None = None,
    bypass_csp: bool = False,
) -> Iterator[Any]:
    """A fresh page in the system chromium, asking for ``locale`` (Bahasa Indonesia by default),
    with a 10 s default timeout, in a browser context of its own that is closed when the block
    ends (chromium itself serves the process's later blocks).

    Whatever the test does, the page must not break the site's Content-Security-Policy: a refusal
    on the console fails the test when the block ends (docs/decisions/0009). ``bypass_csp`` lets a
    test inject its own script (axe-core), which the policy would refuse; it skips that check."""
    options: dict[str, Any] = {"locale": locale, "java_script_enabled": javascript, "bypass_csp": bypass_csp}
    if viewport is not None:
        options["viewport"] = viewport
    try:
        browser = _browser()
        context = browser.new_context(**options)
        try:
            page = context.new_page()
            page.set_default_timeout(10_000)
            refused: list[str] = []
            page.on("console", lambda message: refused.append(message.text[:300]) if is_refusal(message.text) else None)
            yield page
            if refused and not bypass_csp:
                pytest.fail(f"{len(refused)} refusals by the browser's policies:\n" + "\n".join(refused))
        finally:
            if browser.is_connected():
                context.close()
    finally:
        _leave_the_loop()


_running: dict[str, Any] = {}  # this process's Playwright: its context manager, its loop and chromium


def _browser() -> Any:
    """This process's chromium, launched by the first block (or again, should it have gone), its
    event loop marked as running again for the block."""
    browser = _running.get("browser")
    if "manager" in _running:
        asyncio.events._set_running_loop(_running["loop"])
        if browser is not None and browser.is_connected():
            return browser
        _stop()  # chromium went, or never started: its driver goes too
    from playwright.sync_api import sync_playwright

    manager = sync_playwright()
    playwright = manager.start()
    _running.update(manager=manager, loop=asyncio.events._get_running_loop())
    _running["browser"] = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    if not _running.get("registered"):
        atexit.register(_stop_at_exit)
        _running["registered"] = True
    return _running["browser"]


def _leave_the_loop() -> None:
    """Between blocks the thread runs no event loop (Playwright's waits until the next block)."""
    asyncio.events._set_running_loop(None)


def _stop() -> None:
    """Close chromium and Playwright's driver (with their loop marked as running, as they need)."""
    manager = _running.pop("manager", None)
    loop = _running.pop("loop", None)
    browser = _running.pop("browser", None)
    if manager is None:
        return
    asyncio.events._set_running_loop(loop)
    try:
        if browser is not None and browser.is_connected():
            browser.close()
    finally:
        try:
            manager.__exit__(None, None, None)
        finally:
            _leave_the_loop()


def _stop_at_exit() -> None:
    with contextlib.suppress(Exception):  # the process is ending; chromium ends with its driver
        _stop()


def is_refusal(console_text: str) -> bool:
    """A console line saying the Content-Security-Policy refused something (chromium words it
    "Refused to …" or "… violates the following Content Security Policy directive …"), or that the
    Permissions-Policy header has an error."""
    return (
        console_text.startswith("Refused to")
        or "Content Security Policy" in console_text
        or "Permissions-Policy" in console_text
    )


def sign_in(page: Any, base_url: str, username: str, next_path: str = "/") -> None:
    """Sign ``username`` in with the demo password through the sign-in form, then go to
    ``next_path``. Any earlier session of the page is dropped first, so a test can change users."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/masuk/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form.narrow button[type=submit]").click()
    assert "/masuk/" not in page.url, f"{username} could not sign in"
