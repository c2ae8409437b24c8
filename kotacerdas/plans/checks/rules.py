"""The rules of the plan check, each a function from the document to findings (pure Python).

Documents come from files too, so every rule reads defensively (``.get`` with defaults) and
never raises on odd input: a missing value is a finding, not a crash.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from kotacerdas.plans.checks.document import normalise
from kotacerdas.plans.checks.findings import RULES, Finding, Severity
from kotacerdas.plans.checks.findings import gettext_noop as _
from kotacerdas.plans.checks.gaps import gaps
from kotacerdas.plans.checks.graphs import find_cycle
from kotacerdas.plans.checks.groups import Group
from kotacerdas.plans.checks.groups import group as group_findings
from kotacerdas.plans.checks.importable import IMPORT_RULES  # noqa: F401 (registers the import's verdict)
from kotacerdas.plans.checks.names import near_duplicate_pairs

Doc = dict[str, Any]
PERMENDAGRI = re.compile(r"^[0-9X]\.[0-9X]{2}\.\d{2}(\.\d\.\d{2}(\.\d{4})?)?$")
HORIZON_YEARS = {"short": (1, 2), "medium": (2, 5), "long": (5, 10)}
BUDGET_SOURCES = {"apbd", "apbn", "dak", "csr", "kpbu"}


@dataclass
class CheckReport:
    """The findings that stand, and apart from them those a recorded waiver silences."""

    findings: list[Finding] = field(default_factory=list)
    waived: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]

    def counts(self) -> dict[str, int]:
        counted = Counter(f.severity.label for f in self.findings)
        return {s.label: counted.get(s.label, 0) for s in Severity}

    def by_programme(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = defaultdict(list)
        for f in self.findings:
            if f.programme:
                grouped[f.programme].append(f)
        return dict(grouped)

    def groups(self) -> list[Group]:
        """The standing findings grouped by rule and message (:mod:`.groups`)."""
        return group_findings(self.findings)

    def as_dict(self) -> dict[str, Any]:
        index = {id(f): n for n, f in enumerate(self.findings)}
        return {
            "counts": self.counts(),
            "findings": [f.as_dict() for f in self.findings],
            "groups": [g.as_dict(index) for g in self.groups()],
            "waived": [f.as_dict() for f in self.waived],
        }


def apply_waivers(report: CheckReport, waivers: dict[tuple[str, str], dict[str, Any]]) -> CheckReport:
    """The report with the findings a waiver names (rule, subject) moved to ``waived``, each
    carrying its waiver (reason, by, when)."""
    standing, waived = [], list(report.waived)
    for f in report.findings:
        waiver = waivers.get((f.rule, f.subject))
        if waiver is None:
            standing.append(f)
        else:
            waived.append(replace(f, waiver=waiver))
    return CheckReport(standing, waived)


def _finding(rule: str, message: str, path: str, **where: Any) -> Finding:
    params = where.pop("params", {})
    return Finding(
        rule,
        RULES[rule].severity,
        message,
        params,
        path,
        where.get("programme"),
        where.get("dimension"),
        about=where.get("about"),
    )


def _programmes(doc: Doc) -> list[tuple[int, dict[str, Any]]]:
    return [(n, p) for n, p in enumerate(doc.get("programmes") or []) if isinstance(p, dict)]


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _year(value: Any) -> int | None:
    """A calendar year a date can hold, or None (nonsense years are other rules' business)."""
    number = _int(value)
    return number if number is not None and datetime.MINYEAR <= number <= datetime.MAXYEAR else None


def _dec(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _taxonomy(doc: Doc) -> tuple[list[str], dict[str, str]]:
    """Dimension codes in order, and element code → dimension code."""
    dims: list[str] = []
    parent: dict[str, str] = {}
    for d in (doc.get("taxonomy") or {}).get("dimensions") or []:
        dims.append(d.get("code"))
        for e in d.get("elements") or []:
            parent[e.get("code")] = d.get("code")
    return dims, parent


def _period(doc: Doc) -> tuple[int | None, int | None]:
    edition = doc.get("edition") or {}
    return _int(edition.get("start_year")), _int(edition.get("end_year"))


# Coverage -----------------------------------------------------------------------------------


def coverage(doc: Doc) -> Iterator[Finding]:
    dims, parent = _taxonomy(doc)
    with_strategy = {s.get("dimension") for s in doc.get("strategies") or []}
    with_programme = {p.get("dimension") for _n, p in _programmes(doc)}
    for d in dims:
        if d not in with_strategy:
            yield _finding(
                "PC001",
                _("Dimension %(dimension)s has no strategy."),
                "$.strategies",
                dimension=d,
                params={"dimension": d},
            )
        if d not in with_programme:
            yield _finding(
                "PC002",
                _("Dimension %(dimension)s has no programme."),
                "$.programmes",
                dimension=d,
                params={"dimension": d},
            )
    covered = {p.get("element") for _n, p in _programmes(doc)} | {s.get("element") for s in doc.get("strategies") or []}
    waived: dict[str, str] = {}
    for n, w in enumerate(doc.get("waivers") or []):
        reason = str(w.get("reason") or "").strip()
        if not reason:
            yield _finding(
                "PC003",
                _("The waiver of element %(element)s gives no reason."),
                f"$.waivers[{n}].reason",
                dimension=parent.get(w.get("element")),
                params={"element": w.get("element")},
            )
        waived[w.get("element")] = reason
    for element, dimension in parent.items():
        if element not in covered and not waived.get(element):
            yield _finding(
                "PC003",
                _("Element %(element)s has no programme or strategy and is not waived."),
                "$.programmes",
                dimension=dimension,
                about=element,
                params={"element": element},
            )


def taxonomy_codes(doc: Doc) -> Iterator[Finding]:
    dims, parent = _taxonomy(doc)
    known = set(dims)
    for n, p in _programmes(doc):
        code, dim, el = p.get("code"), p.get("dimension"), p.get("element")
        if dim not in known:
            yield _finding(
                "PC004",
                _("Unknown dimension code %(code)r."),
                f"$.programmes[{n}].dimension",
                programme=code,
                params={"code": dim},
            )
        if el is not None and el not in parent:
            yield _finding(
                "PC004",
                _("Unknown element code %(code)r."),
                f"$.programmes[{n}].element",
                programme=code,
                dimension=dim,
                params={"code": el},
            )
        elif el is not None and parent[el] != dim:
            yield _finding(
                "PC004",
                _("Element %(element)s belongs to dimension %(other)s, not %(dimension)s."),
                f"$.programmes[{n}].element",
                programme=code,
                dimension=dim,
                params={"element": el, "other": parent[el], "dimension": dim},
            )
    for n, s in enumerate(doc.get("strategies") or []):
        if s.get("dimension") not in known:
            yield _finding(
                "PC004",
                _("Strategy %(code)s names an unknown dimension %(dimension)r."),
                f"$.strategies[{n}].dimension",
                params={"code": s.get("code"), "dimension": s.get("dimension")},
            )


# Agencies -----------------------------------------------------------------------------------


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _opd_ranges(doc: Doc) -> dict[str, list[tuple[datetime.date, datetime.date | None]]]:
    ranges: dict[str, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    for o in doc.get("opds") or []:
        start = _date(o.get("valid_from"))
        if start is not None:
            ranges[o.get("abbreviation")].append((start, _date(o.get("valid_to"))))
    return ranges


def _exists_during(ranges: list[tuple[datetime.date, datetime.date | None]], start: int, end: int) -> bool:
    """Whether the agency (possibly over several consecutive ranges) exists in every year start..end."""
    for year in range(start, end + 1):
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if not any(f <= last and (t is None or t >= first) for f, t in ranges):
            return False
    return True


def agencies(doc: Doc) -> Iterator[Finding]:
    ranges = _opd_ranges(doc)
    for n, p in _programmes(doc):
        code, dim = p.get("code"), p.get("dimension")
        start, end = _year(p.get("start_year")), _year(p.get("end_year"))
        lead = p.get("lead_opd")
        if not lead:
            yield _finding(
                "PC005",
                _("Programme %(code)s has no lead agency."),
                f"$.programmes[{n}].lead_opd",
                programme=code,
                dimension=dim,
                params={"code": code},
            )
        named = [("lead_opd", lead)] if lead else []
        named += [(f"supporting_opds[{k}]", o) for k, o in enumerate(p.get("supporting_opds") or [])]
        named += [
            (f"indicators[{k}].data_producer", i.get("data_producer"))
            for k, i in enumerate(p.get("indicators") or [])
            if i.get("data_producer")
        ]
        for where, abbreviation in named:
            if abbreviation not in ranges:
                yield _finding(
                    "PC006",
                    _("Unknown agency %(opd)r."),
                    f"$.programmes[{n}].{where}",
                    programme=code,
                    dimension=dim,
                    params={"opd": abbreviation},
                )
            elif (
                start is not None
                and end is not None
                and 0 <= end - start <= 100
                and not _exists_during(ranges[abbreviation], start, end)
            ):
                yield _finding(
                    "PC006",
                    _("%(opd)s does not exist during all of %(start)s–%(end)s."),
                    f"$.programmes[{n}].{where}",
                    programme=code,
                    dimension=dim,
                    params={"opd": abbreviation, "start": start, "end": end},
                )


# Years, horizons, quick wins ----------------------------------------------------------------


def years(doc: Doc) -> Iterator[Finding]:
    first, last = _period(doc)
    if first is None or last is None:
        yield _finding("PC007", _("The edition has no valid plan period."), "$.edition")
        return
    for n, p in _programmes(doc):
        code, dim = p.get("code"), p.get("dimension")
        start, end = _int(p.get("start_year")), _int(p.get("end_year"))
        for field_name, year in (("start_year", start), ("end_year", end)):
            if p.get(field_name) is None:
                continue  # not stated: a gap (checks/gaps.py), not a date outside the period
            if year is None or not first <= year <= last:
                yield _finding(
                    "PC007",
                    _("%(field)s %(year)s is outside the plan period %(first)s–%(last)s."),
                    f"$.programmes[{n}].{field_name}",
                    programme=code,
                    dimension=dim,
                    params={"field": field_name, "year": year, "first": first, "last": last},
                )
        if start is not None and end is not None and end < start:
            yield _finding(
                "PC007",
                _("The programme ends (%(end)s) before it starts (%(start)s)."),
                f"$.programmes[{n}].end_year",
                programme=code,
                dimension=dim,
                params={"start": start, "end": end},
            )
        for k, b in enumerate(p.get("budgets") or []):
            year = _int(b.get("year"))
            if b.get("year") is not None and (year is None or not first <= year <= last):
                yield _finding(
                    "PC007",
                    _("Budget year %(year)s is outside the plan period %(first)s–%(last)s."),
                    f"$.programmes[{n}].budgets[{k}].year",
                    programme=code,
                    dimension=dim,
                    params={"year": b.get("year"), "first": first, "last": last},
                )
        for k, i in enumerate(p.get("indicators") or []):
            for t, target in enumerate(i.get("targets") or []):
                year = _int(target.get("year"))
                if target.get("year") is not None and (year is None or not first <= year <= last):
                    yield _finding(
                        "PC007",
                        _("Target year %(year)s is outside the plan period %(first)s–%(last)s."),
                        f"$.programmes[{n}].indicators[{k}].targets[{t}].year",
                        programme=code,
                        dimension=dim,
                        params={"year": target.get("year"), "first": first, "last": last},
                    )


def horizons(doc: Doc) -> Iterator[Finding]:
    for n, p in _programmes(doc):
        start, end = _int(p.get("start_year")), _int(p.get("end_year"))
        bounds = HORIZON_YEARS.get(p.get("horizon") or "")
        if start is None or end is None or end < start or bounds is None:
            continue
        length = end - start + 1
        low, high = bounds
        if not low <= length <= high:
            yield _finding(
                "PC008",
                _("A %(horizon)s-horizon programme runs %(length)s years (%(low)s–%(high)s expected)."),
                f"$.programmes[{n}].horizon",
                programme=p.get("code"),
                dimension=p.get("dimension"),
                params={"horizon": p.get("horizon"), "length": length, "low": low, "high": high},
            )


def quick_wins(doc: Doc) -> Iterator[Finding]:
    limit = _int((doc.get("edition") or {}).get("quick_win_limit")) or 6
    per_year: dict[int, list[Any]] = defaultdict(list)
    for n, p in _programmes(doc):
        start, end = _int(p.get("start_year")), _int(p.get("end_year"))
        for k, year in enumerate(p.get("quick_win_years") or []):
            if not isinstance(year, int):
                continue
            per_year[year].append(p.get("code"))
            if start is None and end is None:
                continue  # the programme's years are not stated: a gap (checks/gaps.py)
            if start != year or end is None or end > year + 1:
                yield _finding(
                    "PC009",
                    _("Quick win of %(year)s must start in %(year)s and end by %(next)s (runs %(start)s–%(end)s)."),
                    f"$.programmes[{n}].quick_win_years[{k}]",
                    programme=p.get("code"),
                    dimension=p.get("dimension"),
                    params={"year": year, "next": year + 1, "start": start, "end": end},
                )
    for year, codes in sorted(per_year.items()):
        if len(codes) > limit:
            yield _finding(
                "PC010",
                _("%(count)s quick wins in %(year)s; at most %(limit)s: %(codes)s."),
                "$.programmes",
                params={"count": len(codes), "year": year, "limit": limit, "codes": ", ".join(sorted(codes))},
            )


def confirmed_quick_wins(doc: Doc) -> Iterator[Finding]:
    """PC022: the quick-win flags of a budget year are exactly the confirmed selection's choice."""
    progs = _programmes(doc)
    by_code = {p.get("code"): (n, p) for n, p in progs}
    for s in doc.get("quick_win_selections") or []:
        year = _int(s.get("budget_year"))
        if year is None:
            continue
        chosen = set(s.get("selection") or [])
        params = {"year": year, "round": s.get("round_year"), "result": s.get("result")}
        for n, p in progs:
            flagged = p.get("quick_win_years") or []
            if year in flagged and p.get("code") not in chosen:
                yield _finding(
                    "PC022",
                    _(
                        "Marked as a quick win of %(year)s, but the confirmed selection "
                        "(round %(round)s · for budget %(year)s, result #%(result)s) leaves it out."
                    ),
                    f"$.programmes[{n}].quick_win_years[{flagged.index(year)}]",
                    programme=p.get("code"),
                    dimension=p.get("dimension"),
                    params=params,
                )
        for code in sorted(chosen):
            if code not in by_code:
                yield _finding(
                    "PC022",
                    _(
                        "%(code)s, chosen in the confirmed selection (round %(round)s · for budget %(year)s, "
                        "result #%(result)s), is not a programme of this edition."
                    ),
                    "$.programmes",
                    params={**params, "code": code},
                )
                continue
            n, p = by_code[code]
            if year not in (p.get("quick_win_years") or []):
                yield _finding(
                    "PC022",
                    _(
                        "Chosen in the confirmed selection (round %(round)s · for budget %(year)s, "
                        "result #%(result)s) but not marked as a quick win of %(year)s."
                    ),
                    f"$.programmes[{n}].quick_win_years",
                    programme=code,
                    dimension=p.get("dimension"),
                    params=params,
                )


# Indicators and budgets ---------------------------------------------------------------------


def indicators(doc: Doc) -> Iterator[Finding]:
    for n, p in _programmes(doc):
        code, dim = p.get("code"), p.get("dimension")
        inds = p.get("indicators") or []
        if not inds:
            yield _finding(
                "PC011",
                _("Programme %(code)s has no indicator."),
                f"$.programmes[{n}].indicators",
                programme=code,
                dimension=dim,
                params={"code": code},
            )
        for k, i in enumerate(inds):
            here = f"$.programmes[{n}].indicators[{k}]"
            name = i.get("name")
            baseline = _dec(i.get("baseline"))
            targets = sorted(
                ((_int(t.get("year")) or 0, _dec(t.get("value"))) for t in i.get("targets") or []), key=lambda t: t[0]
            )
            if baseline is None:
                yield _finding(
                    "PC012",
                    _("Indicator %(name)r has no baseline."),
                    f"{here}.baseline",
                    programme=code,
                    dimension=dim,
                    params={"name": name},
                )
            if not targets:
                yield _finding(
                    "PC012",
                    _("Indicator %(name)r has no targets."),
                    f"{here}.targets",
                    programme=code,
                    dimension=dim,
                    params={"name": name},
                )
            if not i.get("data_producer"):
                yield _finding(
                    "PC012",
                    _("Indicator %(name)r names no data producer."),
                    f"{here}.data_producer",
                    programme=code,
                    dimension=dim,
                    params={"name": name},
                )
            sign = -1 if i.get("direction") == "lower" else 1
            series = ([baseline] if baseline is not None else []) + [v for _y, v in targets if v is not None]
            if i.get("direction") == "range":
                series = []  # a range has no direction to move in (holding a band is the point)
            for before, after in itertools.pairwise(series):
                if (after - before) * sign < 0:
                    yield _finding(
                        "PC013",
                        # One message per direction: a raw "higher" inside translated text would leak.
                        _("Targets of %(name)r go from %(before)s to %(after)s, against “lower is better”.")
                        if sign < 0
                        else _("Targets of %(name)r go from %(before)s to %(after)s, against “higher is better”."),
                        f"{here}.targets",
                        programme=code,
                        dimension=dim,
                        params={
                            "name": name,
                            "before": str(before),
                            "after": str(after),
                            "direction": i.get("direction") or "higher",
                        },
                    )
                    break
            else:
                if len(series) >= 2 and series[-1] == series[0]:
                    yield _finding(
                        "PC013",
                        _("Targets of %(name)r never move from %(value)s."),
                        f"{here}.targets",
                        programme=code,
                        dimension=dim,
                        params={"name": name, "value": str(series[0])},
                    )


def budgets(doc: Doc) -> Iterator[Finding]:
    for n, p in _programmes(doc):
        code, dim = p.get("code"), p.get("dimension")
        start, end = _int(p.get("start_year")), _int(p.get("end_year"))
        seen: set[tuple[Any, Any]] = set()
        for k, b in enumerate(p.get("budgets") or []):
            here = f"$.programmes[{n}].budgets[{k}]"
            amount = _dec(b.get("amount"))
            if amount is None or amount < 0 or amount != amount.to_integral_value():
                yield _finding(
                    "PC014",
                    _("Budget amount %(amount)r must be whole rupiah, zero or more."),
                    f"{here}.amount",
                    programme=code,
                    dimension=dim,
                    params={"amount": b.get("amount")},
                )
            # A line without a source is PC031's (a gap to fill), not an unknown source.
            if str(b.get("source") or "").strip() and b.get("source") not in BUDGET_SOURCES:
                yield _finding(
                    "PC014",
                    _("Unknown budget source %(source)r."),
                    f"{here}.source",
                    programme=code,
                    dimension=dim,
                    params={"source": b.get("source")},
                )
            year = _int(b.get("year"))
            if year is not None and start is not None and end is not None and not start <= year <= end:
                yield _finding(
                    "PC014",
                    _("Budget for %(year)s falls outside the programme's years %(start)s–%(end)s."),
                    f"{here}.year",
                    programme=code,
                    dimension=dim,
                    params={"year": year, "start": start, "end": end},
                )
            key = (b.get("year"), b.get("source"))
            if key in seen and None not in key:
                yield _finding(
                    "PC014",
                    _("Two budget lines for %(year)s from %(source)s."),
                    f"{here}.year",
                    programme=code,
                    dimension=dim,
                    params={"year": key[0], "source": key[1]},
                )
            seen.add(key)


def action_plans(doc: Doc) -> Iterator[Finding]:
    """PC023: action plan items dated inside the plan period, ending after they start."""
    first, last = _period(doc)
    for n, p in _programmes(doc):
        code, dim = p.get("code"), p.get("dimension")
        for k, item in enumerate(p.get("action_items") or []):
            here = f"$.programmes[{n}].action_items[{k}]"
            activity = item.get("activity")
            dates = {f: _date(item.get(f)) for f in ("starts_on", "ends_on")}
            for field_name, day in dates.items():
                if day is None:
                    yield _finding(
                        "PC023",
                        _("Action %(activity)r has no valid date %(value)r."),
                        f"{here}.{field_name}",
                        programme=code,
                        dimension=dim,
                        params={"activity": activity, "value": item.get(field_name)},
                    )
            # One finding per action item, at its first date outside the period.
            outside = [
                (f, day)
                for f, day in dates.items()
                if day is not None and first is not None and last is not None and not first <= day.year <= last
            ]
            if outside:
                field_name, day = outside[0]
                yield _finding(
                    "PC023",
                    _("Action %(activity)r is dated %(date)s, outside the plan period %(first)s–%(last)s."),
                    f"{here}.{field_name}",
                    programme=code,
                    dimension=dim,
                    params={"activity": activity, "date": day.isoformat(), "first": first, "last": last},
                )
            start, end = dates["starts_on"], dates["ends_on"]
            if start is not None and end is not None and end < start:
                yield _finding(
                    "PC023",
                    _("Action %(activity)r ends (%(end)s) before it starts (%(start)s)."),
                    f"{here}.ends_on",
                    programme=code,
                    dimension=dim,
                    params={"activity": activity, "start": start.isoformat(), "end": end.isoformat()},
                )


# Dependencies and codes ---------------------------------------------------------------------


def dependencies(doc: Doc) -> Iterator[Finding]:
    progs = _programmes(doc)
    by_code = {p.get("code"): (n, p) for n, p in progs}
    edges: dict[Any, list[str]] = {}
    for n, p in progs:
        code = p.get("code")
        needs = [d for d in p.get("dependencies") or [] if isinstance(d, str)]
        edges[code] = [d for d in needs if d in by_code]
        for k, dep in enumerate(needs):
            if dep not in by_code:
                yield _finding(
                    "PC016",
                    _("Depends on unknown programme %(dep)r."),
                    f"$.programmes[{n}].dependencies[{k}]",
                    programme=code,
                    dimension=p.get("dimension"),
                    params={"dep": dep},
                )
                continue
            mine, theirs = _int(p.get("start_year")), _int(by_code[dep][1].get("start_year"))
            if mine is not None and theirs is not None and mine < theirs:
                yield _finding(
                    "PC016",
                    _("Starts in %(start)s, before %(dep)s which it needs starts (%(dep_start)s)."),
                    f"$.programmes[{n}].dependencies[{k}]",
                    programme=code,
                    dimension=p.get("dimension"),
                    params={"start": mine, "dep": dep, "dep_start": theirs},
                )
    cycle = find_cycle(edges)
    if cycle:
        n, p = by_code[cycle[0]]
        yield _finding(
            "PC015",
            _("Dependency cycle: %(cycle)s."),
            f"$.programmes[{n}].dependencies",
            programme=cycle[0],
            dimension=p.get("dimension"),
            params={"cycle": " → ".join([*cycle, cycle[0]])},
        )


def codes(doc: Doc) -> Iterator[Finding]:
    dims, _parent = _taxonomy(doc)
    counted = Counter(p.get("code") for _n, p in _programmes(doc))
    reported: set[Any] = set()
    for n, p in _programmes(doc):
        code, dim = p.get("code"), p.get("dimension")
        if not code or not isinstance(code, str):
            yield _finding("PC017", _("A programme has no code."), f"$.programmes[{n}].code", dimension=dim)
        elif counted[code] > 1 and code not in reported:
            reported.add(code)
            yield _finding(
                "PC017",
                _("Programme code %(code)s is used %(count)s times."),
                f"$.programmes[{n}].code",
                programme=code,
                dimension=dim,
                params={"code": code, "count": counted[code]},
            )
        pm = p.get("permendagri_code") or ""
        if pm and not PERMENDAGRI.match(pm):
            yield _finding(
                "PC017",
                _("%(value)r is not a Permendagri 90 programme, activity or sub-activity code."),
                f"$.programmes[{n}].permendagri_code",
                programme=code,
                dimension=dim,
                params={"value": pm},
            )
        spbe = p.get("spbe_indicator") or ""
        if spbe and not (str(spbe).isdigit() and 1 <= int(spbe) <= 47):
            yield _finding(
                "PC017",
                _("%(value)r is not an SPBE indicator number (1–47)."),
                f"$.programmes[{n}].spbe_indicator",
                programme=code,
                dimension=dim,
                params={"value": spbe},
            )
        if isinstance(code, str) and isinstance(dim, str):
            prefix = re.split(r"[-.\s]", code, maxsplit=1)[0].upper()
            if prefix in dims and prefix != dim:
                yield _finding(
                    "PC021",
                    _("Code %(code)s suggests dimension %(prefix)s, but it sits under %(dimension)s."),
                    f"$.programmes[{n}].code",
                    programme=code,
                    dimension=dim,
                    params={"code": code, "prefix": prefix, "dimension": dim},
                )


def rpjmd(doc: Doc) -> Iterator[Finding]:
    progs = _programmes(doc)
    if not progs:
        return
    wanted = _int((doc.get("edition") or {}).get("rpjmd_min_share"))
    wanted = 60 if wanted is None else wanted
    linked = sum(1 for _n, p in progs if str(p.get("rpjmd_programme") or "").strip())
    share = round(100 * linked / len(progs))
    if share < wanted:
        yield _finding(
            "PC018",
            _(
                "%(share)s%% of programmes (%(linked)s of %(total)s) name their RPJMD programme; "
                "at least %(wanted)s%% expected."
            ),
            "$.programmes",
            params={"share": share, "linked": linked, "total": len(progs), "wanted": wanted},
        )


def duplicates(doc: Doc) -> Iterator[Finding]:
    progs = _programmes(doc)
    for i, j, score in near_duplicate_pairs([str(p.get("name") or "") for _n, p in progs]):
        (_n, p), (m, q) = progs[i], progs[j]
        yield _finding(
            "PC019",
            _("%(a)s and %(b)s have nearly the same name (%(score)s%% alike)."),
            f"$.programmes[{m}].name",
            programme=q.get("code"),
            dimension=q.get("dimension"),
            params={"a": p.get("code"), "b": q.get("code"), "score": round(score * 100)},
        )


def dispositions(doc: Doc) -> Iterator[Finding]:
    for n, d in enumerate(doc.get("dispositions") or []):
        if d.get("kind") in ("drop", "merge", "revise") and not str(d.get("rationale") or "").strip():
            previous = (d.get("previous") or {}).get("code")
            yield _finding(
                "PC020",
                _("The %(kind)s disposition of %(code)s gives no rationale."),
                f"$.dispositions[{n}].rationale",
                programme=d.get("programme") or previous,
                params={"kind": d.get("kind"), "code": previous or d.get("programme")},
            )


CHECKS: list[Callable[[Doc], Iterator[Finding]]] = [
    coverage,
    taxonomy_codes,
    agencies,
    years,
    horizons,
    quick_wins,
    confirmed_quick_wins,
    indicators,
    budgets,
    action_plans,
    dependencies,
    codes,
    rpjmd,
    duplicates,
    dispositions,
    gaps,
]


def run_checks(doc: Doc, waived_rules: frozenset[str] = frozenset()) -> CheckReport:
    """Run every rule over an interchange document; findings sorted by severity, then path."""
    from kotacerdas.plans.checks.mentor import CHECKS as MENTOR_CHECKS
    from kotacerdas.plans.checks.sipd import CHECKS as SIPD_CHECKS

    clean = normalise(doc)
    checks = [*CHECKS, *MENTOR_CHECKS, *SIPD_CHECKS]
    found = [f for check in checks for f in check(clean) if f.rule not in waived_rules]
    names = {p.get("code"): p.get("name") for _n, p in _programmes(clean)}
    found = [replace(f, programme_name=names.get(f.programme)) if f.programme in names else f for f in found]
    found.sort(key=lambda f: (-f.severity, f.rule, f.path))
    return CheckReport(found)
