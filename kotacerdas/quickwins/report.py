"""A solve as a typed report context (data first), rendered by the result page and the summary.

The solve stores the engine's report with its sentences as translatable data; here they are
rendered in the reader's language, and the figures are arranged for display: the chosen set with
the money it needs per year and source, the left-out candidates with their explanations, the
comparison with a simple ranking, the value-for-cost chart and the robustness table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from kotacerdas.quickwins.charts import Point, value_for_cost_svg
from kotacerdas.quickwins.engine.messages import Number, load
from kotacerdas.quickwins.models import RobustnessRun, Solve
from kotacerdas.quickwins.text import decimal, renderer, rupiah


@dataclass
class Row:
    code: str
    name: str
    dimension: str
    opd: str
    cost: Decimal
    value: float
    rank: int
    selected: bool
    must: str | None
    disputed: bool
    explanation: list[str] = field(default_factory=list)
    detailed: bool = True  # the stored explanation is the exact analysis (else: on demand)


@dataclass
class Report:
    solve: Solve
    feasible: bool
    rows: list[Row]
    chosen: list[Row]
    left_out: list[Row]
    weights: list[dict[str, Any]]
    ahp: dict[str, Any] | None
    warnings: list[str]
    budget: list[dict[str, Any]]
    spending: list[dict[str, Any]]  # chosen set: year, source, amount
    spending_years: list[dict[str, Any]]  # chosen set: year, amount
    dimensions: list[dict[str, Any]]
    simple: dict[str, Any] | None
    infeasibility: dict[str, Any] | None
    chart: str
    dimension_names: dict[str, str]


def _million(amount: float) -> str:
    return decimal(Number(amount / 1_000_000, 0))


def build(solve: Solve) -> Report:
    text = renderer()
    report = solve.report
    inputs = solve.inputs
    names = {d["code"]: d.get("name") or d["code"] for d in inputs.get("dimensions") or []}
    costs = {c["id"]: c.get("costs") or [] for c in inputs.get("candidates") or []}
    threshold = (inputs["scale"]["max"] - inputs["scale"]["min"]) / 2
    rows: list[Row] = []
    for c in report["candidates"]:
        why = c.get("why_not") or {}
        rows.append(
            Row(
                code=c["id"],
                name=c["name"],
                dimension=c["dimension"],
                opd=c["opd"],
                cost=Decimal(str(c["cost"])),
                value=c["value"],
                rank=c["rank"],
                selected=c["selected"],
                must=c.get("must"),
                disputed=(c.get("disagreement") or {}).get("spread", 0) > threshold,
                explanation=[text(load(m)) for m in why.get("explanation") or []],
                detailed=not why or why.get("decided", False) or why.get("analysed", True),
            )
        )
    chosen = [r for r in rows if r.selected]
    spending: dict[tuple[int, str], Decimal] = {}
    for r in chosen:
        for line in costs.get(r.code, []):
            key = (line["year"], line.get("source") or "")
            spending[key] = spending.get(key, Decimal(0)) + Decimal(str(line["amount"]))
    years: dict[int, Decimal] = {}
    for (year, _source), amount in spending.items():
        years[year] = years.get(year, Decimal(0)) + amount
    simple = report.get("simple_ranking")
    infeasible = report.get("infeasibility")
    points = [Point(r.code, r.name, float(r.cost), r.value, r.selected, r.dimension) for r in rows]
    chart = value_for_cost_svg(
        points,
        title=_("Value for cost of every candidate"),
        x_label=_("Cost (Rp million)"),
        y_label=_("Value (0–100)"),
        chosen_label=_("chosen"),
        other_label=_("not chosen"),
        tick=_million,
        point_title=lambda p: (
            _("%(code)s %(name)s: value %(value)s, cost %(cost)s")
            % {"code": p.code, "name": p.name, "value": decimal(Number(p.value, 1)), "cost": rupiah(p.cost)}
        ),
    )
    return Report(
        solve=solve,
        feasible=solve.status in ("optimal", "feasible"),
        rows=rows,
        chosen=chosen,
        left_out=[r for r in rows if not r.selected],
        weights=[{**w, "percent": w["weight"] * 100} for w in report["weights"]],
        ahp=report.get("ahp"),
        warnings=[text(load(m)) for m in report.get("warnings") or []],
        budget=report.get("budget") or [],
        spending=[{"year": y, "source": s, "amount": a} for (y, s), a in sorted(spending.items())],
        spending_years=[{"year": y, "amount": a} for y, a in sorted(years.items())],
        dimensions=[{**d, "label": names.get(d["code"], d["code"])} for d in report.get("dimensions") or []],
        simple=None if simple is None else {**simple, "notes": [text(load(m)) for m in simple.get("notes") or []]},
        infeasibility=None
        if infeasible is None
        else {
            "explanation": [text(load(m)) for m in infeasible["explanation"]],
            "conflicting": [text(load(g["text"])) for g in infeasible["conflicting"]],
            "complete": infeasible["complete"],
        },
        chart=chart,
        dimension_names=names,
    )


@dataclass
class RobustnessTable:
    run: RobustnessRun
    rows: list[dict[str, Any]]
    selections: list[dict[str, Any]]


def robustness_table(run: RobustnessRun, report: Report) -> RobustnessTable | None:
    """Candidates by how often the draws choose them, with stable core / fragile / contender marks."""
    if run.result is None:
        return None
    result = run.result
    by_code = {r.code: r for r in report.rows}
    stable, fragile, contenders = set(result["stable_core"]), set(result["fragile"]), set(result["contenders"])
    rows = []
    for code, share in sorted(result["frequency"].items(), key=lambda item: (-item[1], item[0])):
        row = by_code.get(code)
        if row is None or (share == 0 and not row.selected):
            continue
        kind = (
            _("stable core")
            if code in stable
            else _("fragile pick")
            if code in fragile
            else _("contender")
            if code in contenders
            else ""
        )
        rows.append(
            {
                "row": row,
                "share": share,
                "percent": share * 100,
                "kind": kind,
                "stable": code in stable,
                "fragile": code in fragile,
            }
        )
    selections = [
        {"codes": s["selection"], "count": s["count"], "percent": 100 * s["count"] / result["draws"]}
        for s in result["selections"]
    ]
    return RobustnessTable(run, rows, selections)


def explain_candidate(solve: Solve, code: str) -> tuple[Row, list[str]]:
    """The exact "what would bring it in" for one left-out candidate of ``solve``, on demand.

    A solve stores the exact analysis of its most valuable left-out candidates only (issue 17);
    any other is analysed here from the solve's own inputs and selection, so the answer is about
    the result on the page even if the round changed since. 404 for a code that is not a
    left-out candidate of the solve."""
    from kotacerdas.quickwins.engine.analysis import Analysis
    from kotacerdas.quickwins.engine.explain import explain_one
    from kotacerdas.quickwins.engine.output import left_out_messages
    from kotacerdas.quickwins.engine.parse import parse_problem
    from kotacerdas.quickwins.engine.scoring import score
    from kotacerdas.quickwins.engine.solver import SelectionModel, Solution

    report = build(solve)
    row = next((r for r in report.left_out if r.code == code), None)
    if row is None or not report.feasible:
        raise Http404
    problem = parse_problem(solve.inputs)
    scoring = score(problem)
    chosen = tuple(sorted(problem.index[c] for c in solve.report["selection"]))
    optimum = Solution(solve.status, chosen, sum(scoring.values[i] for i in chosen))
    model = SelectionModel(problem, scoring.values, repeat=True)
    entry = explain_one(model, scoring, optimum, problem.index[code])
    text = renderer()
    return row, [text(m) for m in left_out_messages(Analysis(problem, scoring, optimum), entry)]
