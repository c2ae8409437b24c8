"""Reading a candidates file (as a JSON-shaped dict) into a validated :class:`Problem`.

Every problem found is collected and reported at once with its place in the file, so a mentor
fixes a spreadsheet in one pass. The format is documented in docs/quickwins-file-format.md;
:func:`to_dict` writes the same shape back (the web exports rounds with it).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from kotacerdas.quickwins.engine.messages import Issue, ProblemError, gettext_noop, issue
from kotacerdas.quickwins.engine.model import (
    FORMAT,
    Aggregation,
    BudgetCap,
    Candidate,
    CostLine,
    Criterion,
    DimensionLimit,
    Direction,
    Must,
    Pairwise,
    Problem,
)

RECIPROCAL_TOLERANCE = 0.02  # 1/3 written as 0.33 is still reciprocal enough


# Bounded work for any file (issue 14): a round holds a region's programmes (tens, a few hundred),
# a province's or a ministry's pooled list a few thousand (issue 17 measures 5,000 end to end in
# about 3 s); amounts fit the 18 digits of a stored budget.
MAX_CANDIDATES = 5000
MONEY_DIGITS = 18


class _Collector:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(self, path: str, template: str, **params: Any) -> None:
        self.issues.append(issue(path, template, **params))

    def integer(self, value: Any, path: str, minimum: int | None = None) -> int | None:
        if isinstance(value, bool) or value is None or value == "":
            self.add(path, gettext_noop("Give a whole number."))
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.add(path, gettext_noop("%(value)s is not a whole number."), value=value)
            return None
        if not number.is_finite() or number.adjusted() > 9 or number != number.to_integral_value():
            self.add(path, gettext_noop("%(value)s is not a whole number."), value=str(value)[:40])
            return None
        if minimum is not None and number < minimum:
            self.add(path, gettext_noop("Give a number of at least %(minimum)s."), minimum=minimum)
            return None
        return int(number)

    def money(self, value: Any, path: str) -> Decimal | None:
        if isinstance(value, bool) or value is None or value == "":
            self.add(path, gettext_noop("Give an amount in rupiah."))
            return None
        try:
            amount = Decimal(str(value).strip().replace("_", ""))
        except InvalidOperation:
            self.add(path, gettext_noop("%(value)s is not an amount in rupiah."), value=value)
            return None
        if not amount.is_finite() or amount.adjusted() >= MONEY_DIGITS:
            self.add(path, gettext_noop("%(value)s is not an amount in rupiah."), value=str(value)[:40])
            return None
        if amount < 0:
            self.add(path, gettext_noop("An amount cannot be negative."))
            return None
        return amount

    def number(self, value: Any, path: str) -> float | None:
        if isinstance(value, bool) or value is None or value == "":
            self.add(path, gettext_noop("Give a number."))
            return None
        try:
            number = float(Fraction(value.strip())) if isinstance(value, str) and "/" in value else float(value)
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            self.add(path, gettext_noop("%(value)s is not a number."), value=str(value)[:40])
            return None
        if not math.isfinite(number):
            self.add(path, gettext_noop("%(value)s is not a number."), value=value)
            return None
        return number

    def text(self, value: Any, path: str, required: bool = True) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(path, gettext_noop("This cannot be empty."))
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


def _id_list(value: Any) -> list[str]:
    """A list of candidate ids, from a JSON list or a comma/semicolon-separated cell."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).replace(";", ",").split(",") if part.strip()]


