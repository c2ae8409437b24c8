"""Guard: pages in Bahasa Indonesia show no untranslated English and no raw stored values (issue 11).

Every page the demo roles reach is rendered in Indonesian (the default). Two kinds of leak are
looked for in the text a person sees (text nodes outside <script>/<style>, hidden elements, form
fields, <code> and elements marked ``lang="en"`` on purpose, plus the placeholder, title,
aria-label and alt texts that are shown or read aloud):

* an English msgid of the catalogue whose Indonesian translation differs, shown verbatim: the
  template or code path did not go through gettext, or the translation is missing;
* the stored value of a choice (``apbd``, ``revise``) where its label should be: a template
  printed ``field`` instead of ``get_field_display``.

All offenders are collected and reported together.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import models
from django.utils import translation

from tests.guards.machinery import Page, Site, read_page

CATALOGUE = Path(__file__).resolve().parents[2] / "kotacerdas/locale/id/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Entry:
    msgid: str
    msgstr: str


def read_catalogue(path: Path = CATALOGUE) -> list[Entry]:
    """The entries of a PO file (singular and plural forms), without the header."""
    entries: list[Entry] = []
    current: dict[str, str] = {}
    key = ""

    def flush() -> None:
        msgid = current.get("msgid", "")
        if msgid:
            strings = [v for k, v in current.items() if k.startswith("msgstr")]
            entries.append(Entry(msgid, strings[0] if strings else ""))
            if "msgid_plural" in current:
                entries.append(Entry(current["msgid_plural"], strings[-1] if strings else ""))
        current.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line and current:
                flush()
            continue
        if line.startswith('"'):
            current[key] = current.get(key, "") + ast.literal_eval(line)
            continue
        key, _, rest = line.partition(" ")
        if key == "msgctxt" and current.get("msgid"):
            flush()
        current[key] = ast.literal_eval(rest)
    flush()
    return entries


def _normal(text: str) -> str:
    return " ".join(TAG.sub(" ", text).split())


@dataclass(frozen=True)
class English:
    pattern: re.Pattern[str]
    anchor: str  # the longest literal part: a cheap test before the regular expression


def english_patterns(entries: list[Entry]) -> dict[str, English]:
    """The msgids worth looking for: translated differently, two words or 12+ characters, and not
    also part of an Indonesian translation (``Smart City`` stays ``Smart City``)."""
    translations = " \n ".join(_normal(e.msgstr) for e in entries)
    patterns = {}
    for entry in entries:
        msgid = _normal(entry.msgid)
        if not msgid or _normal(entry.msgstr) == msgid:
            continue
        literal = PLACEHOLDER.sub("", msgid)
        if len(literal.split()) < 2 and len(literal) < 12:
            continue
        parts = [re.escape(part) for part in PLACEHOLDER.split(msgid)]
        pattern = re.compile(r"(?<![\w-])" + r".{1,80}?".join(parts) + r"(?![\w-])")
        anchor = max(PLACEHOLDER.split(msgid), key=len)
        # The pattern can only match where its anchor is: the cheap test spares most searches.
        if anchor in translations and pattern.search(translations):
            continue
        patterns[msgid] = English(pattern, anchor)
    return patterns


# Text fields without declared choices that still hold a machine value, not something typed.
CODED = {"event", "status", "state", "kind", "type", "role", "direction", "source", "action", "verb"}


def typed_strings() -> set[str]:
    """Short texts people typed (codes, names) in free-text fields of the loaded data: a criterion
    coded ``cost`` is the region's word, not a leaked choice value."""
    typed: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("kotacerdas."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.SlugField) and not field.choices and field.name not in CODED:
                typed.update(v for v in model._default_manager.values_list(field.attname, flat=True) if v)
    return typed


