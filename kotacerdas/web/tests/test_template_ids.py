"""Ids in templates are printed as plain digits.

With USE_THOUSAND_SEPARATOR an id of 1871 prints as "1.871" in Indonesian: a field named
``person-1.871`` is then never read back as agency 1871 (seen on PostgreSQL, whose ids run high,
on the sign-in list). Ids go through ``|stringformat:'d'`` (or ``{% url %}``, which does not localise).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
BARE_ID = re.compile(r"\{\{\s*(?:[\w.]+\.)?pk\s*\}\}|\{%\s*with\s+pk=[\w.]+\s*%\}")


def test_no_template_prints_an_id_through_the_number_formatting():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}"
        for path in ROOT.rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if BARE_ID.search(line)
    ]
    assert offenders == []


def test_the_guard_rests_on_a_real_difference_between_the_two_ways_of_printing():
    with translation.override("id"):
        html = Template("{{ n }}|{{ n|stringformat:'d' }}").render(Context({"n": 1871}))
    assert html == "1.871|1871"
