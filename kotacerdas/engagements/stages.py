"""The four Bimtek stages as data: what each must produce and how each output is checked.

Each output names a check key; :func:`evaluate` turns facts gathered from live data (see
``selectors.stage_facts``) into a checklist: readiness and the gap analysis from the region's
accepted assessment runs, the rest from the master plan edition. An output whose data KotaCerdas
does not hold (no edition yet) is shown as "not tracked yet", never ticked by hand.
Plain Python: no Django imports beyond lazy translation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

DONE, MISSING, NOT_TRACKED = "done", "missing", "not_tracked"


@dataclass(frozen=True)
class Output:
    key: str
    label: Any  # lazy string


@dataclass(frozen=True)
class Stage:
    number: int
    name: Any
    outputs: tuple[Output, ...]


STAGES: tuple[Stage, ...] = (
    Stage(
        1,
        _("Bimtek I: analysis"),
        (
            Output("readiness", _("Readiness analysis per component")),
            Output("swot", _("SWOT with strengths, weaknesses, opportunities and threats")),
            Output("gap", _("Gap analysis")),
            Output("vision_keywords", _("Keywords for the smart city vision")),
        ),
    ),
    Stage(
        2,
        _("Bimtek II: strategy"),
        (
            Output("vision", _("Smart city vision written")),
            Output("missions", _("At least one mission")),
            Output("goals", _("Every mission has at least one goal")),
            Output("strategies", _("Every dimension has at least one strategy")),
            Output("rpjmd", _("Every programme is mapped to an RPJMD programme")),
            Output("renstra", _("Every programme is mapped to an OPD Renstra")),
        ),
    ),
    Stage(
        3,
        _("Bimtek III: innovation and roadmap"),
        (
            Output("innovations", _("Every programme describes its innovation")),
            Output("roadmap", _("Every dimension has at least one programme on the roadmap")),
            Output("draft_quick_wins", _("Draft quick wins chosen")),
        ),
    ),
    Stage(
        4,
        _("Bimtek IV: finalisation"),
        (
            Output("chapter_review", _("Every chapter reviewed")),
            Output("final_quick_wins", _("Final quick wins confirmed")),
            Output("commitments", _("Every required signatory signed the commitment sheet")),
        ),
    ),
)


def _all_positive(values: Any) -> bool | None:
    values = list(values)
    return all(v > 0 for v in values) if values else None


# Each check reads the facts and answers True (done), False (missing) or None (not tracked).
CHECKS: dict[str, Callable[[Mapping[str, Any]], bool | None]] = {
    "readiness": lambda f: f.get("readiness"),
    "swot": lambda f: None if f.get("swot_kinds") is None else set(f["swot_kinds"]) >= {"S", "W", "O", "T"},
    "gap": lambda f: f.get("gap"),
    "vision_keywords": lambda f: None if f.get("vision_keywords") is None else f["vision_keywords"] > 0,
    "vision": lambda f: None if f.get("vision") is None else bool(f["vision"]),
    "missions": lambda f: None if f.get("missions") is None else f["missions"] > 0,
    "goals": lambda f: None if f.get("goals_per_mission") is None else bool(_all_positive(f["goals_per_mission"])),
    "strategies": lambda f: (
        None if f.get("strategies_per_dimension") is None else bool(_all_positive(f["strategies_per_dimension"]))
    ),
    "rpjmd": lambda f: None if f.get("programmes") is None else f["programmes"] > 0 and f["without_rpjmd"] == 0,
    "renstra": lambda f: None if f.get("programmes") is None else f["programmes"] > 0 and f["without_renstra"] == 0,
    "innovations": lambda f: (
        None if f.get("programmes") is None else f["programmes"] > 0 and f["without_description"] == 0
    ),
    "roadmap": lambda f: (
        None if f.get("programmes_per_dimension") is None else bool(_all_positive(f["programmes_per_dimension"]))
    ),
    "draft_quick_wins": lambda f: None if f.get("quick_wins") is None else f["quick_wins"] > 0,
    "chapter_review": lambda f: (
        None if f.get("sections") is None else f["sections"] > 0 and f["sections_in_draft"] == 0
    ),
    "final_quick_wins": lambda f: None if f.get("confirmed_rounds") is None else f["confirmed_rounds"] > 0,
    "commitments": lambda f: (
        None if not f.get("signatories") else f["signatories"] > 0 and f["signatories_signed"] == f["signatories"]
    ),
}


@dataclass(frozen=True)
class CheckResult:
    key: str
    label: Any
    state: str  # DONE, MISSING or NOT_TRACKED


@dataclass(frozen=True)
class StageProgress:
    stage: Stage
    checks: tuple[CheckResult, ...]

    @property
    def done(self) -> int:
        return sum(1 for c in self.checks if c.state == DONE)

    @property
    def tracked(self) -> int:
        return sum(1 for c in self.checks if c.state != NOT_TRACKED)

    @property
    def not_tracked(self) -> int:
        return sum(1 for c in self.checks if c.state == NOT_TRACKED)

    @property
    def total(self) -> int:
        """Every output of the stage: the heading counts what is done out of all of them, so an
        output not tracked yet is never hidden from the count (it reads "2 of 4", not "2/2")."""
        return len(self.checks)


def evaluate(facts: Mapping[str, Any]) -> list[StageProgress]:
    """The checklist of every stage from ``facts``; a missing fact means "not tracked yet"."""
    progress = []
    for stage in STAGES:
        results = []
        for output in stage.outputs:
            answer = CHECKS[output.key](facts)
            state = NOT_TRACKED if answer is None else (DONE if answer else MISSING)
            results.append(CheckResult(output.key, output.label, state))
        progress.append(StageProgress(stage, tuple(results)))
    return progress