def raw_values(entries: list[Entry]) -> dict[str, str]:
    """Stored choice values that must never be shown as such: value → where it is defined.

    Only values of four or more characters that differ from their Indonesian labels and are not Indonesian
    words (a word of the Indonesian translations that is not also a word of the English msgids).
    """
    english_words = {w for e in entries for w in re.findall(r"\w+", e.msgid)}
    indonesian = {w for e in entries for w in re.findall(r"\w+", e.msgstr)} - english_words
    choices: dict[str, set[str]] = defaultdict(set)  # value → its Indonesian labels
    where: dict[str, str] = {}

    def add(value: object, label: object, origin: str) -> None:
        if not isinstance(value, str):
            return
        with translation.override("id"):
            shown = str(label)
        # "kota" for "Kota" is the label in a sentence; "apbd" for "APBD" is the stored value.
        choices[value].add(shown if shown.isupper() else shown.lower())
        where.setdefault(value, origin)

    for model in apps.get_models():
        if not model.__module__.startswith("kotacerdas."):
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or []:
                add(value, label, f"{model.__name__}.{field.name}")
    stack = list(models.TextChoices.__subclasses__())
    while stack:
        choice = stack.pop()
        stack += choice.__subclasses__()
        if choice.__module__.startswith("kotacerdas."):
            for value, label in choice.choices:
                add(value, label, choice.__qualname__)
    return {
        value: where[value]
        for value, labels in choices.items()
        # Upper-case values are abbreviations a label may show as they are (WIB, WITA, APBD).
        if len(value) >= 4 and value.lower() not in labels and value not in indonesian and not value.isupper()
    }


SEPARATORS = " \t\n:·,;.()[]“”\"'—–→|/"


def untranslated(page: Page, english: dict[str, English]) -> list[tuple[str, str]]:
    """(the English shown, its context) for each text node or read-aloud attribute of the page.

    Each node is matched on its own: a label and the value beside it are two nodes, and together
    they may happen to spell a msgid. Within a node, a match inside a longer one is not repeated.
    """
    found = []
    texts = [" ".join(node.split()) for node in page.reader.text + page.reader.attribute_text]
    # Only the msgids whose anchor is somewhere on the page can match one of its nodes.
    whole = "\n".join(texts)
    candidates = [c for c in english.values() if c.anchor in whole]
    for text in texts:
        matches = [m for c in candidates if c.anchor in text for m in c.pattern.finditer(text)]
        for match in matches:
            if not any(o is not match and o.start() <= match.start() and match.end() <= o.end() for o in matches):
                found.append((match.group(0), _context(text, match)))
    return found


def raw_shown(page: Page, values: dict[str, str]) -> list[str]:
    """The choice values that make up a whole text node: ``apbd`` in a table cell, not ``(cost)``
    inside a name someone typed, nor a word of an English sentence (the other check's business)."""
    return [value for node in page.reader.text if (value := node.strip(SEPARATORS)) in values]


def _context(text: str, found: re.Match[str]) -> str:
    return text[max(0, found.start() - 50) : found.end() + 50]


def test_pages_in_indonesian_show_no_untranslated_english_nor_raw_values(demo_site: Site):
    entries = read_catalogue()
    english = english_patterns(entries)
    typed = typed_strings()
    values = {value: where for value, where in raw_values(entries).items() if value not in typed}
    assert len(english) > 100 and len(values) > 20, "the catalogue or the choices were not read"
    offenders: dict[str, list[str]] = defaultdict(list)  # offence → where
    for page in demo_site.pages:
        where = f"{page.url} ({page.name}{'' if page.status == 200 else f', {page.status} page'}) as {page.role}"
        for shown, context in untranslated(page, english):
            places = offenders[f"untranslated {shown!r}"]
            if not places or not places[-1].startswith(where):
                places.append(f"{where} «{context}»")
        for value in sorted(set(raw_shown(page, values))):
            offenders[f"raw value {value!r} ({values[value]})"].append(where)
    report = [
        f"{offence}: {', '.join(places[:3])}" + (f" and {len(places) - 3} more" if len(places) > 3 else "")
        for offence, places in sorted(offenders.items())
    ]
    assert not report, f"{len(report)} untranslated texts or raw values on {len(demo_site.pages)} pages:\n" + "\n".join(
        report
    )


def test_the_checks_read_only_what_a_person_sees_or_hears():
    html = """<html><head><title>x</title><script>var source = "apbd";</script></head><body>
      <table><tr><td>apbd</td><td>Biaya (cost)</td><td>Agencies (OPD)</td></tr></table>
      <select name="source"><option value="apbd" selected>APBD</option></select>
      <a href="#" aria-label="Skip to main content">›</a>
      <p>Kode sumber <code>apbd</code>.</p><textarea name="note">Agencies (OPD)</textarea>
      <div hidden>output</div><span lang="en">Agencies (OPD)</span></body></html>"""
    page = Page("role", "/x/", "x", "x/", html, read_page(html))
    entries = read_catalogue()
    shown = [english for english, _ in untranslated(page, english_patterns(entries))]
    assert shown == ["Agencies (OPD)", "Skip to main content"]
    assert raw_shown(page, raw_values(entries)) == ["apbd"]
