"""Gaps: what the plan does not state yet (pure Python).

An older plan brought in as it is (often written in Word, before today's guide) leaves fields
open: a programme without a horizon or years, a budget line without a year or a funding source,
a target without a year, a programme under no element or strategy. Intake records these as
*not stated* instead of inventing a value (``interchange/importer.py``); these rules list each
one as a gap to fill, so the review starts from what is missing. A missing lead agency is
already an error of its own (PC005).

The rules register themselves in the rule catalogue (:data:`findings.RULES`) when this module
is imported; ``rules.CHECKS`` runs :func:`gaps`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kotacerdas.plans.checks.findings import RULES, Finding, Rule, Severity
from kotacerdas.plans.checks.findings import gettext_noop as _

Doc = dict[str, Any]

GAP_RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        Rule(
            "PG001",
            Severity.WARNING,
            _("Horizon stated"),
            _("Each programme says whether it is short, medium or long term; the plan does not say it yet."),
        ),
        Rule(
            "PG002",
            Severity.WARNING,
            _("Programme years stated"),
            _("Each programme states the years it starts and ends, so budgets and quick wins can be placed."),
        ),
        Rule(
            "PG003",
            Severity.WARNING,
            _("Budget lines have a year"),
            _("Without a year, the line counts in the programme's total but in no year of the plan."),
        ),
        Rule(
            "PG004",
            Severity.WARNING,
            _("Budget lines name their funding source"),
            _("APBD, APBN, DAK, CSR or KPBU: who pays decides how the programme gets its budget."),
        ),
        Rule(
            "PG005",
            Severity.WARNING,
            _("Targets have a year"),
            _("A target without a year cannot be monitored: say in which year it is to be reached."),
        ),
        Rule(
            "PG006",
            Severity.INFO,
            _("Element stated"),
            _("Placing a programme under an element of its dimension shows which elements the plan covers."),
        ),
        Rule(
            "PG007",
            Severity.INFO,
            _("Strategy stated"),
            _("Linking a programme to the strategy it carries out shows how the plan reaches its goals."),
        ),
    ]
}
RULES.update(GAP_RULES)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _finding(rule: str, message: str, path: str, p: dict[str, Any], **params: Any) -> Finding:
    code = p.get("code")
    return Finding(rule, RULES[rule].severity, message, {"code": code, **params}, path, code, p.get("dimension"))


def gaps(doc: Doc) -> Iterator[Finding]:
    """One finding per field the plan leaves not stated (the document is already normalised)."""
    for n, p in enumerate(doc.get("programmes") or []):
        if not isinstance(p, dict):
            continue
        here = f"$.programmes[{n}]"
        if _missing(p.get("horizon")):
            yield _finding("PG001", _("Programme %(code)s states no horizon."), f"{here}.horizon", p)
        for name in ("start_year", "end_year"):
            if p.get(name) is None:
                message = (
                    _("Programme %(code)s states no start year.")
                    if name == "start_year"
                    else _("Programme %(code)s states no end year.")
                )
                yield _finding("PG002", message, f"{here}.{name}", p)
        if _missing(p.get("element")):
            yield _finding("PG006", _("Programme %(code)s is under no element."), f"{here}.element", p)
        if _missing(p.get("strategy")):
            yield _finding("PG007", _("Programme %(code)s names no strategy."), f"{here}.strategy", p)
        for k, b in enumerate(p.get("budgets") or []):
            if b.get("year") is None:
                message = _("Budget line %(line)s of %(code)s states no year.")
                yield _finding("PG003", message, f"{here}.budgets[{k}].year", p, line=k + 1)
            if _missing(b.get("source")):
                message = _("Budget line %(line)s of %(code)s names no funding source.")
                yield _finding("PG004", message, f"{here}.budgets[{k}].source", p, line=k + 1)
        for k, i in enumerate(p.get("indicators") or []):
            for t, target in enumerate(i.get("targets") or []):
                if target.get("year") is None:
                    message = _("A target of %(name)r (%(code)s) states no year.")
                    where = f"{here}.indicators[{k}].targets[{t}].year"
                    yield _finding("PG005", message, where, p, name=i.get("name"))