def _candidates(data: dict[str, Any], year: int | None, out: _Collector) -> list[Candidate]:
    raw = data.get("candidates")
    if not isinstance(raw, list) or not raw:
        out.add("candidates", gettext_noop("List at least one candidate."))
        return []
    if len(raw) > MAX_CANDIDATES:
        out.add("candidates", gettext_noop("List at most %(limit)s candidates."), limit=MAX_CANDIDATES)
        return []
    constraints = _table(data, "constraints")
    must_in = set(_id_list(constraints.get("must_include")))
    must_out = set(_id_list(constraints.get("must_exclude")))
    seen: set[str] = set()
    candidates: list[Candidate] = []
    for n, item in enumerate(raw):
        path = f"candidates[{n}]"
        if not isinstance(item, dict):
            out.add(path, gettext_noop("Each candidate is an object with id, name and dimension."))
            continue
        cid = out.text(item.get("id"), f"{path}.id")
        if cid and cid in seen:
            out.add(f"{path}.id", gettext_noop("The id %(id)s is used twice."), id=cid)
        seen.add(cid)
        costs: list[CostLine] = []
        if "cost" in item and item["cost"] not in (None, ""):
            if "costs" in item:
                out.add(f"{path}.cost", gettext_noop("Give either cost or costs, not both."))
            elif year is None:
                out.add(f"{path}.cost", gettext_noop("A single cost needs the round's year; give costs per year."))
            else:
                amount = out.money(item["cost"], f"{path}.cost")
                if amount is not None:
                    costs.append(CostLine(year, "", amount))
        for m, line in enumerate(item.get("costs") or []):
            lpath = f"{path}.costs[{m}]"
            if not isinstance(line, dict):
                out.add(lpath, gettext_noop("Each cost line has year, source and amount."))
                continue
            line_year = out.integer(line.get("year", year), f"{lpath}.year", minimum=1900)
            amount = out.money(line.get("amount"), f"{lpath}.amount")
            source = out.text(line.get("source"), f"{lpath}.source", required=False)
            if line_year is not None and amount is not None:
                costs.append(CostLine(line_year, source, amount))
        must_value = item.get("must") or None
        must: Must | None = None
        if must_value is not None:
            try:
                must = Must(str(must_value).strip().lower())
            except ValueError:
                out.add(f"{path}.must", gettext_noop("Write include, exclude or leave it empty."))
        flags = {m for m in (must,) if m} | ({Must.INCLUDE} if cid in must_in else set())
        flags |= {Must.EXCLUDE} if cid in must_out else set()
        if len(flags) > 1:
            out.add(
                f"{path}.must",
                gettext_noop("%(id)s is both a must-include and a must-exclude; choose one."),
                id=cid,
            )
        candidates.append(
            Candidate(
                id=cid,
                name=out.text(item.get("name"), f"{path}.name", required=False) or cid,
                dimension=out.text(item.get("dimension"), f"{path}.dimension"),
                opd=out.text(item.get("opd"), f"{path}.opd", required=False),
                costs=tuple(costs),
                requires=tuple(dict.fromkeys(_id_list(item.get("requires")))),
                excludes=tuple(dict.fromkeys(_id_list(item.get("excludes")))),
                must=next(iter(flags)) if len(flags) == 1 else None,
            )
        )
    for n, candidate in enumerate(candidates):
        for key in ("requires", "excludes"):
            for other in getattr(candidate, key):
                if other not in seen:
                    out.add(
                        f"candidates[{n}].{key}",
                        gettext_noop("Unknown candidate %(other)s (no candidate has that id)."),
                        other=other,
                    )
                elif other == candidate.id:
                    out.add(f"candidates[{n}].{key}", gettext_noop("A candidate cannot refer to itself."))
    for key, ids in (("must_include", must_in), ("must_exclude", must_out)):
        for other in sorted(ids - seen):
            out.add(
                f"constraints.{key}",
                gettext_noop("Unknown candidate %(other)s (no candidate has that id)."),
                other=other,
            )
    return candidates


def _criteria(data: dict[str, Any], out: _Collector) -> tuple[list[Criterion], list[float | None]]:
    raw = data.get("criteria")
    if not isinstance(raw, list) or not raw:
        out.add("criteria", gettext_noop("List at least one criterion."))
        return [], []
    criteria: list[Criterion] = []
    weights: list[float | None] = []
    seen: set[str] = set()
    for n, item in enumerate(raw):
        path = f"criteria[{n}]"
        if not isinstance(item, dict):
            out.add(path, gettext_noop("Each criterion is an object with id, name and direction."))
            continue
        cid = out.text(item.get("id"), f"{path}.id")
        if cid and cid in seen:
            out.add(f"{path}.id", gettext_noop("The id %(id)s is used twice."), id=cid)
        seen.add(cid)
        direction = Direction.BENEFIT
        try:
            direction = Direction(str(item.get("direction") or "benefit").strip().lower())
        except ValueError:
            out.add(f"{path}.direction", gettext_noop("Write benefit (higher is better) or cost (higher is worse)."))
        weight = item.get("weight")
        weights.append(None if weight in (None, "") else out.number(weight, f"{path}.weight"))
        criteria.append(Criterion(cid, out.text(item.get("name"), f"{path}.name", required=False) or cid, direction))
    return criteria, weights


