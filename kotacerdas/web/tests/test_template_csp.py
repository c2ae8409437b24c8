"""Templates and generated SVG hold nothing the Content-Security-Policy refuses (issue 14 §3).

The policy (kotacerdas/lib/security.py) allows only the site's own script and style files. An
inline ``<script>`` with content, an ``on…=`` handler, a ``javascript:`` URL, a ``<style>`` block
or a ``style=""`` attribute in a template would be silently refused by the browser; so would
htmx attributes that evaluate JavaScript (``hx-on``, ``hx-vars``, ``js:`` values), which the
htmx-config meta tag switches off. The browser guard (tests/guards/test_browser_csp.py) catches
what a page does at run time; this catches the markup before it ships, in every template, not
only the walked pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Justified exceptions, as "path:line-content" prefixes with the reason; none are needed today.
ALLOWED: dict[str, str] = {}

TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.DOTALL)
RULES = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\ssrc=)[^>]*>|<script\b[^>]*>\s*[^\s<]", re.IGNORECASE),
    "<style> block": re.compile(r"<style\b", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
IN_TAG = {
    "on…= handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "style= attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "htmx evaluating JavaScript": re.compile(
        r"\s(?:data-)?hx-(?:on\b[^=]*|vars)\s*=|\shx-vals\s*=\s*['\"]\s*(?:js|javascript):"
    ),
}
# The modules that write SVG for pages (charts, figures, the QR code).
SVG_MODULES = sorted(
    {*ROOT.rglob("figures.py"), *ROOT.rglob("charts.py"), *ROOT.rglob("*_chart.py")}
    | {ROOT / "accounts" / "second_factor.py"}
)


def problems_in(text: str, where: str) -> list[str]:
    found = []
    for name, rule in RULES.items():
        found += [f"{where}: {name}: {m.group(0)[:80]!r}" for m in rule.finditer(text)]
    for tag in TAG.finditer(text):
        for name, rule in IN_TAG.items():
            if rule.search(tag.group(0)):
                found.append(f"{where}: {name}: {tag.group(0)[:120]!r}")
    return [p for p in found if not any(p.startswith(allowed) for allowed in ALLOWED)]


def test_no_template_has_inline_script_style_or_handlers():
    templates = [p for p in ROOT.rglob("templates/**/*.html") if "/tests/" not in str(p)]
    assert len(templates) > 100
    offenders = []
    for path in templates:
        offenders += problems_in(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert offenders == []


def test_no_generated_svg_carries_a_style():
    assert len(SVG_MODULES) >= 6
    offenders = []
    for path in SVG_MODULES:
        source = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in re.finditer(r"style=|<style", source)]
    assert offenders == []


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        '<script type="module">go()</script>',
        "<script>\n</script>",
        '<button type="button" onclick="window.print()">',
        '<a href="javascript:void(0)">',
        "<style>p { color: red }</style>",
        '<div class="x" style="width: 3px">',
        '<span\n  class="bar"\n  style="width: {{ n }}px">',
        '<button hx-on:click="go()">',
        '<div hx-vars="x: 1">',
        "<div hx-vals='js:{a: 1}'>",
    ],
)
def test_the_lint_finds_each_kind(markup):
    assert problems_in(markup, "t.html")


@pytest.mark.parametrize(
    "markup",
    [
        "<script src=\"{% static 'kotacerdas/searchable-select.js' %}\" defer></script>",
        '<script src="/static/x.js" defer data-label="Ketik untuk menyaring"></script>',
        '<link rel="stylesheet" href="/static/site.css">',
        '<p class="style-guide">Tulis dengan gaya yang jelas; on= dan style= hanya teks.</p>',
        '<meta name="htmx-config" content=\'{"allowEval": false}\'>',
        '<svg class="qw-bar" width="40" aria-hidden="true"></svg>',
        "<div hx-vals='{\"a\": 1}'>",
    ],
)
def test_the_lint_lets_files_and_plain_text_pass(markup):
    assert problems_in(markup, "t.html") == []
