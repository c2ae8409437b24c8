"""The region cockpit: where the region stands in the programme's cycle and what needs attention.

The region home for its members, its mentors and the ministry (issue 15 §1). It is composed here
from each app's tables because it shows a little of every app; each part is read with a fixed
number of queries, whatever the number of programmes, sessions, actions or documents:

- **the cycle**: selection (the cohort) → readiness and maturity (the latest accepted runs and
  their overall score) → the master plan (latest edition, its status, plan-check errors and
  warnings from the stored summary) → the quick-win round of the year → Bimtek I–IV with the next
  session → monitoring (the latest period that has ended: reported or late) → the last
  evaluation visible to the reader (index, predicate, improvement). A step KotaCerdas holds no
  data for says so; nothing is filled in;
- **what needs attention**: overdue actions, open and escalated obstacles, returned programme
  updates, open review threads of the latest edition, and documents generated before their
  edition last changed;
- **two charts**: budget per dimension and year (from the edition's stored figures) and
  programmes by implementation status per dimension, each with a table alternative.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from typing import Any

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kotacerdas.assessments.models import Run, RunScore, RunStatus, TemplateKind
from kotacerdas.engagements.models import Action, AgendaItem, Engagement, Obstacle, Session
from kotacerdas.engagements.models.register import OPEN_ACTION_STATUSES, ObstacleStatus
from kotacerdas.evaluation import selectors as evaluation_selectors
from kotacerdas.lib import numbers
from kotacerdas.monitoring.models import ProgrammeUpdate, ReportingPeriod, UpdateState
from kotacerdas.plans.figures import BAR_COLOURS, CHART_WIDTH, budget_by_year_svg, svg_open
from kotacerdas.plans.models import Edition, Programme, ProgrammeStatus, ReviewThread
from kotacerdas.plans.models.plan import EditionStatus
from kotacerdas.plans.summaries import summary_of, totals_of
from kotacerdas.quickwins.models import RoundStatus, SelectionRound
from kotacerdas.regions.models import Region
from kotacerdas.reports.models import DocumentJob, JobStatus

# A step's state, which the page shows as a word and a mark (never by colour alone).
DONE, CURRENT, WAITING, NO_DATA = "done", "current", "waiting", "no_data"
STAGES = (1, 2, 3, 4)


@dataclass
class Step:
    key: str
    title: str
    state: str
    summary: str
    url: str | None = None
    details: list[str] = field(default_factory=list)


@dataclass
class Attention:
    key: str
    label: str
    count: int
    url: str | None


@dataclass
class NextSession:
    session: Session
    agenda: list[AgendaItem]


@dataclass
class Cockpit:
    region: Region
    today: datetime.date
    steps: list[Step]
    attention: list[Attention]
    next_session: NextSession | None
    edition: Edition | None
    budget_svg: str
    budget_rows: list[tuple[str, list[int], int]]  # dimension, amount per year, total
    budget_years: list[int]
    status_svg: str
    status_rows: list[tuple[str, list[int], int]]  # dimension, programmes per status, total
    statuses: list[tuple[str, str]]  # code, label
    has_sample_data: bool

    @property
    def attention_total(self) -> int:
        return sum(a.count for a in self.attention)


# The cycle -----------------------------------------------------------------------------------


def _selection(region: Region, engagement: Engagement | None) -> Step:
    title = _("Selection")
    if engagement is None:
        return Step("selection", title, NO_DATA, _("Not in a cohort of the programme yet."))
    return Step(
        "selection",
        title,
        DONE,
        _("Cohort %(year)s: %(name)s") % {"year": engagement.cohort.year, "name": engagement.cohort.name},
        reverse("engagements:detail", args=[region.code, engagement.pk]),
    )


def _assessments(region: Region) -> Step:
    title = _("Readiness and maturity")
    runs = list(
        Run.objects.filter(region=region)
        .exclude(template__kind=TemplateKind.SELECTION)
        .select_related("template")
        .order_by("-year", "-id")
    )
    accepted = [r for r in runs if r.status == RunStatus.ACCEPTED]
    if not runs:
        return Step("assessment", title, NO_DATA, _("No readiness or maturity assessment yet."))
    scores = dict(RunScore.objects.filter(run__in=accepted).values_list("run_id", "overall"))
    details = []
    for kind in (TemplateKind.READINESS, TemplateKind.MATURITY):
        latest = next((r for r in accepted if r.template.kind == kind), None)
        if latest is not None:
            score = scores.get(latest.pk)
            shown = numbers.decimal(Decimal(str(score)), max_places=2) if score is not None else "—"
            details.append(
                _("%(kind)s %(year)s: score %(score)s")
                % {"kind": latest.template.get_kind_display(), "year": latest.year, "score": shown}
            )
    url = reverse("assessments:runs", args=[region.code])
    if not accepted:
        return Step("assessment", title, CURRENT, _("An assessment is in progress; none accepted yet."), url)
    return Step("assessment", title, DONE, details[0] if details else _("Accepted."), url, details[1:])


def _plan(region: Region, edition: Edition | None) -> tuple[Step, Any]:
    title = _("Master plan")
    if edition is None:
        return Step("plan", title, NO_DATA, _("No master plan edition yet.")), None
    summary = summary_of(edition, document=False)
    counts = summary.counts or {}
    errors, warnings = int(counts.get("error", 0)), int(counts.get("warning", 0))
    state = DONE if edition.status == EditionStatus.ADOPTED else CURRENT
    checks = (
        ngettext("%(n)s error", "%(n)s errors", errors) % {"n": errors}
        + ", "
        + ngettext("%(n)s warning", "%(n)s warnings", warnings) % {"n": warnings}
    )
    return (
        Step(
            "plan",
            title,
            state,
            _("Edition %(year)s (%(start)s–%(end)s): %(status)s")
            % {
                "year": edition.year,
                "start": edition.start_year,
                "end": edition.end_year,
                "status": edition.get_status_display(),
            },
            reverse("plans:edition", args=[region.code, edition.year]),
            [_("Plan check: %(checks)s") % {"checks": checks}],
        ),
        summary,
    )


def _quick_wins(region: Region, year: int) -> Step:
    title = _("Quick wins of %(year)s") % {"year": year}
    found = SelectionRound.objects.filter(region=region, year=year).only("status", "year").first()
    if found is None:
        return Step("quickwins", title, NO_DATA, _("No quick-win round for this year yet."))
    state = DONE if found.status == RoundStatus.CONFIRMED else CURRENT
    summary = (
        _("Confirmed.")
        if state == DONE
        else _("Not confirmed yet: %(status)s") % {"status": found.get_status_display()}
    )
    return Step("quickwins", title, state, summary, reverse("quickwins:round", args=[region.code, year]))


def _bimtek(
    region: Region, engagement: Engagement | None, today: datetime.date
) -> tuple[Step, NextSession | None, bool]:
    title = _("Bimtek I–IV")
    if engagement is None:
        return Step("bimtek", title, NO_DATA, _("No assistance yet.")), None, False
    sessions = list(Session.objects.filter(engagement=engagement).order_by("starts_on", "id"))
    held = {s.stage for s in sessions if s.stage in STAGES and s.status != Session.Status.PLANNED}
    upcoming = [s for s in sessions if s.status == Session.Status.PLANNED and s.ends_on >= today]
    following = upcoming[0] if upcoming else None
    nxt = None
    if following is not None:
        agenda = list(AgendaItem.objects.filter(session=following).select_related("programme").order_by("order"))
        nxt = NextSession(following, agenda)
    state = DONE if held >= set(STAGES) else CURRENT
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
    summary = (
        _("Held: %(held)s of 4") % {"held": ", ".join(roman[s] for s in sorted(held))}
        if held
        else _("No Bimtek held yet.")
    )
    details = []
    if following is not None:
        details.append(
            _("Next: %(title)s, %(date)s")
            % {"title": following.title, "date": date_format(following.starts_on, "j F Y")}
        )
    url = reverse("engagements:detail", args=[region.code, engagement.pk])
    sample = any(s.is_sample for s in sessions)
    return Step("bimtek", title, state, summary, url, details), nxt, sample


def _monitoring(region: Region, today: datetime.date) -> Step:
    title = _("Monitoring")
    edition = (
        Edition.objects.filter(
            region=region, status=EditionStatus.ADOPTED, start_year__lte=today.year, end_year__gte=today.year
        )
        .order_by("-year")
        .first()
    )
    if edition is None:
        return Step("monitoring", title, NO_DATA, _("No adopted master plan in force this year."))
    period = ReportingPeriod.objects.filter(edition=edition, ends_on__lt=today).order_by("-starts_on").first()
    url = reverse("monitoring:overview", args=[region.code])
    if period is None:
        return Step("monitoring", title, WAITING, _("Reporting has not begun or no period has ended yet."), url)
    total = Programme.objects.filter(edition=edition).exclude(status=ProgrammeStatus.CANCELLED).count()
    reported = (
        ProgrammeUpdate.objects.filter(period=period, state__in=[UpdateState.SUBMITTED, UpdateState.ACCEPTED])
        .values("programme_id")
        .distinct()
        .count()
    )
    late = max(total - reported, 0) if period.due_on < today else 0
    state = CURRENT if late else DONE
    summary = _("%(period)s: %(reported)s of %(total)s programmes reported") % {
        "period": period.key,
        "reported": reported,
        "total": total,
    }
    details = [ngettext("%(n)s report late", "%(n)s reports late", late) % {"n": late}] if late else []
    return Step("monitoring", title, state, summary, url, details)


def _evaluation(user: Any, region: Region) -> Step:
    title = _("Annual evaluation")
    latest = evaluation_selectors.visible(user, region).order_by("-year").first()
    if latest is None:
        return Step("evaluation", title, NO_DATA, _("No evaluation yet."))
    (row,) = evaluation_selectors.listed([latest])
    computed = row.computed
    url = reverse("evaluation:detail", args=[region.code, latest.year])
    if computed.index_2dp is None:
        return Step("evaluation", title, CURRENT, _("%(year)s: being scored") % {"year": latest.year}, url)
    summary = _("%(year)s: index %(index)s, %(predicate)s") % {
        "year": latest.year,
        "index": numbers.decimal(computed.index_2dp, max_places=2),
        "predicate": computed.predicate_name,
    }
    details = []
    if computed.improvement is not None:
        details.append(
            _("Improvement on the previous year: %(change)s")
            % {"change": numbers.decimal(computed.improvement, max_places=2)}
        )
    if not latest.is_released:
        details.append(_("Draft: visible to the ministry only."))
    return Step("evaluation", title, DONE if latest.is_released else CURRENT, summary, url, details)


# What needs attention --------------------------------------------------------------------------


def _attention(
    region: Region, engagement: Engagement | None, edition: Edition | None, today: datetime.date
) -> list[Attention]:
    out: list[Attention] = []
    actions_url = reverse("engagements:actions", args=[region.code, engagement.pk]) if engagement else None
    obstacles_url = reverse("engagements:obstacles", args=[region.code, engagement.pk]) if engagement else None
    overdue = Action.objects.filter(region=region, status__in=OPEN_ACTION_STATUSES, due_on__lt=today).count()
    out.append(Attention("overdue_actions", _("Overdue actions"), overdue, actions_url))
    obstacles = Obstacle.objects.filter(region=region).aggregate(
        open=Count("id", filter=Q(status__in=[ObstacleStatus.OPEN, ObstacleStatus.IN_PROGRESS])),
        escalated=Count("id", filter=Q(status=ObstacleStatus.ESCALATED)),
    )
    out.append(Attention("open_obstacles", _("Open obstacles"), obstacles["open"], obstacles_url))
    escalated = obstacles["escalated"]
    out.append(Attention("escalated_obstacles", _("Obstacles escalated to the ministry"), escalated, obstacles_url))
    returned = ProgrammeUpdate.objects.filter(region=region, state=UpdateState.RETURNED).count()
    my_updates = reverse("monitoring:my_updates", args=[region.code])
    out.append(Attention("returned_updates", _("Programme updates returned"), returned, my_updates))
    threads, stale = 0, 0
    if edition is not None:
        threads = ReviewThread.objects.filter(edition=edition, status="open").count()
        latest_files = (
            DocumentJob.objects.filter(edition=edition, status=JobStatus.DONE)
            .exclude(file="")
            .values("kind", "fmt")
            .annotate(last=Max("finished_at"))
        )
        stale = sum(1 for row in latest_files if row["last"] and row["last"] < edition.updated_at)
    out.append(
        Attention(
            "open_threads",
            _("Open review threads"),
            threads,
            reverse("plans:threads", args=[region.code, edition.year]) if edition else None,
        )
    )
    out.append(
        Attention(
            "stale_documents",
            _("Documents generated before their master plan last changed"),
            stale,
            reverse("reports:documents", args=[region.code]),
        )
    )
    return out


# Charts ---------------------------------------------------------------------------------------


def status_svg(rows: list[tuple[str, list[int], int]], statuses: list[tuple[str, str]], *, title: str) -> str:
    """Horizontal stacked bars: one per dimension, a segment per status, each with its count.

    Accessible like the other charts: a title, a description, each segment titled, and the page
    shows the same numbers as a table."""
    row_height, left, legend = 26, 70, (len(statuses) + 2) // 3
    height = 10 + row_height * max(len(rows), 1) + 10 + 20 * legend + 10
    top = max((total for _d, _c, total in rows), default=0)
    room = CHART_WIDTH - left - 60
    description = "; ".join(
        f"{dim}: " + ", ".join(f"{label} {c}" for (_code, label), c in zip(statuses, counts, strict=True) if c)
        for dim, counts, _total in rows
    )
    parts = svg_open(CHART_WIDTH, height, "cockpit-status", title, description or title)
    for n, (dim, counts, total) in enumerate(rows):
        y = 10 + n * row_height
        parts.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">{escape(dim)}</text>')
        x = float(left)
        for i, ((_code, label), count) in enumerate(zip(statuses, counts, strict=True)):
            if not count or not top:
                continue
            w = room * count / top
            colour = BAR_COLOURS[i % len(BAR_COLOURS)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_height - 8}" fill="{colour}">'
                f"<title>{escape(f'{dim}, {label}: {count}')}</title></rect>"
            )
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 16}">{total}</text>')
    base = 10 + row_height * max(len(rows), 1) + 10
    for i, (_code, label) in enumerate(statuses):
        lx, ly = 10 + (i % 3) * (CHART_WIDTH // 3), base + 12 + 20 * (i // 3)
        colour = BAR_COLOURS[i % len(BAR_COLOURS)]
        parts.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 18}" y="{ly}">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _charts(edition: Edition | None, summary: Any) -> dict[str, Any]:
    empty: dict[str, Any] = {
        "budget_svg": "",
        "budget_rows": [],
        "budget_years": [],
        "status_svg": "",
        "status_rows": [],
        "statuses": [],
    }
    if edition is None or summary is None:
        return empty
    totals = totals_of(summary)
    years = totals.years
    budget_rows = [
        (dim, [by_year.get(y, 0) for y in years], sum(by_year.values())) for dim, by_year in totals.by_dimension.items()
    ]
    budget = (
        budget_by_year_svg(
            totals.by_dimension,
            years,
            ident="cockpit-budget",
            title=_("Budget by dimension and year"),
            description=_("Planned budget per year, stacked by smart city dimension, in million rupiah."),
            names={},
            amount=numbers.millions,
        )
        if totals.total
        else ""
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for dim, status, n in (
        Programme.objects.filter(edition=edition)
        .values_list("dimension__code", "status")
        .annotate(n=Count("id"))
        .values_list("dimension__code", "status", "n")
    ):
        counts[dim or "?"][status] = n
    used = {s for per in counts.values() for s in per}
    statuses = [(code, str(label)) for code, label in ProgrammeStatus.choices if code in used]
    order = list(totals.by_dimension) + sorted(set(counts) - set(totals.by_dimension))
    status_rows = [
        (dim, [counts[dim].get(code, 0) for code, _l in statuses], sum(counts[dim].values()))
        for dim in order
        if dim in counts
    ]
    return {
        "budget_svg": budget,
        "budget_rows": budget_rows,
        "budget_years": years,
        "status_svg": status_svg(status_rows, statuses, title=_("Programmes by status and dimension"))
        if status_rows
        else "",
        "status_rows": status_rows,
        "statuses": statuses,
    }


def cockpit(user: Any, region: Region, today: datetime.date) -> Cockpit:
    """The cockpit of ``region`` for ``user`` (who may see the region), as of ``today``."""
    engagement = (
        Engagement.objects.filter(region=region).select_related("cohort").order_by("-cohort__year", "-id").first()
    )
    edition = Edition.objects.filter(region=region).order_by("-year", "-id").first()
    plan_step, summary = _plan(region, edition)
    bimtek_step, nxt, sessions_sample = _bimtek(region, engagement, today)
    steps = [
        _selection(region, engagement),
        _assessments(region),
        plan_step,
        _quick_wins(region, today.year),
        bimtek_step,
        _monitoring(region, today),
        _evaluation(user, region),
    ]
    return Cockpit(
        region=region,
        today=today,
        steps=steps,
        attention=_attention(region, engagement, edition, today),
        next_session=nxt,
        edition=edition,
        has_sample_data=region.is_sample or sessions_sample or bool(edition and edition.is_sample),
        **_charts(edition, summary),
    )