def _weights(weights: list[float | None], out: _Collector) -> tuple[float, ...] | None:
    if any(w is None for w in weights):
        out.add("criteria", gettext_noop("Give a weight for every criterion, or a pairwise matrix instead."))
        return None
    values = [float(w) for w in weights if w is not None]
    for n, w in enumerate(values):
        if w < 0:
            out.add(f"criteria[{n}].weight", gettext_noop("A weight cannot be negative."))
    if any(w < 0 for w in values):
        return None
    total = sum(values)
    if total <= 0:
        out.add("criteria", gettext_noop("The weights are all zero; give at least one criterion a positive weight."))
        return None
    return tuple(w / total for w in values)


def _pairwise(raw: Any, criteria: list[Criterion], out: _Collector) -> Pairwise | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("matrix"), list):
        out.add("pairwise", gettext_noop("The pairwise comparison needs a matrix (a list of rows)."))
        return None
    ids = [c.id for c in criteria]
    order = [str(x).strip() for x in raw.get("criteria") or ids]
    if sorted(order) != sorted(ids):
        out.add(
            "pairwise.criteria",
            gettext_noop("The matrix must compare exactly the criteria %(ids)s."),
            ids=", ".join(ids),
        )
        return None
    n = len(order)
    rows = raw["matrix"]
    if len(rows) != n or any(not isinstance(r, list) or len(r) != n for r in rows):
        out.add("pairwise.matrix", gettext_noop("The matrix must be square: %(n)s rows of %(n)s numbers."), n=n)
        return None
    cells: list[list[float | None]] = [
        [None if v in (None, "") else out.number(v, f"pairwise.matrix[{i}][{j}]") for j, v in enumerate(row)]
        for i, row in enumerate(rows)
    ]
    before = len(out.issues)
    for i in range(n):
        for j in range(n):
            if cells[i][j] is None and cells[j][i] is not None:
                cells[i][j] = 1 / cells[j][i] if cells[j][i] else None  # type: ignore[operator]
    for i in range(n):
        for j in range(n):
            value = cells[i][j]
            where = f"pairwise.matrix[{i}][{j}]"
            if value is None:
                if i == j:
                    cells[i][j] = 1.0
                    continue
                out.add(where, gettext_noop("Compare %(a)s with %(b)s."), a=order[i], b=order[j])
            elif value <= 0:
                out.add(where, gettext_noop("Pairwise judgements must be positive (1/9 to 9)."))
            elif i == j and abs(value - 1) > 1e-9:
                out.add(where, gettext_noop("A criterion compared with itself is 1."))
            elif (
                j > i
                and (mirror := cells[j][i]) is not None
                and mirror > 0
                and abs(value * mirror - 1) > RECIPROCAL_TOLERANCE
            ):
                out.add(
                    where,
                    gettext_noop(
                        "The matrix is not reciprocal: %(a)s over %(b)s is %(ab)s, so %(b)s over %(a)s "
                        "must be 1/%(ab)s, not %(ba)s."
                    ),
                    a=order[i],
                    b=order[j],
                    ab=f"{value:g}",
                    ba=f"{mirror:g}",
                )
    if len(out.issues) > before:
        return None
    position = {cid: k for k, cid in enumerate(order)}
    reorder = [position[cid] for cid in ids]
    matrix = tuple(tuple(float(cells[a][b]) for b in reorder) for a in reorder)  # type: ignore[arg-type]
    return Pairwise(matrix)


