"""The rules a mentor applies when reading a plan (issue 18): money, dates, ownership, overlap
and balance. Pure functions over the interchange document, like :mod:`.rules`; each rule, its
threshold and how to waive it is described in docs/plan-checks.md.

A value the plan does not state (None) is unknown, never a finding here: a programme without
years has no action outside them. Gaps are reported by the rules that ask for the value.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from kotacerdas.plans.checks import text
from kotacerdas.plans.checks.findings import RULES, Finding
from kotacerdas.plans.checks.findings import gettext_noop as _
from kotacerdas.plans.checks.rules import _date, _dec

Doc = dict[str, Any]

# PC033: an agency leading more than this share of the programmes (with a known lead), once the
# plan has at least CONCENTRATION_MIN of them (in a plan of four, two each is not concentration).
CONCENTRATION_SHARE = 50
CONCENTRATION_MIN = 6
# PC034: TF-IDF cosine of name and description at or above which two programmes of one element
# say the same thing. Tuned on the demo plan and on the staff-performance example of issue 18
# (tests/test_mentor_rules.py): three rewordings of one function score 0.40–0.46, a staff-records
# system beside them 0.29–0.33, distinct programmes of one element below 0.31.
OVERLAP_THRESHOLD = 0.4
# PC035: a dimension with at most a third of the median of the other dimensions' programme
# counts, once that median is at least BALANCE_MIN_MEDIAN.
BALANCE_RATIO = 3
BALANCE_MIN_MEDIAN = 3


def _finding(rule: str, message: str, path: str, **where: Any) -> Finding:
    return Finding(
        rule,
        RULES[rule].severity,
        message,
        where.get("params", {}),
        path,
        where.get("programme"),
        where.get("dimension"),
        about=where.get("about"),
    )


def _programmes(doc: Doc) -> list[tuple[int, dict[str, Any]]]:
    return [(n, p) for n, p in enumerate(doc.get("programmes") or []) if isinstance(p, dict)]


def _year(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _amount(value: Any) -> int | None:
    number = _dec(value)
    return None if number is None else int(number)


def _date_year(value: Any) -> int | None:
    day = _date(value)
    return day.year if day is not None else None


# Money ---------------------------------------------------------------------------------------


def unfunded(doc: Doc) -> Iterator[Finding]:
    """PC030: programmes without any budget (no line, or lines that add up to zero)."""
    progs = _programmes(doc)
    for n, p in progs:
        lines = [b for b in p.get("budgets") or [] if isinstance(b, dict)]
        amounts = [_amount(b.get("amount")) for b in lines]
        if any(a is None for a in amounts) or sum(a or 0 for a in amounts) > 0:
            continue  # funded, or an amount not stated (unknown is not zero)
        yield _finding(
            "PC030",
            _("Programme %(code)s has no budget."),
            f"$.programmes[{n}].budgets",
            programme=p.get("code"),
            dimension=p.get("dimension"),
            params={"code": p.get("code"), "total": len(progs)},
        )


def unsourced(doc: Doc) -> Iterator[Finding]:
    """PC031: budget lines that name no funding source."""
    for n, p in _programmes(doc):
        for k, b in enumerate(p.get("budgets") or []):
            if isinstance(b, dict) and not str(b.get("source") or "").strip():
                yield _finding(
                    "PC031",
                    _("The budget line of %(year)s names no funding source."),
                    f"$.programmes[{n}].budgets[{k}].source",
                    programme=p.get("code"),
                    dimension=p.get("dimension"),
                    params={"year": b.get("year"), "code": p.get("code")},
                )


# Dates ---------------------------------------------------------------------------------------


def actions_in_years(doc: Doc) -> Iterator[Finding]:
    """PC032: action plan items outside their programme's years (PC023 reports those outside the
    plan period; this rule stays silent on them, and on programmes without stated years)."""
    edition = doc.get("edition") or {}
    first, last = _year(edition.get("start_year")), _year(edition.get("end_year"))
    for n, p in _programmes(doc):
        start, end = _year(p.get("start_year")), _year(p.get("end_year"))
        if start is None or end is None or end < start:
            continue
        for k, item in enumerate(p.get("action_items") or []):
            if not isinstance(item, dict):
                continue
            begins, ends = _date_year(item.get("starts_on")), _date_year(item.get("ends_on"))
            known = [y for y in (begins, ends) if y is not None]
            if not known or (first is not None and last is not None and not all(first <= y <= last for y in known)):
                continue
            if all(start <= y <= end for y in known):
                continue
            field_name = "starts_on" if begins is not None and not start <= begins <= end else "ends_on"
            yield _finding(
                "PC032",
                _("Action %(activity)r runs %(begins)s–%(ends)s, outside the programme's years %(start)s–%(end)s."),
                f"$.programmes[{n}].action_items[{k}].{field_name}",
                programme=p.get("code"),
                dimension=p.get("dimension"),
                params={
                    "activity": item.get("activity"),
                    "begins": begins,
                    "ends": ends,
                    "start": start,
                    "end": end,
                },
            )


# Ownership -----------------------------------------------------------------------------------


def concentration(doc: Doc) -> Iterator[Finding]:
    """PC033: one agency leading more than CONCENTRATION_SHARE % of the programmes with a lead.
    (Programmes with no lead at all are PC005.)"""
    leads = Counter(str(p["lead_opd"]) for _n, p in _programmes(doc) if p.get("lead_opd"))
    total = sum(leads.values())
    if total < CONCENTRATION_MIN:
        return
    for opd, count in leads.most_common():
        share = 100 * count / total
        if share <= CONCENTRATION_SHARE:
            break
        yield _finding(
            "PC033",
            _("%(opd)s leads %(count)s of %(total)s programmes (%(share)s%%); more than %(limit)s%% is concentration."),
            "$.programmes",
            about=opd,
            params={"opd": opd, "count": count, "total": total, "share": round(share), "limit": CONCENTRATION_SHARE},
        )


# Overlap -------------------------------------------------------------------------------------


def _clusters(pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Connected groups of the pairs (union-find), each sorted, in order of their first member."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[root(i)] = root(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in sorted(parent):
        groups[root(i)].append(i)
    return sorted(groups.values())


def same_function(doc: Doc) -> Iterator[Finding]:
    """PC034: programmes of one element whose name and description say the same thing."""
    progs = _programmes(doc)
    words = [text.tokens(f"{p.get('name') or ''} {p.get('description') or ''}") for _n, p in progs]
    vectors = text.vectors(words)  # IDF over the whole plan: shared boilerplate weighs little
    by_element: dict[str, list[int]] = defaultdict(list)
    for k, (_n, p) in enumerate(progs):
        if p.get("element") and str(p.get("description") or "").strip():
            by_element[str(p["element"])].append(k)
    for element, members in sorted(by_element.items()):
        pairs: list[tuple[int, int]] = []
        best: dict[int, float] = {}
        for a_index, a in enumerate(members):
            for b in members[a_index + 1 :]:
                score = text.cosine(vectors[a], vectors[b])
                if score >= OVERLAP_THRESHOLD:
                    pairs.append((a, b))
                    best[a] = max(best.get(a, 0.0), score)
        for group in _clusters(pairs):
            n, first = progs[group[0]]
            codes = [str(progs[k][1].get("code")) for k in group]
            yield _finding(
                "PC034",
                _(
                    "%(codes)s (element %(element)s) describe the same function (%(score)s%% alike): "
                    "merge them or tell them apart."
                ),
                f"$.programmes[{n}].description",
                programme=first.get("code"),
                dimension=first.get("dimension"),
                params={
                    "codes": ", ".join(codes),
                    "element": element,
                    "score": round(100 * max(best.get(k, 0.0) for k in group)),
                },
            )


# Balance -------------------------------------------------------------------------------------


def balance(doc: Doc) -> Iterator[Finding]:
    """PC035: dimensions with very few programmes relative to the others."""
    dims = [d.get("code") for d in (doc.get("taxonomy") or {}).get("dimensions") or [] if isinstance(d, dict)]
    counts = Counter(p.get("dimension") for _n, p in _programmes(doc))
    for d in dims:
        mine = counts.get(d, 0)
        others = [counts.get(o, 0) for o in dims if o != d]
        if not mine or not others:
            continue  # a dimension without programmes is PC002
        median = statistics.median(others)
        if median >= BALANCE_MIN_MEDIAN and mine * BALANCE_RATIO <= median:
            yield _finding(
                "PC035",
                _(
                    "Dimension %(dimension)s has %(count)s programme(s) against a median of %(median)s "
                    "in the other dimensions."
                ),
                "$.programmes",
                dimension=d,
                params={"dimension": d, "count": mine, "median": median},
            )


def vision_carried(doc: Doc) -> Iterator[Finding]:
    """PC036: keywords of the vision that no programme's name, description or problem takes up."""
    keywords = (doc.get("edition") or {}).get("vision_keywords") or []
    if not isinstance(keywords, list):
        return
    words: set[str] = set()
    for _n, p in _programmes(doc):
        for key in ("name", "description", "problem"):
            words.update(text.tokens(str(p.get(key) or "")))
    for keyword in keywords:
        if isinstance(keyword, str) and text.tokens(keyword) and not text.mentions(words, keyword):
            yield _finding(
                "PC036",
                _("No programme takes up the vision's keyword %(keyword)r."),
                "$.edition.vision_keywords",
                about=keyword,
                params={"keyword": keyword},
            )


CHECKS: list[Callable[[Doc], Iterator[Finding]]] = [
    unfunded,
    unsourced,
    actions_in_years,
    concentration,
    same_function,
    balance,
    vision_carried,
]
