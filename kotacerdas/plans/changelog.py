"""The change log between two editions, field by field (pure Python, on interchange documents).

Programmes are matched by ``lineage`` (the identity they keep when carried from edition to
edition), then by code for those without a match; the other rows by their natural key (mission
number, goal/strategy code, section key, waived element). Lists inside a programme (budgets,
indicators, action items) are compared as readable lines, so a change reads like
"budgets: 2025 apbd 150,000,000 → 2025 apbd 175,000,000". Indicators are matched one by one by
their own ``lineage`` (then by name), so a renamed indicator reads as one indicator changed, not
as one removed and another added.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from kotacerdas.plans import fields as field_list

Doc = dict[str, Any]

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
EDITION_FIELDS = ("title", "start_year", "end_year", "vision", "vision_keywords", "rpjmd_period")


@dataclass(frozen=True)
class Change:
    change: str  # added / removed / changed
    kind: str  # edition, section, mission, goal, strategy, waiver, swot, programme, disposition
    key: str  # natural key: programme code, mission number, section key ...
    label: str  # human name of the row
    field: str = ""  # empty for added/removed rows
    before: str = ""
    after: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def plain(value: Any) -> str:
    """A value as one readable line (lists joined, HTML tags dropped, whitespace collapsed)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(plain(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={plain(v)}" for k, v in value.items())
    text = html.unescape(re.sub(r"<[^>]+>", " ", str(value)))
    return " ".join(text.split())


def _grouped(amount: Any) -> str:
    return f"{amount:,}" if isinstance(amount, int) else str(amount)


@dataclass(frozen=True)
class Wording:
    """How values read in the change log's lines.

    The default keeps the stored codes and plain numbers (stable for scripts and ``--json``);
    pages and documents pass :func:`translated_wording`, so a person reads choice labels,
    rupiah in the active language and translated words, never ``apbd`` or ``higher``.
    """

    choices: dict[str, dict[str, str]] = field(default_factory=dict)  # what → stored code → label
    money: Callable[[Any], str] = _grouped
    baseline: str = "baseline"

    def choice(self, what: str, value: Any) -> str:
        if value is None or value == "":
            return ""
        return self.choices.get(what, {}).get(str(value), plain(value))


RAW = Wording()


def _budget_line(b: dict[str, Any], words: Wording = RAW) -> str:
    # A year or source the plan does not state reads as "?" (the plan check names the gap).
    year, source = plain(b.get("year")) or "?", words.choice("source", b.get("source")) or "?"
    return f"{year} {source} {words.money(b.get('amount'))}"


def _indicator_line(i: dict[str, Any], words: Wording = RAW) -> str:
    targets = ", ".join(
        f"{plain(t.get('year')) or '?'}: {t.get('value')}" + (f"–{t['upper']}" if t.get("upper") is not None else "")
        for t in i.get("targets") or []
    )
    direction = words.choice("direction", i.get("direction"))
    kind = words.choice("indicator_kind", i.get("kind", "output"))
    return (
        f"{i.get('name')} ({i.get('unit')}, {direction}, {kind}) "
        f"{words.baseline} {i.get('baseline')} [{i.get('baseline_year')}] → {targets}; {i.get('data_producer') or '-'}"
    )


def _action_line(a: dict[str, Any], words: Wording = RAW) -> str:
    return (
        f"{a.get('activity')} {a.get('starts_on')}–{a.get('ends_on')} "
        f"{a.get('person_in_charge') or ''} {a.get('opd') or ''} → {a.get('output') or ''}"
    ).strip()


LIST_RENDERERS: dict[str, Callable[[dict[str, Any], Wording], str]] = {
    "budgets": _budget_line,
    "indicators": _indicator_line,
    "action_items": _action_line,
}


def indicator_changes(
    old: list[dict[str, Any]], new: list[dict[str, Any]], words: Wording = RAW
) -> list[tuple[str, str]]:
    """(before, after) lines of each indicator that changed, matched by lineage, then by name.

    An added indicator has an empty before, a removed one an empty after; a reordering is no
    change. Documents without indicator lineage (older exports) compare the whole list as before.
    """
    if not any(i.get("lineage") for i in old) or not any(i.get("lineage") for i in new):
        before = "\n".join(_indicator_line(i, words) for i in old)
        after = "\n".join(_indicator_line(i, words) for i in new)
        return [(before, after)] if before != after else []
    by_lineage = {i["lineage"]: i for i in old if i.get("lineage")}
    used: set[int] = set()
    pairs: list[tuple[dict[str, Any] | None, dict[str, Any]]] = []
    for i in new:
        match = by_lineage.get(i.get("lineage")) if i.get("lineage") else None
        if match is not None and id(match) not in used:
            used.add(id(match))
        else:
            match = None
        pairs.append((match, i))
    by_name = {i.get("name"): i for i in old if id(i) not in used}
    for n, (match, i) in enumerate(pairs):
        if match is None and (found := by_name.pop(i.get("name"), None)) is not None:
            used.add(id(found))
            pairs[n] = (found, i)
    out: list[tuple[str, str]] = []
    for match, i in pairs:
        before, after = (_indicator_line(match, words) if match else ""), _indicator_line(i, words)
        if before != after:
            out.append((before, after))
    out.extend((_indicator_line(i, words), "") for i in old if id(i) not in used)
    return out


def programme_fields(p: dict[str, Any], words: Wording = RAW) -> dict[str, str]:
    """A programme as field → comparable text."""
    out: dict[str, str] = {}
    for name, value in p.items():
        if name in field_list.UNCOMPARED_FIELDS:
            continue
        render = LIST_RENDERERS.get(name)
        if render is not None:
            out[name] = "\n".join(render(v, words) for v in value or [])
        elif name in field_list.CHOICE_FIELDS:
            out[name] = words.choice(name, value)
        else:
            out[name] = plain(value)
    return out


def translated_wording() -> Wording:
    """The wording of the active language: choice labels, rupiah amounts, translated words (needs Django)."""
    from django.utils.translation import gettext

    from kotacerdas.lib import numbers
    from kotacerdas.plans.models import BudgetSource, Direction, Horizon, Indicator, InnovationKind, ProgrammeStatus

    def rupiah(amount: Any) -> str:
        number = numbers.as_decimal(amount)
        return plain(amount) if number is None else numbers.rupiah(number)

    def labels(choices: Any) -> dict[str, str]:
        return {str(code): str(label) for code, label in choices.choices}

    return Wording(
        choices={
            "innovation_kind": labels(InnovationKind),
            "horizon": labels(Horizon),
            "status": labels(ProgrammeStatus),
            "source": labels(BudgetSource),
            "direction": labels(Direction),
            "indicator_kind": labels(Indicator.Kind),
        },
        money=rupiah,
        baseline=gettext("baseline"),
    )


def diff_fields(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field whose text differs, in the order of ``after``."""
    keys = list(dict.fromkeys([*after.keys(), *before.keys()]))
    return [(k, before.get(k, ""), after.get(k, "")) for k in keys if before.get(k, "") != after.get(k, "")]


def _match_programmes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[tuple[Any, Any]]:
    pairs: list[tuple[Any, Any]] = []
    old_by_lineage = {p.get("lineage"): p for p in old if p.get("lineage")}
    used: set[int] = set()
    unmatched_new: list[dict[str, Any]] = []
    for p in new:
        match = old_by_lineage.get(p.get("lineage")) if p.get("lineage") else None
        if match is not None and id(match) not in used:
            used.add(id(match))
            pairs.append((match, p))
        else:
            unmatched_new.append(p)
    old_by_code = {p.get("code"): p for p in old if id(p) not in used}
    for p in unmatched_new:
        match = old_by_code.pop(p.get("code"), None)
        if match is not None:
            used.add(id(match))
        pairs.append((match, p))
    pairs.extend((p, None) for p in old if id(p) not in used)
    return pairs


def _rows(
    kind: str,
    old: Iterable[dict[str, Any]],
    new: Iterable[dict[str, Any]],
    key: Callable[[dict[str, Any]], str],
    label: Callable[[dict[str, Any]], str],
) -> list[Change]:
    changes: list[Change] = []
    before = {key(r): r for r in old}
    after = {key(r): r for r in new}
    for k, row in after.items():
        if k not in before:
            changes.append(Change(ADDED, kind, k, label(row)))
            continue
        fields_before = {f: plain(v) for f, v in before[k].items()}
        fields_after = {f: plain(v) for f, v in row.items()}
        changes.extend(
            Change(CHANGED, kind, k, label(row), f, b, a) for f, b, a in diff_fields(fields_before, fields_after)
        )
    changes.extend(Change(REMOVED, kind, k, label(r)) for k, r in before.items() if k not in after)
    return changes


def changelog(old: Doc, new: Doc, words: Wording = RAW) -> list[Change]:
    """Everything added, removed and changed from ``old`` to ``new`` (values worded by ``words``)."""
    changes: list[Change] = []
    old_ed, new_ed = old.get("edition") or {}, new.get("edition") or {}
    for key in EDITION_FIELDS:
        b, a = plain(old_ed.get(key)), plain(new_ed.get(key))
        if b != a:
            changes.append(
                Change(CHANGED, "edition", str(new_ed.get("year", "")), plain(new_ed.get("title")), key, b, a)
            )
    changes += _rows(
        "section",
        [{"title": s.get("title"), "body": s.get("body")} | {"key": s.get("key")} for s in old.get("sections") or []],
        [{"title": s.get("title"), "body": s.get("body")} | {"key": s.get("key")} for s in new.get("sections") or []],
        lambda r: str(r.get("key")),
        lambda r: plain(r.get("title")),
    )
    changes += _rows(
        "mission",
        old.get("missions") or [],
        new.get("missions") or [],
        lambda r: str(r.get("number")),
        lambda r: plain(r.get("text"))[:80],
    )
    changes += _rows(
        "goal",
        old.get("goals") or [],
        new.get("goals") or [],
        lambda r: str(r.get("code")),
        lambda r: plain(r.get("text"))[:80],
    )
    changes += _rows(
        "strategy",
        old.get("strategies") or [],
        new.get("strategies") or [],
        lambda r: str(r.get("code")),
        lambda r: plain(r.get("text"))[:80],
    )
    changes += _rows(
        "waiver",
        old.get("waivers") or [],
        new.get("waivers") or [],
        lambda r: str(r.get("element")),
        lambda r: str(r.get("element")),
    )
    changes += _rows(
        "swot",
        old.get("swot") or [],
        new.get("swot") or [],
        lambda r: f"{r.get('kind')}:{plain(r.get('text'))}",
        lambda r: plain(r.get("text"))[:80],
    )
    for before, after in _match_programmes(old.get("programmes") or [], new.get("programmes") or []):
        if before is None:
            changes.append(Change(ADDED, "programme", str(after.get("code")), plain(after.get("name"))))
        elif after is None:
            changes.append(Change(REMOVED, "programme", str(before.get("code")), plain(before.get("name"))))
        else:
            code, name = str(after.get("code")), plain(after.get("name"))
            for name_, b, a in diff_fields(programme_fields(before, words), programme_fields(after, words)):
                if name_ == "indicators":
                    pairs = indicator_changes(before.get("indicators") or [], after.get("indicators") or [], words)
                    changes.extend(Change(CHANGED, "programme", code, name, name_, b, a) for b, a in pairs)
                else:
                    changes.append(Change(CHANGED, "programme", code, name, name_, b, a))
    return changes


def translated_field_labels() -> dict[str, str]:
    """Translated names of the fields the change log names by their interchange keys (needs Django)."""
    from django.utils.translation import gettext

    from kotacerdas.plans.models import Edition, Programme

    labels = {f.name: str(f.verbose_name) for f in Programme._meta.get_fields() if hasattr(f, "verbose_name")}
    labels.update({f.name: str(f.verbose_name) for f in Edition._meta.get_fields() if hasattr(f, "verbose_name")})
    labels.update(
        {
            "budgets": gettext("budget"),
            "indicators": gettext("indicators"),
            "action_items": gettext("action plan"),
            "quick_win_years": gettext("quick win in"),
            "supporting_opds": gettext("supporting agencies"),
            "dependencies": gettext("depends on"),
            "lead_opd": gettext("lead agency (OPD)"),
            "body": gettext("text"),
            "title": gettext("title"),
            "text": gettext("text"),
            "reason": gettext("reason"),
        }
    )
    return labels


def summary(changes: Iterable[Change]) -> dict[str, dict[str, int]]:
    """Count of rows added/removed/changed per kind (a changed row counts once)."""
    out: dict[str, dict[str, int]] = {}
    seen: set[tuple[str, str, str]] = set()
    for c in changes:
        token = (c.change, c.kind, c.key)
        if token in seen:
            continue
        seen.add(token)
        out.setdefault(c.kind, {ADDED: 0, REMOVED: 0, CHANGED: 0})[c.change] += 1
    return out