def _scores(
    data: dict[str, Any],
    candidates: list[Candidate],
    criteria: list[Criterion],
    low: int,
    high: int,
    out: _Collector,
    partial: bool,
) -> dict[str, dict[str, dict[str, float]]]:
    raw = data.get("scores")
    if partial and not raw:
        return {}
    if not isinstance(raw, dict) or not raw:
        out.add("scores", gettext_noop("Give the scores of at least one evaluator."))
        return {}
    known_candidates = {c.id for c in candidates}
    known_criteria = {c.id for c in criteria}
    scores: dict[str, dict[str, dict[str, float]]] = {}
    for evaluator, per_candidate in raw.items():
        epath = f"scores.{evaluator}"
        if not isinstance(per_candidate, dict):
            out.add(epath, gettext_noop("Scores of an evaluator map candidate ids to their scores per criterion."))
            continue
        scores[str(evaluator)] = {}
        for cid, per_criterion in per_candidate.items():
            cpath = f"{epath}.{cid}"
            if cid not in known_candidates:
                out.add(cpath, gettext_noop("Unknown candidate %(other)s (no candidate has that id)."), other=cid)
                continue
            if not isinstance(per_criterion, dict):
                out.add(cpath, gettext_noop("Scores of a candidate map criterion ids to a score."))
                continue
            row: dict[str, float] = {}
            for crit, value in per_criterion.items():
                spath = f"{cpath}.{crit}"
                if crit not in known_criteria:
                    out.add(spath, gettext_noop("Unknown criterion %(other)s."), other=crit)
                    continue
                if value in (None, ""):
                    continue
                number = out.number(value, spath)
                if number is None:
                    continue
                if not low <= number <= high:
                    out.add(
                        spath,
                        gettext_noop("The score %(value)s is outside the scale %(low)s–%(high)s."),
                        value=f"{number:g}",
                        low=low,
                        high=high,
                    )
                    continue
                row[str(crit)] = number
            scores[str(evaluator)][str(cid)] = row
    for candidate in candidates:
        if candidate.must is Must.EXCLUDE or partial:
            continue  # an excluded candidate need not be scored; a partial round is still being scored
        for criterion in criteria:
            if not any(criterion.id in scores[e].get(candidate.id, {}) for e in scores):
                out.add(
                    "scores",
                    gettext_noop("Nobody scored %(candidate)s on %(criterion)s."),
                    candidate=candidate.id,
                    criterion=criterion.id,
                )
    return scores


def _unlimited(value: Any) -> bool:
    """No maximum: null in JSON, "none" in a spreadsheet cell (a blank cell means the default)."""
    return value is None or value == "" or (isinstance(value, str) and value.strip().lower() == "none")


def _dimensions(data: dict[str, Any], candidates: list[Candidate], out: _Collector) -> list[DimensionLimit]:
    constraints = _table(data, "constraints")
    default = _table(constraints, "per_dimension")
    default_min = out.integer(default.get("min", 1), "constraints.per_dimension.min", minimum=0)
    raw_max = default.get("max", 1)
    default_max = None if _unlimited(raw_max) else out.integer(raw_max, "constraints.per_dimension.max", minimum=0)
    listed: dict[str, DimensionLimit] = {}
    for n, item in enumerate(data.get("dimensions") or []):
        path = f"dimensions[{n}]"
        if not isinstance(item, dict):
            out.add(path, gettext_noop("Each dimension has a code, and may have a name, min and max."))
            continue
        code = out.text(item.get("code"), f"{path}.code")
        explicit = "min" in item or "max" in item
        low = out.integer(item["min"], f"{path}.min", minimum=0) if item.get("min") not in (None, "") else None
        high = None if _unlimited(item.get("max")) else out.integer(item["max"], f"{path}.max", minimum=0)
        if "max" not in item:
            high = default_max
        if low is not None and high is not None and high < low:
            out.add(f"{path}.max", gettext_noop("The maximum is below the minimum."))
        listed[code] = DimensionLimit(
            code,
            out.text(item.get("name"), f"{path}.name", required=False) or code,
            low if low is not None else -1,
            high,
            explicit=explicit,
        )
    if default_min is not None and default_max is not None and default_max < default_min:
        out.add("constraints.per_dimension.max", gettext_noop("The maximum is below the minimum."))
    available: dict[str, int] = {}
    for c in candidates:
        available.setdefault(c.dimension, 0)
        if c.must is not Must.EXCLUDE:
            available[c.dimension] += 1
    limits: list[DimensionLimit] = []
    for code in list(listed) + [d for d in available if d not in listed]:
        limit = listed.get(code) or DimensionLimit(code, code, -1, default_max)
        minimum = limit.minimum
        if minimum < 0:
            # The default is "where possible": a dimension with nothing to choose from needs none.
            minimum = min(default_min or 0, available.get(code, 0))
        limits.append(DimensionLimit(limit.code, limit.name, minimum, limit.maximum, limit.explicit))
    return limits


