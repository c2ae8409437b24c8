"""An analysis as sentences, as a JSON-ready dict (``--json``) and as plain text (the terminal).

The sentences are :class:`Message` objects; the caller's renderer translates them, so the web
page, the printable summary and the command line say the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kotacerdas.quickwins.engine.analysis import Analysis
from kotacerdas.quickwins.engine.explain import LeftOut
from kotacerdas.quickwins.engine.messages import PLAIN, Message, Money, Number, Renderer, gettext_noop
from kotacerdas.quickwins.engine.model import FORMAT, Problem
from kotacerdas.quickwins.engine.robustness import Robustness
from kotacerdas.quickwins.engine.scoring import Scoring


def _names(analysis: Analysis, indices: tuple[int, ...] | list[int]) -> str:
    return ", ".join(analysis.problem.candidates[i].name for i in indices)


def _budget_message(analysis: Analysis, amount: Decimal) -> Message:
    template = (
        gettext_noop("Raising the budget cap by %(amount)s would bring it in.")
        if len(analysis.problem.caps) == 1
        else gettext_noop("Raising every budget cap by %(amount)s would bring it in.")
    )
    return Message(template, {"amount": Money(amount)}, "budget")


def summary_messages(entry: LeftOut) -> list[Message]:
    """What one solve of the relaxation proves about a left-out candidate (nothing if not summarised)."""
    if not entry.summarised:
        return []
    if entry.relaxation_blocked:
        return [Message(gettext_noop("It cannot be chosen under the constraints, not even in part."), {}, "blocked")]
    # Shown to two decimals, rounded down so that "at least" stays true.
    shown = math.floor((entry.loss_at_least or 0.0) * 100) / 100
    if shown > 0:
        return [
            Message(
                gettext_noop(
                    "Choosing it would lower the total value by at least %(loss)s points; its own value would "
                    "have to rise by at least as much for it to be chosen."
                ),
                {"loss": Number(shown, 2)},
                "loss_bound",
            )
        ]
    return [
        Message(
            gettext_noop("It comes close to the chosen set; the detailed analysis tells what would bring it in."),
            {},
            "close",
        )
    ]


def left_out_messages(analysis: Analysis, entry: LeftOut) -> list[Message]:
    """Why a candidate is out and what would bring it in, in plain words."""
    messages: list[Message] = []
    if entry.decided:
        return [Message(gettext_noop("Left out by decision (must exclude)."), {}, "decided")]
    if not entry.analysed:
        return summary_messages(entry)
    if entry.conflict is not None:
        messages.append(
            Message(
                gettext_noop("It cannot be chosen under the constraints; these rule it out: %(reasons)s."),
                {"reasons": tuple(g.description for g in entry.conflict.groups)},
                "blocked",
            )
        )
        messages.extend(entry.conflict.findings)
        if entry.budget_increase is not None:
            messages.append(_budget_message(analysis, entry.budget_increase))
        return messages
    if entry.displaces and entry.brings:
        messages.append(
            Message(
                gettext_noop(
                    "Choosing it, the best selection would drop %(names)s and take %(others)s as well, "
                    "lowering the total value by %(loss)s points."
                ),
                {
                    "names": _names(analysis, entry.displaces),
                    "others": _names(analysis, entry.brings),
                    "loss": Number(entry.loss or 0.0, 2),
                },
                "displaces",
            )
        )
    elif entry.displaces:
        messages.append(
            Message(
                gettext_noop("Choosing it would replace %(names)s and lower the total value by %(loss)s points."),
                {"names": _names(analysis, entry.displaces), "loss": Number(entry.loss or 0.0, 2)},
                "displaces",
            )
        )
    elif entry.loss:
        messages.append(
            Message(
                gettext_noop("Choosing it would lower the total value by %(loss)s points."),
                {"loss": Number(entry.loss, 2)},
                "loss",
            )
        )
    messages.extend(entry.notes)
    if entry.loss is not None and entry.loss > 0:
        caps = analysis.problem.caps
        if entry.budget_increase is not None:
            messages.append(_budget_message(analysis, entry.budget_increase))
        elif caps:
            messages.append(Message(gettext_noop("A bigger budget alone would not bring it in."), {}, "no_budget"))
        if entry.weight_change is not None:
            k, now, needed = entry.weight_change
            messages.append(
                Message(
                    gettext_noop(
                        "Raising the weight of %(criterion)s from %(now)s to %(needed)s (the others scaled "
                        "down) would bring it in."
                    ),
                    {
                        "criterion": analysis.problem.criteria[k].name,
                        "now": Number(now, 1, percent=True),
                        "needed": Number(needed, 1, percent=True),
                    },
                    "weight",
                )
            )
        else:
            messages.append(
                Message(gettext_noop("No rise of a single criterion's weight would bring it in."), {}, "no_weight")
            )
    return messages


def conflict_messages(analysis: Analysis) -> list[Message]:
    conflict = analysis.conflict
    if conflict is None:
        return []
    messages = [conflict.headline(), *conflict.findings]
    if conflict.groups:
        messages.append(
            Message(
                gettext_noop("These constraints cannot all hold together: %(groups)s."),
                {"groups": tuple(g.description for g in conflict.groups)},
                "conflict",
            )
        )
    return messages


def _money(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _scores(scoring: Scoring, analysis: Analysis, i: int) -> dict[str, Any]:
    cells = {}
    for k, criterion in enumerate(analysis.problem.criteria):
        cell = scoring.cells[i][k]
        if cell is not None:
            cells[criterion.id] = {
                "combined": round(cell.combined, 4),
                "std": round(cell.std, 4),
                "spread": cell.spread,
                "count": cell.count,
            }
    return cells


def budget_use(analysis: Analysis) -> list[dict[str, Any]]:
    rows = []
    chosen = analysis.chosen
    for cap in analysis.problem.caps:
        used = sum((cap.spending(analysis.problem.candidates[i]) for i in chosen), Decimal(0))
        left = cap.amount - used
        rows.append({"year": cap.year, "source": cap.source, "cap": cap.amount, "used": used, "left": left})
    return rows


def spending_by_year(analysis: Analysis, indices: tuple[int, ...] | list[int]) -> list[dict[str, Any]]:
    """Money the given candidates need per year and source (for the chosen-set table)."""
    totals: dict[tuple[int, str], Decimal] = {}
    for i in indices:
        for line in analysis.problem.candidates[i].costs:
            totals[(line.year, line.source)] = totals.get((line.year, line.source), Decimal(0)) + line.amount
    return [{"year": y, "source": s, "amount": a} for (y, s), a in sorted(totals.items())]


def to_dict(analysis: Analysis, renderer: Callable[[Message], Any] = PLAIN) -> dict[str, Any]:
    """The report as JSON; sentences rendered by ``renderer`` (``messages.dump`` keeps them as data)."""
    problem, scoring, solution = analysis.problem, analysis.scoring, analysis.solution
    chosen = set(solution.chosen)
    ranked = analysis.ranked()
    rank = {i: n + 1 for n, i in enumerate(ranked)}
    left = {entry.index: entry for entry in analysis.left_out}
    candidates = []
    for i in ranked:
        candidate = problem.candidates[i]
        spread, k = scoring.disagreement(i)
        row: dict[str, Any] = {
            "id": candidate.id,
            "name": candidate.name,
            "dimension": candidate.dimension,
            "opd": candidate.opd,
            "cost": _money(candidate.total_cost),
            "value": round(scoring.values[i], 4),
            "rank": rank[i],
            "selected": i in chosen,
            "must": candidate.must.value if candidate.must else None,
            "scores": _scores(scoring, analysis, i),
            "disagreement": {"spread": spread, "criterion": problem.criteria[k].id if k is not None else None},
        }
        entry = left.get(i)
        if entry is not None:
            row["why_not"] = {
                "level": "detailed" if entry.analysed else "summary" if entry.summarised else "none",
                "analysed": entry.analysed,
                "decided": entry.decided,
                "blocked": entry.blocked,
                "loss": None if entry.loss is None else round(entry.loss, 4),
                "loss_at_least": None
                if entry.loss_at_least is None
                else math.floor(entry.loss_at_least * 10_000) / 10_000,
                "displaces": [problem.candidates[d].id for d in entry.displaces],
                "brings": [problem.candidates[d].id for d in entry.brings],
                "budget_increase": None if entry.budget_increase is None else _money(entry.budget_increase),
                "weight_change": None
                if entry.weight_change is None
                else {
                    "criterion": problem.criteria[entry.weight_change[0]].id,
                    "from": round(entry.weight_change[1], 4),
                    "to": round(entry.weight_change[2], 4),
                },
                "explanation": [renderer(m) for m in left_out_messages(analysis, entry)],
            }
        candidates.append(row)
    data: dict[str, Any] = {
        "format": FORMAT,
        "title": problem.title,
        "year": problem.year,
        "status": solution.status,
        "solver": {"name": analysis.solver, "status": solution.solver_status, "seconds": round(solution.seconds, 4)},
        "objective": round(solution.objective, 4) if solution.feasible else None,
        "selection": [problem.candidates[i].id for i in sorted(chosen, key=lambda i: rank[i])],
        "weights": [
            {"criterion": c.id, "name": c.name, "direction": c.direction.value, "weight": round(w, 6)}
            for c, w in zip(problem.criteria, scoring.weights, strict=True)
        ],
        "ahp": None
        if scoring.ahp is None
        else {
            "lambda_max": round(scoring.ahp.lambda_max, 6),
            "ci": round(scoring.ahp.ci, 6),
            "ri": scoring.ahp.ri,
            "cr": None if scoring.ahp.cr is None else round(scoring.ahp.cr, 6),
            "consistent": scoring.ahp.consistent,
        },
        "aggregation": problem.aggregation.value,
        "evaluators": problem.evaluators,
        "budget": [
            {**row, "cap": _money(row["cap"]), "used": _money(row["used"]), "left": _money(row["left"])}
            for row in budget_use(analysis)
        ],
        "dimensions": [
            {
                "code": d.code,
                "name": d.name,
                "min": d.minimum,
                "max": d.maximum,
                "chosen": sum(1 for i in chosen if problem.candidates[i].dimension == d.code),
            }
            for d in problem.dimensions
        ],
        "candidates": candidates,
        "simple_ranking": None,
        "infeasibility": None,
        "robustness": None,
        "warnings": [renderer(m) for m in analysis.warnings],
    }
    if analysis.comparison is not None:
        comparison = analysis.comparison
        data["simple_ranking"] = {
            "selection": [problem.candidates[i].id for i in comparison.chosen],
            "value": round(comparison.value, 4),
            "difference": round(comparison.difference, 4),
            "meets_constraints": comparison.feasible,
            "notes": [renderer(m) for m in comparison.notes],
        }
    if analysis.conflict is not None:
        data["infeasibility"] = {
            "explanation": [renderer(m) for m in conflict_messages(analysis)],
            "conflicting": [
                {"kind": g.kind, "key": list(g.key), "text": renderer(g.description)} for g in analysis.conflict.groups
            ],
            "complete": analysis.conflict.complete,
        }
    if analysis.robustness is not None:
        data["robustness"] = robustness_dict(problem, analysis.robustness)
    return data


def robustness_dict(problem: Problem, r: Robustness) -> dict[str, Any]:
    ids = [c.id for c in problem.candidates]
    return {
        "draws": r.draws,
        "spread": r.spread,
        "seed": r.seed,
        "seconds": round(r.seconds, 3),
        "frequency": {ids[i]: round(f, 4) for i, f in enumerate(r.frequency)},
        "stable_core": [ids[i] for i in r.stable],
        "fragile": [ids[i] for i in r.fragile],
        "contenders": [ids[i] for i in r.contenders],
        "selections": [{"selection": [ids[i] for i in s], "count": n} for s, n in r.selections],
        "unsolved": r.unsolved,
    }


def to_text(analysis: Analysis, renderer: Renderer = PLAIN) -> str:
    """A terminal report in the renderer's language."""
    _ = renderer.translate
    problem, scoring, solution = analysis.problem, analysis.scoring, analysis.solution
    money, number = renderer.money, renderer.number
    lines = [problem.title or _("Quick-win selection")]
    weights = ", ".join(
        f"{c.name} {number(Number(w, 1, percent=True))}" for c, w in zip(problem.criteria, scoring.weights, strict=True)
    )
    lines.append(_("Weights: %(weights)s") % {"weights": weights})
    if scoring.ahp is not None and scoring.ahp.cr is not None:
        lines.append(_("Consistency ratio: %(cr)s") % {"cr": number(Number(scoring.ahp.cr, 3))})
    lines.extend(f"! {renderer(warning)}" for warning in analysis.warnings)
    if analysis.conflict is not None:
        lines.append("")
        lines.extend(renderer(m) for m in conflict_messages(analysis))
        return "\n".join(lines) + "\n"
    if not solution.feasible:
        lines.append(_("The solver found no selection (%(status)s).") % {"status": solution.solver_status})
        return "\n".join(lines) + "\n"
    chosen = set(solution.chosen)
    lines += [
        "",
        _("Chosen (%(count)s), total value %(value)s:")
        % {"count": len(chosen), "value": number(Number(solution.objective, 2))},
    ]
    for i in analysis.ranked():
        if i in chosen:
            c = problem.candidates[i]
            value = number(Number(scoring.values[i], 1))
            lines.append(f"  + {c.id:<10} {c.dimension:<5} {value:>6}  {money(c.total_cost):>20}  {c.name}")
    for row in budget_use(analysis):
        where = " ".join(str(x) for x in (row["year"], row["source"]) if x is not None) or _("total")
        used = _("Budget %(where)s: %(used)s / %(cap)s") % {
            "where": where,
            "used": money(row["used"]),
            "cap": money(row["cap"]),
        }
        lines.append(f"  {used}")
    lines += ["", _("Left out:")]
    for entry in analysis.left_out:
        c = problem.candidates[entry.index]
        value = number(Number(scoring.values[entry.index], 1))
        lines.append(f"  - {c.id:<10} {c.dimension:<5} {value:>6}  {c.name}")
        lines.extend(f"      {renderer(message)}" for message in left_out_messages(analysis, entry))
    if analysis.comparison is not None:
        comparison = analysis.comparison
        picks = ", ".join(problem.candidates[i].id for i in comparison.chosen) or "-"
        lines += ["", _("A simple ranking by value picks: %(picks)s") % {"picks": picks}]
        lines.append(
            _("Its value: %(value)s; the optimum adds: %(difference)s")
            % {"value": number(Number(comparison.value, 2)), "difference": number(Number(comparison.difference, 2))}
        )
        lines.extend(f"  {renderer(m)}" for m in comparison.notes)
    r = analysis.robustness
    if r is not None:
        marks = {"core": _("stable core"), "fragile": _("fragile pick"), "contender": _("contender")}
        kinds = (("core", r.stable), ("fragile", r.fragile), ("contender", r.contenders))
        lines += [
            "",
            _("Robustness: %(draws)s draws, ±%(spread)s %%, seed %(seed)s, %(seconds)s s")
            % {"draws": r.draws, "spread": f"{r.spread * 100:.0f}", "seed": r.seed, "seconds": f"{r.seconds:.1f}"},
        ]
        for i in sorted(range(len(problem.candidates)), key=lambda i: (-r.frequency[i], problem.candidates[i].id)):
            if r.frequency[i] == 0:
                break
            kind = next((k for k, group in kinds if i in group), "")
            share = number(Number(r.frequency[i], 1, percent=True))
            lines.append(f"  {problem.candidates[i].id:<10} {share:>8}  {marks.get(kind, '')}")
    return "\n".join(lines) + "\n"
