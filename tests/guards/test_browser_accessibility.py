"""Guard: the demo's main pages have unique ids and every control has a name (issue 11).

axe-core (vendored in tests/guards/vendor/axe-core, see the README there) runs in the page with
only the rules for duplicate ids and for unlabelled inputs, selects and buttons: a label that
points at the wrong field, or a field with none, leaves a screen-reader user guessing. The pages
are those of the layout guard, as the editor and as the ministry; all violations are reported
together, each with the elements involved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.guards.machinery import browser_page

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# duplicate-id and duplicate-id-active are deprecated in axe 4.x but still run when asked for.
RULES = ["duplicate-id", "duplicate-id-aria", "duplicate-id-active", "label", "select-name", "button-name"]

RUN = """async (rules) => {
  const known = new Set(axe.getRules().map((r) => r.ruleId));
  const missing = rules.filter((r) => !known.has(r));
  const result = await axe.run(document, {runOnly: {type: 'rule', values: rules.filter((r) => known.has(r))},
                                          resultTypes: ['violations']});
  return {
    missing: missing,
    violations: result.violations.map((v) => ({
      rule: v.id,
      nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + n.html.slice(0, 120)),
    })),
  };
}"""


def test_the_main_pages_have_unique_ids_and_named_controls(browser_demo: Any, live_server: Any):
    pages, cookies = browser_demo
    problems = []
    for role, cookie in cookies.items():
        # axe-core is injected as a script of the page's own, which the site's CSP would refuse.
        with browser_page(live_server.url, cookie, bypass_csp=True) as page:
            for what, path in pages:
                response = page.goto(live_server.url + path)
                if response is None or response.status >= 500:
                    problems.append(f"{what} {path} as {role}: status {response.status if response else '?'}")
                    continue
                page.add_script_tag(path=str(AXE))
                found = page.evaluate(RUN, RULES)
                assert not found["missing"], f"axe-core lacks the rules {found['missing']}: see the vendor README"
                for violation in found["violations"]:
                    nodes = violation["nodes"]
                    listed = "; ".join(nodes[:5]) + (f"; and {len(nodes) - 5} more" if len(nodes) > 5 else "")
                    problems.append(f"{what} {path} as {role}: {violation['rule']}: {listed}")
    assert not problems, f"{len(problems)} accessibility violations:\n" + "\n".join(problems)