def _caps(data: dict[str, Any], out: _Collector) -> list[BudgetCap]:
    constraints = _table(data, "constraints")
    caps: list[BudgetCap] = []
    for n, item in enumerate(constraints.get("budget") or []):
        path = f"constraints.budget[{n}]"
        if not isinstance(item, dict):
            out.add(path, gettext_noop("Each budget cap has a cap amount, and may have a year and a source."))
            continue
        amount = out.money(item.get("cap"), f"{path}.cap")
        year = None if item.get("year") in (None, "") else out.integer(item.get("year"), f"{path}.year", 1900)
        source = out.text(item.get("source"), f"{path}.source", required=False) or None
        if amount is not None:
            caps.append(BudgetCap(amount, year, source))
    keys = [c.key for c in caps]
    for key in {k for k in keys if keys.count(k) > 1}:
        out.add("constraints.budget", gettext_noop("Two caps cover the same year and source (%(key)s)."), key=key)
    return caps


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    """``data[key]`` when it is an object (a list or text there is refused by the shape check)."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _shapes(data: dict[str, Any]) -> list[Issue]:
    """Objects and lists where the format has them: the readers below can then trust the shape."""
    found = []
    for key in ("scale", "constraints", "scores", "pairwise"):
        if data.get(key) is not None and not isinstance(data[key], dict):
            found.append(issue(key, gettext_noop("Give an object here (names and values in braces).")))
    for key in ("candidates", "criteria", "dimensions"):
        items = data.get(key)
        if items is not None and (not isinstance(items, list) or not all(isinstance(i, dict) for i in items)):
            found.append(issue(key, gettext_noop("Give a list of objects here.")))
    constraints = _table(data, "constraints")
    for key in ("per_dimension", "opd_limits"):
        if constraints.get(key) is not None and not isinstance(constraints[key], dict):
            found.append(issue(f"constraints.{key}", gettext_noop("Give an object here (names and values in braces).")))
    budget = constraints.get("budget")
    if budget is not None and (not isinstance(budget, list) or not all(isinstance(i, dict) for i in budget)):
        found.append(issue("constraints.budget", gettext_noop("Give a list of objects here.")))
    candidates = data.get("candidates")
    for n, item in enumerate(candidates if isinstance(candidates, list) else []):
        costs = item.get("costs") if isinstance(item, dict) else None
        if costs is not None and (not isinstance(costs, list) or not all(isinstance(c, dict) for c in costs)):
            found.append(issue(f"candidates[{n}].costs", gettext_noop("Give a list of objects here.")))
    return found


def parse_problem(data: Any, partial: bool = False) -> Problem:
    """Validate ``data`` (the JSON shape) into a Problem; raise ProblemError listing every issue.

    ``partial`` accepts a round still being scored (unscored cells), for a provisional ranking;
    such a problem must not be solved.
    """
    if isinstance(data, dict) and (shapes := _shapes(data)):
        raise ProblemError(shapes)
    try:
        return _parse_problem(data, partial)
    except ProblemError:
        raise
    except (AttributeError, TypeError, KeyError, ValueError, ArithmeticError):
        # A value of a shape the readers above do not name (a list inside a score, an object as
        # a name): one plain refusal rather than a traceback (issue 14).
        raise ProblemError(
            [issue("", gettext_noop("The file does not have the shape of a candidates file."))]
        ) from None


def _parse_problem(data: Any, partial: bool) -> Problem:
    out = _Collector()
    if not isinstance(data, dict):
        raise ProblemError([issue("", gettext_noop("The file must hold one JSON object."))])
    if data.get("format") not in (None, FORMAT):
        out.add(
            "format",
            gettext_noop("Unknown format %(value)s; expected %(expected)s."),
            value=data.get("format"),
            expected=FORMAT,
        )
    year = None if data.get("year") in (None, "") else out.integer(data.get("year"), "year", minimum=1900)
    scale = _table(data, "scale")
    low = out.integer(scale.get("min", 1), "scale.min")
    high = out.integer(scale.get("max", 5), "scale.max")
    if low is not None and high is not None and high <= low:
        out.add("scale.max", gettext_noop("The top of the scale must be above the bottom."))
        low = high = None
    aggregation = Aggregation.MEAN
    try:
        aggregation = Aggregation(str(data.get("aggregation") or "mean").strip().lower())
    except ValueError:
        out.add("aggregation", gettext_noop("Write mean or geometric."))
    if aggregation is Aggregation.GEOMETRIC and low is not None and low <= 0:
        out.add("aggregation", gettext_noop("The geometric mean needs a scale that starts above zero."))
    candidates = _candidates(data, year, out)
    criteria, raw_weights = _criteria(data, out)
    weights: tuple[float, ...] | None = None
    pairwise: Pairwise | None = None
    given = any(w is not None for w in raw_weights)
    if data.get("pairwise") is not None:
        if given:
            out.add("pairwise", gettext_noop("Give either weights or a pairwise matrix, not both."))
        elif criteria:
            pairwise = _pairwise(data["pairwise"], criteria, out)
    elif criteria:
        weights = _weights(raw_weights, out)
    scores = (
        _scores(data, candidates, criteria, low, high, out, partial) if low is not None and high is not None else {}
    )
    dimensions = _dimensions(data, candidates, out)
    caps = _caps(data, out)
    constraints = _table(data, "constraints")
    max_per_opd = None
    if constraints.get("max_per_opd") not in (None, ""):
        max_per_opd = out.integer(constraints["max_per_opd"], "constraints.max_per_opd", minimum=1)
    opd_limits: dict[str, int] = {}
    for opd, value in _table(constraints, "opd_limits").items():
        limit = out.integer(value, f"constraints.opd_limits.{opd}", minimum=0)
        if limit is not None:
            opd_limits[str(opd)] = limit
    if out.issues:
        raise ProblemError(out.issues)
    return Problem(
        title=str(data.get("title") or ""),
        year=year,
        candidates=tuple(candidates),
        criteria=tuple(criteria),
        scores=scores,
        weights=weights,
        pairwise=pairwise,
        aggregation=aggregation,
        # Checked above: both bounds are numbers here, and 0 (a 0–10 scale) is a bound like any other.
        scale_min=low if low is not None else 1,
        scale_max=high if high is not None else 5,
        dimensions=tuple(dimensions),
        caps=tuple(caps),
        max_per_opd=max_per_opd,
        opd_limits=opd_limits,
    )


def read_pairwise(raw: Any, criteria: list[Criterion]) -> Pairwise:
    """A pairwise matrix on its own (for a page that shows its weights and consistency)."""
    out = _Collector()
    result = _pairwise(raw, criteria, out)
    if result is None:
        raise ProblemError(out.issues)
    return result


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def to_dict(problem: Problem) -> dict[str, Any]:
    """The problem in the file format (what :func:`parse_problem` reads back to an equal problem)."""
    data: dict[str, Any] = {"format": FORMAT, "title": problem.title}
    if problem.year is not None:
        data["year"] = problem.year
    data["aggregation"] = problem.aggregation.value
    data["scale"] = {"min": problem.scale_min, "max": problem.scale_max}
    data["dimensions"] = [
        {"code": d.code, "name": d.name, "min": d.minimum, "max": d.maximum} for d in problem.dimensions
    ]
    data["candidates"] = [
        {
            "id": c.id,
            "name": c.name,
            "dimension": c.dimension,
            "opd": c.opd,
            "costs": [{"year": line.year, "source": line.source, "amount": _number(line.amount)} for line in c.costs],
            "requires": list(c.requires),
            "excludes": list(c.excludes),
            "must": c.must.value if c.must else None,
        }
        for c in problem.candidates
    ]
    data["criteria"] = [
        {"id": c.id, "name": c.name, "direction": c.direction.value}
        | ({"weight": problem.weights[n]} if problem.weights is not None else {})
        for n, c in enumerate(problem.criteria)
    ]
    if problem.pairwise is not None:
        data["pairwise"] = {
            "criteria": [c.id for c in problem.criteria],
            "matrix": [list(row) for row in problem.pairwise.matrix],
        }
    data["scores"] = problem.scores
    data["constraints"] = {
        "budget": [{"year": cap.year, "source": cap.source, "cap": _number(cap.amount)} for cap in problem.caps],
        "max_per_opd": problem.max_per_opd,
        "opd_limits": dict(problem.opd_limits),
    }
    return data
