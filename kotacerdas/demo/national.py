"""The national sample (``kotacerdas demo --national``): 514 invented regions, each with four
Bimtek sessions, 20 obstacles and a master plan edition of 300 programmes, some reporting
progress and some evaluated, to see and time the ministry's national view at full scale.

Everything here is invented and stored with ``is_sample=True``; the regions are named "Sampel
Nasional <code>" and their cohorts "(contoh nasional)", so nobody reads them as facts. The rows
are written with ``bulk_create`` rather than through the services: the services' one-row audit
and checks would take minutes for some 400 000 rows of data that describe nothing real. One audit
entry records that the sample was generated. Deterministic: the same arguments and day give the
same data. Generating twice keeps the first (nothing is added).
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kotacerdas.audit import services as audit
from kotacerdas.engagements.models import Cohort, Engagement, Obstacle, Session
from kotacerdas.engagements.models.register import ObstacleCategory, ObstacleStatus
from kotacerdas.evaluation.models import Evaluation
from kotacerdas.evaluation.models import Status as EvaluationStatus
from kotacerdas.frameworks.bands import classify
from kotacerdas.frameworks.models import Framework, FrameworkEntry, Kind
from kotacerdas.frameworks.selectors import bands_of, latest_published
from kotacerdas.monitoring.models import ProgrammeUpdate, RealisedBudget, ReportingPeriod, ReportingPlan, UpdateState
from kotacerdas.plans.models import Edition, MasterPlan, Programme, ProgrammeStatus
from kotacerdas.plans.models.plan import EditionStatus
from kotacerdas.regions.models import Population, Region, RegionKind
from kotacerdas.regions.provinces import PROVINCES

NAME = "Sampel Nasional"
COHORT_NAME = "Angkatan %s (contoh nasional)"
BATCH = 5000
# The edition's status after this many Bimtek held (four held: adopted, mostly).
PLAN_AFTER_BIMTEK = [
    EditionStatus.DRAFT,
    EditionStatus.DRAFT,
    EditionStatus.TEAM_FINAL,
    EditionStatus.DEWAN_ENDORSED,
    EditionStatus.HEAD_APPROVED,
]


@dataclass
class NationalResult:
    created: bool
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)


def _codes(count: int, taken: set[str]) -> list[tuple[str, str, str]]:
    """(code, kind, province) for ``count`` regions spread over every province, kota numbered
    from 80 and kabupaten from 40, skipping codes already in use."""
    out: list[tuple[str, str, str]] = []
    per_province: dict[str, int] = {}
    i = 0
    while len(out) < count:
        province = PROVINCES[i % len(PROVINCES)]
        i += 1
        k = per_province.get(province.code, 0)
        per_province[province.code] = k + 1
        kind = RegionKind.KOTA if k % 3 == 0 else RegionKind.KABUPATEN
        number = 80 + k // 3 if kind == RegionKind.KOTA else 40 + k - k // 3
        code = f"{province.code}.{number:02d}"
        if code not in taken and number < 100:
            out.append((code, kind, province.name))
    return out


def _quarters_before(today: datetime.date, n: int) -> list[tuple[str, datetime.date, datetime.date]]:
    """The ``n`` quarters before the one ``today`` is in, then that one: (key, first, last day)."""
    quarter = (today.month - 1) // 3
    out = []
    for back in range(n, -1, -1):
        q, year = quarter - back, today.year
        while q < 0:
            q, year = q + 4, year - 1
        first = datetime.date(year, 3 * q + 1, 1)
        last = (datetime.date(year + (q == 3), (3 * q + 3) % 12 + 1, 1)) - datetime.timedelta(days=1)
        out.append((f"{year}-Q{q + 1}", first, last))
    return out


def generate(
    *,
    regions: int = 514,
    sessions: int = 4,
    obstacles: int = 20,
    programmes: int = 300,
    today: datetime.date | None = None,
    seed: int = 15,
    name: str = NAME,
) -> NationalResult:
    """Write the national sample (see the module docstring); returns what it wrote and how long
    it took. The reference frameworks must be loaded (``kotacerdas setup``). ``name`` starts the
    regions' names (another name adds another batch beside the first, as the tests do)."""
    if Region.objects.filter(name__startswith=name).exists():
        return NationalResult(created=False)
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
    taxonomy = Framework.objects.filter(kind=Kind.TAXONOMY, code="kominfo-6", status="published").order_by("-version")
    tax = taxonomy.first() or Framework.objects.filter(kind=Kind.TAXONOMY, status="published").first()
    if tax is None:
        raise RuntimeError("Load the reference frameworks first (kotacerdas setup).")
    dimensions = list(FrameworkEntry.objects.filter(framework=tax, parent__isnull=True).order_by("order", "id"))
    predicate_scheme = next((f for f in latest_published(Kind.BANDS) if f.code == "predikat-evaluasi"), None)
    predicates = bands_of(predicate_scheme) if predicate_scheme else []
    rows: dict[str, int] = {}
    with transaction.atomic():
        years = [today.year - 3 + n for n in range(4)]
        cohorts = [
            Cohort.objects.get_or_create(
                year=y, name=COHORT_NAME % y, defaults={"ministry_name": "Kementerian Komunikasi dan Digital (contoh)"}
            )[0]
            for y in years
        ]
        taken = set(Region.objects.values_list("code", flat=True))
        made = Region.objects.bulk_create(
            [
                Region(code=code, name=f"{name} {code}", kind=kind, province=province, is_sample=True)
                for code, kind, province in _codes(regions, taken)
            ],
            batch_size=BATCH,
        )
        rows["regions"] = len(made)
        Population.objects.bulk_create(
            [
                Population(
                    region=r,
                    year=today.year - 1,
                    population=int(rng.lognormvariate(12.6, 0.8)),
                    source="contoh",
                    is_estimate=True,
                )
                for r in made
            ],
            batch_size=BATCH,
        )
        # Older cohorts went further: how many Bimtek each region held, by the cohort's age.
        plan: list[tuple[Region, Cohort, int]] = []
        for n, region in enumerate(made):
            age = n % 4
            held = {0: 4, 1: rng.choice([3, 4, 4]), 2: rng.choice([1, 2, 3]), 3: rng.choice([0, 0, 1])}[age]
            plan.append((region, cohorts[age], min(held, sessions)))
        engagements = Engagement.objects.bulk_create(
            [Engagement(region=r, cohort=c, purpose="Pendampingan (contoh)", is_sample=True) for r, c, _h in plan],
            batch_size=BATCH,
        )
        session_rows = []
        for (region, cohort, held), engagement in zip(plan, engagements, strict=True):
            for stage in range(1, sessions + 1):
                day = datetime.date(cohort.year, min(2 + 2 * stage, 12), 10)
                session_rows.append(
                    Session(
                        region=region,
                        engagement=engagement,
                        stage=stage if stage <= 4 else None,
                        title=f"Bimtek {stage} (contoh)",
                        starts_on=day,
                        ends_on=day + datetime.timedelta(days=1),
                        status=Session.Status.CLOSED if stage <= held else Session.Status.PLANNED,
                        is_sample=True,
                    )
                )
        made_sessions = Session.objects.bulk_create(session_rows, batch_size=BATCH)
        rows["sessions"] = len(made_sessions)
        first_session = {s.engagement_id: s for s in made_sessions if s.stage == 1}
        statuses = [ObstacleStatus.RESOLVED] * 10 + [ObstacleStatus.OPEN] * 5 + [ObstacleStatus.IN_PROGRESS] * 3
        statuses += [ObstacleStatus.ESCALATED] * 2
        categories = [c for c, _l in ObstacleCategory.choices]
        obstacle_rows = []
        for (region, cohort, _held), engagement in zip(plan, engagements, strict=True):
            for k in range(obstacles):
                status = rng.choice(statuses)
                opened = datetime.date(cohort.year, 6, 1) + datetime.timedelta(days=k * 9)
                obstacle_rows.append(
                    Obstacle(
                        region=region,
                        engagement=engagement,
                        raised_in=first_session.get(engagement.pk) or made_sessions[0],
                        description=f"Kendala {k + 1} di {region.code} (contoh).",
                        category=rng.choice(categories),
                        status=status,
                        opened_on=opened,
                        resolved_on=opened + datetime.timedelta(days=30) if status == ObstacleStatus.RESOLVED else None,
                        escalated_on=opened + datetime.timedelta(days=14)
                        if status == ObstacleStatus.ESCALATED
                        else None,
                        is_sample=True,
                    )
                )
        rows["obstacles"] = len(Obstacle.objects.bulk_create(obstacle_rows, batch_size=BATCH))

        masters = MasterPlan.objects.bulk_create(
            [MasterPlan(region=r, title="Masterplan Smart City (contoh)", is_sample=True) for r, _c, _h in plan],
            batch_size=BATCH,
        )
        edition_rows = []
        for (region, cohort, held), master in zip(plan, masters, strict=True):
            edition_status = EditionStatus.ADOPTED if held >= 4 and rng.random() < 0.85 else PLAN_AFTER_BIMTEK[held]
            edition_rows.append(
                Edition(
                    region=region,
                    plan=master,
                    year=cohort.year,
                    title=f"Masterplan Smart City {cohort.year} (contoh)",
                    start_year=cohort.year + 1,
                    end_year=cohort.year + 10,
                    taxonomy=tax,
                    status=edition_status,
                    is_sample=True,
                )
            )
        editions = Edition.objects.bulk_create(edition_rows, batch_size=BATCH)
        programme_rows = [
            Programme(
                region=e.region,
                edition=e,
                code=f"P-{k + 1:03d}",
                name=f"Program {k + 1} (contoh)",
                dimension=dimensions[k % len(dimensions)],
                status=ProgrammeStatus.ON_TRACK if e.status == EditionStatus.ADOPTED else ProgrammeStatus.PLANNED,
                is_sample=True,
            )
            for e in editions
            for k in range(programmes)
        ]
        made_programmes = Programme.objects.bulk_create(programme_rows, batch_size=BATCH)
        rows["programmes"] = len(made_programmes)
        by_edition: dict[int, list[Programme]] = {}
        for p in made_programmes:
            by_edition.setdefault(p.edition_id, []).append(p)

        # Reporting: the adopted plans of the two oldest cohorts report quarterly; two quarters
        # are past their due date, the current one is not.
        quarters = _quarters_before(today, 2)
        reporting = [
            e
            for e, (_r, c, _h) in zip(editions, plan, strict=True)
            if e.status == EditionStatus.ADOPTED and c.year <= years[1]
        ]
        ReportingPlan.objects.bulk_create(
            [
                ReportingPlan(
                    region=e.region,
                    edition=e,
                    starts_on=quarters[0][1],
                    ends_on=datetime.date(e.end_year, 12, 31),
                    is_sample=True,
                )
                for e in reporting
            ],
            batch_size=BATCH,
        )
        period_rows = [
            ReportingPeriod(
                region=e.region,
                edition=e,
                key=key,
                cadence="quarterly",
                starts_on=first,
                ends_on=last,
                due_on=last + datetime.timedelta(days=10),
            )
            for e in reporting
            for key, first, last in quarters
        ]
        periods = ReportingPeriod.objects.bulk_create(period_rows, batch_size=BATCH)
        update_rows = []
        for period in periods:
            if period.due_on >= today:
                continue
            diligence = random.Random(f"{seed}:{period.edition_id}").uniform(0.55, 1.0)  # noqa: S311
            for p in by_edition[period.edition_id]:
                if rng.random() < diligence:
                    update_rows.append(
                        ProgrammeUpdate(
                            region=period.region,
                            programme=p,
                            period=period,
                            reported_on=period.due_on - datetime.timedelta(days=3),
                            status=ProgrammeStatus.ON_TRACK,
                            progress=rng.randint(10, 90),
                            comment="Berjalan sesuai rencana (contoh).",
                            state=UpdateState.ACCEPTED,
                            is_sample=True,
                        )
                    )
        updates = ProgrammeUpdate.objects.bulk_create(update_rows, batch_size=BATCH)
        rows["updates"] = len(updates)
        rows["realised_budgets"] = len(
            RealisedBudget.objects.bulk_create(
                [
                    RealisedBudget(
                        region=u.region, update=u, source="apbd", amount=Decimal(rng.randint(10, 500) * 1_000_000)
                    )
                    for u in updates
                ],
                batch_size=BATCH,
            )
        )
        # Evaluations: most reporting regions were evaluated last year and released.
        evaluation_rows = []
        for e in reporting:
            if rng.random() < 0.2:
                continue
            index = Decimal(str(round(rng.uniform(1.5, 4.8), 2)))
            previous = Decimal(str(round(float(index) - rng.uniform(-0.4, 0.9), 2)))
            band = classify(index, predicates) if predicates else None
            evaluation_rows.append(
                Evaluation(
                    region=e.region,
                    year=today.year - 1,
                    scheme_year=2022,
                    taxonomy=tax,
                    status=EvaluationStatus.RELEASED,
                    previous_index=previous,
                    previous_source="entered",
                    index=index,
                    index_2dp=index,
                    improvement=index - previous,
                    predicate_code=band.code if band else "",
                    predicate_name=band.label if band else "",
                    panel="Tim evaluasi (contoh)",
                    is_sample=True,
                )
            )
        rows["evaluations"] = len(Evaluation.objects.bulk_create(evaluation_rows, batch_size=BATCH))
        audit.record(
            actor=None,
            action="create",
            obj=None,
            about=("demo.national", "", "national sample data (demo --national)"),
            after=dict(rows),
        )
    return NationalResult(created=True, seconds=time.perf_counter() - started, rows=rows)
