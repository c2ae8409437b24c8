"""Guard: no page of the demo is wider than a phone (issue 11).

At 390 px (a common phone width) each main page, as the editor and as the ministry, must fit:
the document may not be wider than the window, which would make the whole page scroll sideways.
Wide tables belong in their own scrolling container. The failure names each page, its width and
the elements that stick out furthest, so the fix can start at the right place.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.guards.machinery import browser_page

pytestmark = pytest.mark.browser
WIDTH = 390

# The elements whose right edge passes the window while their parent's does not: where it starts.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    const parent = el.parentElement && el.parentElement.getBoundingClientRect();
    if (parent && parent.right > width + 1) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.classList.length ? '.' + [...el.classList].join('.') : '');
    out.push(name + ' (' + Math.round(box.right) + ' px)');
  }
  // A page that hides its sideways overflow instead of fitting cuts content off: just as wrong.
  const clipped = [document.documentElement, document.body].some(
    (el) => ['hidden', 'clip'].includes(getComputedStyle(el).overflowX));
  const scroll = Math.max(document.documentElement.scrollWidth, clipped && out.length ? width + 1 : 0);
  return {scroll: scroll, inner: width, clipped: clipped, culprits: out.slice(0, 4)};
}"""


def test_the_main_pages_fit_a_phone_390_px_wide(browser_demo: Any, live_server: Any):
    pages, cookies = browser_demo
    problems = []
    for role, cookie in cookies.items():
        with browser_page(live_server.url, cookie, width=WIDTH) as page:
            for what, path in pages:
                response = page.goto(live_server.url + path)
                status = response.status if response else 0
                if status >= 500:
                    problems.append(f"{what} {path} as {role}: status {status}")
                    continue
                measured = page.evaluate(OVERFLOW)
                if measured["scroll"] > measured["inner"]:
                    problems.append(
                        f"{what} {path} as {role}: {measured['scroll']} px wide in a {measured['inner']} px window"
                        f"{' (cut off by overflow-x: hidden)' if measured['clipped'] else ''};"
                        f" overflowing: {', '.join(measured['culprits']) or '?'}"
                    )
    assert not problems, f"{len(problems)} pages wider than {WIDTH} px:\n" + "\n".join(problems)
