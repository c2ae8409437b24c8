"""Guard: no page breaks the Content-Security-Policy (issue 14 §3).

The browser refuses what the policy forbids (an inline script or style, an ``onclick``, an
injected ``<style>``) and says so on the console ("Refused to …"); the page then silently lacks
a behaviour or a look. This walks the demo's main pages as the region admin, the editor, the
mentor and the ministry, and the public pages signed out, and fails on any such refusal, on any
``securitypolicyviolation`` event (a listener installed before the page's own scripts) and on a
Permissions-Policy header the browser cannot read. On the way it lets the chapter editor start
(TinyMCE: its menus, its content style sheet, a list; its page is the one that allows style
attributes, decision 0010) and lets htmx swap the region list.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.guards.machinery import REGION, browser_page, main_pages, session_cookies
from tests.support.browser import is_refusal, require_browser
from tests.support.demo import load_committed_demo

pytestmark = pytest.mark.browser
ROLES = ("solok.admin", "solok.editor", "mentor.ugm", "kementerian")
CHAPTER_EDIT = f"/wilayah/{REGION}/masterplan/2024/bab/b1-gap/ubah/"

# Installed before any script of the page: what the policy refused, as the page itself saw it.
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' refused ' + (e.blockedURI || 'inline') +
    (e.sourceFile ? ' at ' + e.sourceFile + ':' + e.lineNumber : ''));
});
"""


def _extra_pages() -> list[tuple[str, str]]:
    """Pages beyond the layout guard's main pages that carry their own script or style: the
    quick-win summary (print button), a programme's progress chart, the second-factor set-up (QR
    code). Reads the database: call before Playwright."""
    from kotacerdas.monitoring.models import ProgrammeUpdate, UpdateState
    from kotacerdas.quickwins.models import SelectionRound

    pages = [("second factor set-up", reverse("second_factor_setup"))]
    selection = SelectionRound.objects.filter(region__code=REGION).order_by("-year").first()
    solve = selection.solves.order_by("-number").first() if selection else None
    if selection and solve:
        kwargs = {"code": REGION, "year": selection.year, "number": solve.number}
        pages.append(("quick-win summary", reverse("quickwins:summary", kwargs=kwargs)))
    update = ProgrammeUpdate.objects.filter(programme__edition__region__code=REGION, state=UpdateState.ACCEPTED).first()
    if update is not None:
        kwargs = {"code": REGION, "programme": update.programme_id}
        pages.append(("programme progress", reverse("monitoring:programme_updates", kwargs=kwargs)))
    return pages


@pytest.fixture
def csp_demo(transactional_db: Any) -> tuple[list[tuple[str, str]], dict[str, tuple[str, str]]]:
    require_browser()
    load_committed_demo()
    return main_pages() + _extra_pages(), session_cookies(ROLES)


def _watch(page: Any) -> list[str]:
    """Console lines about a refused policy or an unreadable Permissions-Policy, as they come."""
    seen: list[str] = []

    def on_console(message: Any) -> None:
        if is_refusal(message.text):
            seen.append(message.text[:300])

    page.on("console", on_console)
    page.add_init_script(LISTEN)
    return seen


def _visit(page: Any, url: str, label: str, problems: list[str], seen: list[str], then: Any = None) -> None:
    response = page.goto(url)
    if response is None or response.status >= 500:
        problems.append(f"{label}: status {response.status if response else '?'}")
        return
    if not response.headers.get("content-security-policy"):
        problems.append(f"{label}: no Content-Security-Policy header")
    if then is not None:
        then(page)
    page.wait_for_load_state("load")
    refused = page.evaluate("window.__cspViolations || []")
    problems += [f"{label}: {line}" for line in refused + seen]
    seen.clear()


def _start_the_editor(page: Any) -> None:
    page.wait_for_selector("textarea[data-richtext-ready]", state="attached")
    page.locator('.tox-tinymce button[data-mce-name="blocks"]').click()  # a menu TinyMCE positions itself
    page.keyboard.press("Escape")
    content = page.frame_locator(".tox-edit-area iframe")
    # The editor's content rules come as a file (content_css), beside TinyMCE's default sheet.
    assert content.locator("link[href*='plans/richtext-content.css']").count() == 1
    assert content.locator("link[href*='skins/content/default/content']").count() == 1
    content.locator("body").click()
    page.keyboard.type("Celah")
    page.locator('.tox-tinymce button[data-mce-name="bullist"]').click()  # TinyMCE's caret marker
    page.keyboard.type("Data terpadu")


def _search_regions(page: Any) -> None:
    with page.expect_response(lambda r: "q=Sol" in r.url):
        page.fill("#q", "Sol")


def test_no_page_breaks_the_content_security_policy(csp_demo: Any, live_server: Any):
    pages, cookies = csp_demo
    base = live_server.url
    problems: list[str] = []
    for role, cookie in cookies.items():
        with browser_page(base, cookie, width=1024) as page:
            seen = _watch(page)
            for what, path in pages:
                _visit(page, base + path, f"{what} {path} as {role}", problems, seen)
            if role == "solok.editor":
                _visit(page, base + CHAPTER_EDIT, f"chapter editor as {role}", problems, seen, _start_the_editor)
            _visit(page, base + "/", f"region search as {role}", problems, seen, _search_regions)
    with browser_page(base, ("unused", "x"), width=1024) as page:
        seen = _watch(page)
        for what, path in [("home", "/"), ("sign-in", "/masuk/"), ("not found", "/tidak-ada/")]:
            _visit(page, base + path, f"{what} {path} signed out", problems, seen)
    assert not problems, f"{len(problems)} refusals by the Content-Security-Policy:\n" + "\n".join(problems)
