"""One date format per language: the project's named formats, never a pattern written in a template."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
JAKARTA = ZoneInfo("Asia/Jakarta")  # the default KOTACERDAS_TIME_ZONE


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_indonesian_dates_read_the_same_on_every_page():
    when = datetime.datetime(2026, 12, 4, 20, 39, tzinfo=JAKARTA)
    with translation.override("id"):
        assert _render('{{ d|date:"SHORT_DATETIME_FORMAT" }}', d=when) == "4 Des 2026 20:39"
        assert _render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=when.date()) == "4 Des 2026"
        assert _render("{{ d|date }}", d=when.date()) == "4 Desember 2026"


def test_english_dates_use_the_same_order():
    when = datetime.datetime(2026, 12, 4, 20, 39, tzinfo=JAKARTA)
    with translation.override("en"):
        assert _render('{{ d|date:"SHORT_DATETIME_FORMAT" }}', d=when) == "4 Dec 2026 20:39"
        assert _render("{{ d|date }}", d=when.date()) == "4 December 2026"


def test_no_template_writes_its_own_date_pattern():
    pattern = re.compile(r"\|date:\"(?![A-Z_]+_FORMAT\")")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in ROOT.glob("*/templates/**/*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
