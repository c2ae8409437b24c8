"""A template as plain data, read from TOML or XLSX and checked before anything is written.

Both readers turn their rows into the same raw dicts and call :func:`parse`; every problem is
collected with where it is (file or sheet and row) and which field, so one import reports every
bad row at once and nothing partial is saved.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from kotacerdas.assessments.scoring import METHODS, ScoringError, check_thresholds
from kotacerdas.lib.messages import Message, gettext_noop

KINDS = ("selection", "readiness", "maturity")
TYPES = ("level", "yesno", "number", "choice", "text")
SLUG = re.compile(r"[-a-zA-Z0-9_.]+")


class Problem(NamedTuple):
    where: str  # "maturity.toml section GOV item GOV-1.1" or "items row 5"
    field: str
    message: str | Message  # a Message from the checks here; text already translated from the readers

    @property
    def text(self) -> str:
        """The message in the active language (what the pages and the command show)."""
        if isinstance(self.message, Message):
            from django.utils.translation import gettext  # only where it is shown: this module stays pure

            return self.message.render(gettext)
        return self.message

    def __str__(self) -> str:
        if not self.field:  # a problem of the whole file: the message names it
            return self.text
        return f"{self.where}: {self.field}: {self.text}"


class TemplateInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:20]))


@dataclass
class ItemSpec:
    code: str
    text: str
    answer_type: str
    weight: Decimal = Decimal(1)
    evidence_required: bool = False
    allow_na: bool = False
    entry: str = ""
    guidance: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    rubric: list[str] = field(default_factory=list)
    where: str = ""


@dataclass
class SectionSpec:
    code: str
    title: str
    entry: str = ""
    weight: Decimal = Decimal(1)
    has_swot: bool = False
    items: list[ItemSpec] = field(default_factory=list)
    where: str = ""


@dataclass
class TemplateSpec:
    kind: str
    code: str
    version: int
    title: str
    taxonomy: str
    taxonomy_version: int
    description: str = ""
    levels: str = ""
    levels_version: int = 0
    thresholds: list[float] = field(default_factory=lambda: [20.0, 40.0, 60.0, 80.0])
    combine: str = "mean"
    sections: list[SectionSpec] = field(default_factory=list)

    def items(self) -> list[tuple[SectionSpec, ItemSpec]]:
        return [(s, i) for s in self.sections for i in s.items]


class _Reader:
    """Reads typed fields from one raw dict, noting problems instead of stopping at the first."""

    def __init__(self, raw: Mapping[str, Any], where: str, problems: list[Problem]) -> None:
        self.raw, self.where, self.problems = raw, where, problems

    def bad(self, name: str, template: str, /, **params: Any) -> None:
        self.problems.append(Problem(self.where, name, Message(name, template, params)))

    def text(self, name: str, required: bool = False) -> str:
        value = self.raw.get(name)
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.bad(name, gettext_noop("is required"))
        return text

    def number(self, name: str, default: Decimal | None = None) -> Decimal | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.bad(name, gettext_noop("%(value)r is not a number"), value=value)
            return default
        if abs(number.adjusted()) > 30:  # 1E+999999999 would become a billion-digit integer
            self.bad(name, gettext_noop("%(value)s is not a number of at most 30 digits"), value=str(value)[:40])
            return default
        return number

    def whole(self, name: str, default: int = 0) -> int:
        number = self.number(name)
        if number is None:
            return default
        if number != number.to_integral_value() or number < 0:
            self.bad(name, gettext_noop("%(number)s is not a whole number"), number=number)
            return default
        return int(number)

    def flag(self, name: str) -> bool:
        value = self.raw.get(name, False)
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("", "0", "no", "false", "tidak"):
            return False
        if text in ("1", "yes", "true", "ya"):
            return True
        self.bad(name, gettext_noop("%(value)r is not yes or no"), value=value)
        return False


HEADER_KEYS = {
    "kind", "code", "version", "title", "description", "taxonomy", "taxonomy_version", "levels",
    "levels_version", "thresholds", "combine", "sections",
}  # fmt: skip
SECTION_KEYS = {"code", "title", "entry", "weight", "swot", "items"}
ITEM_KEYS = {
    "code", "text", "type", "weight", "evidence", "na", "entry", "guidance", "rubric", "choices",
    "bands", "min", "max", "direction",
}  # fmt: skip


def _unknown(raw: Mapping[str, Any], known: set[str], reader: _Reader) -> None:
    for key in sorted(set(raw) - known):
        reader.bad(key, gettext_noop("unknown field"))


def parse_header(raw: Mapping[str, Any], where: str, problems: list[Problem]) -> TemplateSpec:
    r = _Reader(raw, where, problems)
    _unknown(raw, HEADER_KEYS, r)
    kind = r.text("kind", required=True)
    if kind and kind not in KINDS:
        r.bad("kind", gettext_noop("must be one of %(values)s"), values=", ".join(KINDS))
    code = r.text("code", required=True)
    if code and not SLUG.fullmatch(code):
        r.bad("code", gettext_noop("may hold only letters, digits, '-', '_' and '.'"))
    version = r.whole("version")
    if version < 1:
        r.bad("version", gettext_noop("must be 1 or more"))
    thresholds_raw = raw.get("thresholds") or [20, 40, 60, 80]
    if isinstance(thresholds_raw, str):
        thresholds_raw = [t for t in re.split(r"[;\s]+", thresholds_raw) if t]
    thresholds: list[float] = []
    try:
        thresholds = [float(t) for t in thresholds_raw]
        check_thresholds(thresholds)
    except (TypeError, ValueError, ScoringError) as error:
        if isinstance(error, ScoringError):
            r.bad("thresholds", error.message.template, **error.message.params)
        else:
            r.bad("thresholds", gettext_noop("must be numbers"))
    combine = r.text("combine") or "mean"
    if combine not in METHODS:
        r.bad("combine", gettext_noop("must be mean or median"))
    return TemplateSpec(
        kind=kind,
        code=code,
        version=version,
        title=r.text("title", required=True),
        description=r.text("description"),
        taxonomy=r.text("taxonomy", required=True),
        taxonomy_version=r.whole("taxonomy_version", 1) or 1,
        levels=r.text("levels"),
        levels_version=r.whole("levels_version", 1) or 1,
        thresholds=thresholds,
        combine=combine,
    )


def parse_section(raw: Mapping[str, Any], where: str, problems: list[Problem]) -> SectionSpec:
    r = _Reader(raw, where, problems)
    _unknown(raw, SECTION_KEYS, r)
    weight = r.number("weight", Decimal(1))
    if weight is not None and weight < 0:
        r.bad("weight", gettext_noop("must be zero or more"))
    return SectionSpec(
        code=r.text("code", required=True),
        title=r.text("title", required=True),
        entry=r.text("entry"),
        weight=weight if weight is not None else Decimal(1),
        has_swot=r.flag("swot"),
        where=where,
    )


def _choices(raw: Any, r: _Reader) -> list[dict[str, Any]]:
    """Choices as a list of tables, or text lines ``code | label | points``."""
    rows: list[Any] = raw if isinstance(raw, list) else [x for x in str(raw or "").splitlines() if x.strip()]
    choices = []
    for row in rows:
        parts = (
            row if isinstance(row, dict) else dict(zip(("code", "label", "points"), str(row).split("|"), strict=False))
        )
        code, label = str(parts.get("code", "")).strip(), str(parts.get("label", "")).strip()
        try:
            points = float(str(parts.get("points", "")).strip())
        except ValueError:
            r.bad("choices", gettext_noop("choice %(code)s: points must be a number from 0 to 100"), code=code or "?")
            continue
        if not code or not label:
            r.bad("choices", gettext_noop("each choice needs a code and a label"))
        elif not 0 <= points <= 100:
            r.bad("choices", gettext_noop("choice %(code)s: points must be a number from 0 to 100"), code=code)
        choices.append({"code": code, "label": label, "points": points})
    return choices


def parse_item(raw: Mapping[str, Any], where: str, problems: list[Problem]) -> ItemSpec:
    r = _Reader(raw, where, problems)
    _unknown(raw, ITEM_KEYS, r)
    answer_type = r.text("type", required=True)
    if answer_type and answer_type not in TYPES:
        r.bad("type", gettext_noop("must be one of %(values)s"), values=", ".join(TYPES))
    weight = r.number("weight", Decimal(1))
    if weight is not None and weight < 0:
        r.bad("weight", gettext_noop("must be zero or more"))
    options: dict[str, Any] = {}
    if answer_type == "choice":
        options["choices"] = _choices(raw.get("choices"), r)
        if not options["choices"]:
            r.bad("choices", gettext_noop("a choice item needs at least two choices"))
        elif len({c["code"] for c in options["choices"]}) != len(options["choices"]):
            r.bad("choices", gettext_noop("choice codes must differ"))
    if answer_type == "number":
        bands_raw = raw.get("bands") or []
        if isinstance(bands_raw, str):
            bands_raw = [b for b in re.split(r"[;\s]+", bands_raw) if b]
        try:
            bands = [float(b) for b in bands_raw]
        except (TypeError, ValueError):
            bands = []
            r.bad("bands", gettext_noop("must be numbers"))
        if any(b <= a for a, b in itertools.pairwise(bands)):
            r.bad("bands", gettext_noop("must rise strictly"))
        options["bands"] = bands
        for bound in ("min", "max"):
            value = r.number(bound)
            if value is not None:
                options[bound] = float(value)
        direction = r.text("direction") or "higher"
        if direction not in ("higher", "lower"):
            r.bad("direction", gettext_noop("must be higher or lower"))
        options["direction"] = direction
    rubric_raw = raw.get("rubric") or []
    rubric = [str(x).strip() for x in rubric_raw] if isinstance(rubric_raw, list) else []
    while rubric and not rubric[-1]:
        rubric.pop()
    return ItemSpec(
        code=r.text("code", required=True),
        text=r.text("text", required=True),
        answer_type=answer_type,
        weight=weight if weight is not None else Decimal(1),
        evidence_required=r.flag("evidence"),
        allow_na=r.flag("na"),
        entry=r.text("entry"),
        guidance=r.text("guidance"),
        options=options,
        rubric=rubric,
        where=where,
    )


def _m(field_name: str, template: str, /, **params: Any) -> Message:
    return Message(field_name, template, params)


# Checks that need the frameworks (passed in as plain lookups so this module stays testable) ----


EntryLookup = Callable[[str, int], dict[str, str | None] | None]  # code -> parent code (None at top)


def check(
    spec: TemplateSpec, entries_of: EntryLookup, level_count: Callable[[str, int], int | None], where: str
) -> list[Problem]:
    problems: list[Problem] = []
    entries = entries_of(spec.taxonomy, spec.taxonomy_version)
    if entries is None:
        problems.append(
            Problem(
                where,
                "taxonomy",
                _m(
                    "taxonomy",
                    gettext_noop("no framework %(code)s v%(version)s"),
                    code=spec.taxonomy,
                    version=spec.taxonomy_version,
                ),
            )
        )
        entries = {}
    levels = 5
    if spec.levels:
        count = level_count(spec.levels, spec.levels_version)
        if count is None:
            problems.append(
                Problem(
                    where,
                    "levels",
                    _m(
                        "levels",
                        gettext_noop("no level framework %(code)s v%(version)s"),
                        code=spec.levels,
                        version=spec.levels_version,
                    ),
                )
            )
        else:
            levels = count
    if len(spec.thresholds) != levels - 1:
        problems.append(
            Problem(
                where,
                "thresholds",
                _m(
                    "thresholds",
                    gettext_noop("give %(count)s thresholds, one for each level above 1"),
                    count=levels - 1,
                ),
            )
        )
    if not spec.sections:
        problems.append(
            Problem(where, "sections", _m("sections", gettext_noop("a template needs at least one section")))
        )
    seen_sections: set[str] = set()
    seen_items: set[str] = set()
    for section in spec.sections:
        if section.code in seen_sections:
            problems.append(
                Problem(
                    section.where, "code", _m("code", gettext_noop("section %(code)s appears twice"), code=section.code)
                )
            )
        seen_sections.add(section.code)
        if section.entry and section.entry not in entries:
            problems.append(
                Problem(
                    section.where,
                    "entry",
                    _m(
                        "entry",
                        gettext_noop("%(entry)s is not in %(taxonomy)s"),
                        entry=section.entry,
                        taxonomy=spec.taxonomy,
                    ),
                )
            )
        if not section.items:
            problems.append(
                Problem(
                    section.where,
                    "items",
                    _m("items", gettext_noop("section %(code)s has no items"), code=section.code),
                )
            )
        elif sum(i.weight for i in section.items) <= 0 and any(i.answer_type != "text" for i in section.items):
            problems.append(
                Problem(
                    section.where,
                    "weight",
                    _m("weight", gettext_noop("the item weights of %(code)s sum to zero"), code=section.code),
                )
            )
        for item in section.items:
            if item.code in seen_items:
                problems.append(
                    Problem(item.where, "code", _m("code", gettext_noop("item %(code)s appears twice"), code=item.code))
                )
            seen_items.add(item.code)
            if item.entry and item.entry not in entries:
                problems.append(
                    Problem(
                        item.where,
                        "entry",
                        _m(
                            "entry",
                            gettext_noop("%(entry)s is not in %(taxonomy)s"),
                            entry=item.entry,
                            taxonomy=spec.taxonomy,
                        ),
                    )
                )
            if item.rubric and len(item.rubric) != levels:
                problems.append(
                    Problem(
                        item.where,
                        "rubric",
                        _m("rubric", gettext_noop("give one line for each of the %(count)s levels"), count=levels),
                    )
                )
            if item.answer_type == "number" and not item.options.get("bands"):
                problems.append(
                    Problem(
                        item.where, "bands", _m("bands", gettext_noop("a number item needs its thresholds (bands)"))
                    )
                )
    if spec.sections and sum(s.weight for s in spec.sections) <= 0:
        problems.append(Problem(where, "weight", _m("weight", gettext_noop("the section weights sum to zero"))))
    return problems


def element_of(spec_item_entry: str, section_code: str) -> str:
    """The element an item scores into: its taxonomy entry, or its section when it has none."""
    return spec_item_entry or section_code
