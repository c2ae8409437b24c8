"""Demo data of the quick-win capability (issue 5) for Kota Solok. Invented content is stored with is_sample=True.

Public fact (solok.md): on 7 August 2024 a session of the assistance focused on quick wins.
Everything else is invented and flagged as sample data: the round of 2024 over the review
edition's programmes running in 2025, its criteria and pairwise judgements, three evaluators and
their scores, the budget cap, one "never together" pair, the solved selection and a robustness run.
The round is left solved but not confirmed, so the forum's confirmation can be shown live.
"""

from __future__ import annotations

import random
from decimal import Decimal

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans.models import Edition
from kotacerdas.quickwins import services
from kotacerdas.quickwins.models import Candidate, Criterion
from kotacerdas.regions.models import Region

EVALUATORS = ["Tenaga Ahli UGM (contoh)", "Bappeda Kota Solok (contoh)", "Diskominfo Kota Solok (contoh)"]

# Saaty judgements above the diagonal (criterion order of services.DEFAULT_CRITERIA): impact
# first, then feasibility in the budget year and fit with the RPJMD; CR about 0.01.
PAIRWISE = {
    "impact|feasibility": "2", "impact|cost": "3", "impact|innovation": "3", "impact|fit": "2",
    "impact|readiness": "3", "impact|visibility": "4",
    "feasibility|cost": "2", "feasibility|innovation": "2", "feasibility|fit": "1", "feasibility|readiness": "2",
    "feasibility|visibility": "3",
    "cost|innovation": "1", "cost|fit": "1/2", "cost|readiness": "1", "cost|visibility": "2",
    "innovation|fit": "1/2", "innovation|readiness": "1", "innovation|visibility": "2",
    "fit|readiness": "2", "fit|visibility": "3",
    "readiness|visibility": "2",
}  # fmt: skip

# Programmes citizens feel directly (the forum's view, invented).
HIGH_IMPACT = {"GOV-01", "GOV-07", "LIV-03", "LIV-06", "LIV-07", "ENV-04", "ENV-06", "ECO-01", "SOC-04", "BRD-06"}
INNOVATIVE = {"GOV-07", "ECO-07", "ENV-04", "LIV-07", "SOC-06", "GOV-08", "ECO-08"}
DISPUTED = "LIV-01"  # the evaluators disagree about the large housing programme


def _scores(candidate: Candidate, criteria: list[Criterion], evaluator: int, rng: random.Random) -> dict:
    programme = candidate.programme
    code = programme.code
    cost = sum((b.amount for b in programme.budgets.all() if b.year == 2025), Decimal(0))
    assert programme.start_year is not None and programme.end_year is not None  # sample data states them
    length = programme.end_year - programme.start_year + 1
    base = {
        "impact": 4 if code in HIGH_IMPACT else 3,
        "feasibility": 5 if length == 1 else 4 if length == 2 else 3 if length <= 3 else 2,
        "cost": 1
        if cost <= 200_000_000
        else 2
        if cost <= 400_000_000
        else 3
        if cost <= 700_000_000
        else 4
        if cost <= 1_000_000_000
        else 5,
        "innovation": 4 if code in INNOVATIVE else 3 if programme.innovation_kind == "ict" else 2,
        "fit": 4 if programme.rpjmd_programme else 3,
        "readiness": 4 if programme.lead_opd and programme.lead_opd.abbreviation in {"Diskominfo", "Dinkes"} else 3,
        "visibility": 4 if code in HIGH_IMPACT or code.startswith("BRD") else 3,
    }
    values = {}
    own = random.Random(rng.random())  # noqa: S311 - sample scores, not secrets
    for criterion in criteria:
        value = base.get(criterion.code, 3) + own.choice([-1, 0, 1])
        if code == DISPUTED and criterion.code in ("impact", "feasibility"):
            value = [5, 2, 1][evaluator] if criterion.code == "impact" else [4, 2, 1][evaluator]
        values[(candidate.pk, criterion.pk)] = max(1, min(5, value))
    return values


def load(solok: Region) -> None:
    """Add this capability's demo data to a freshly created Kota Solok (called once, atomically)."""
    edition = Edition.objects.filter(region=solok, year=2024).first()
    if edition is None:  # the plan demo did not run: nothing to select from
        return
    selection_round = services.create_round(
        actor=None,
        region=solok,
        data={"edition": edition, "year": 2024, "budget_year": 2025, "title": "Quick win Kota Solok 2025 (contoh)"},
        is_sample=True,
    )
    selection_round = services.set_pairwise(
        actor=None,
        selection_round=selection_round,
        judgements=PAIRWISE,
        expected_version=stored_version(selection_round),
    )
    selection_round = services.set_constraints(
        actor=None,
        selection_round=selection_round,
        data={"per_dimension_min": 1, "per_dimension_max": 1, "max_per_opd": 2},
        caps=[{"year": 2025, "source": "", "amount": Decimal(1_600_000_000)}],
        limits={},
        expected_version=stored_version(selection_round),
    )
    candidates = {
        c.programme.code: c
        for c in Candidate.objects.filter(round=selection_round)
        .select_related("programme__lead_opd")
        .prefetch_related("programme__budgets")
    }
    if "SOC-04" in candidates and "LIV-04" in candidates:  # both need the same control-room team
        services.add_exclusion(
            actor=None, selection_round=selection_round, first=candidates["SOC-04"], second=candidates["LIV-04"]
        )
    criteria = list(Criterion.objects.filter(round=selection_round))
    rng = random.Random(20240807)  # noqa: S311 - sample scores; seeded by the quick-win session of 7 August 2024
    for n, name in enumerate(EVALUATORS):
        evaluator = services.add_evaluator(actor=None, selection_round=selection_round, name=name, is_sample=True)
        values: dict = {}
        for code in sorted(candidates):
            values |= _scores(candidates[code], criteria, n, rng)
        services.save_scores(actor=None, evaluator=evaluator, values=values)
    selection_round.refresh_from_db()
    solve = services.solve_round(actor=None, selection_round=selection_round, is_sample=True)
    if solve.status == "optimal":
        run = services.start_robustness(
            actor=None, solve=solve, draws=300, spread=Decimal("0.20"), seed=7, is_sample=True, background=False
        )
        services.run_robustness(run.pk)
