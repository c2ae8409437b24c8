"""Reading assessments in a fixed number of queries, and turning a run's answers into scores."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, FloatField, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce

from kotacerdas.assessments import scoring
from kotacerdas.assessments.models import (
    Answer,
    AnswerType,
    Assessor,
    Item,
    ReviewState,
    Run,
    Section,
    SwotEntry,
    Template,
    TemplateStatus,
)
from kotacerdas.assessments.summaries import accepted_scores
from kotacerdas.frameworks.bands import classify
from kotacerdas.frameworks.models import FrameworkEntry, Kind
from kotacerdas.frameworks.selectors import bands_of, latest_published
from kotacerdas.regions.models import Population, Region


def published_templates() -> QuerySet[Template]:
    """The newest published version of each template code comes first within its code."""
    return Template.objects.filter(status=TemplateStatus.PUBLISHED).order_by("kind", "code", "-version")


def runs_for_region(region: Region) -> list[Run]:
    """The region's runs with ``item_count`` and ``answered`` (region slot), in one query."""
    items = (
        Item.objects.filter(template=OuterRef("template_id"))
        .exclude(answer_type=AnswerType.TEXT)
        .order_by()
        .values("template")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Run.objects.filter(region=region)
        .select_related("template")
        .annotate(
            item_count=Coalesce(Subquery(items, output_field=IntegerField()), 0),
            answered=Count(
                "answers",
                filter=Q(answers__assessor__is_region=True) & ~Q(answers__item__answer_type=AnswerType.TEXT),
            ),
        )
        .order_by("-year", "-id")
    )


def run_for(region: Region, pk: int) -> Run:
    """A run of ``region`` (404 for any other region's run), template and levels joined."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Run.objects.filter(region=region).select_related("template", "template__levels", "template__taxonomy"), pk=pk
    )


def region_slot(run: Run) -> Assessor:
    return Assessor.objects.get(run=run, is_region=True)


@dataclass
class ItemRow:
    item: Item
    answer: Answer | None
    others: list[Answer] = field(default_factory=list)  # the panel's answers (for reviewers)


@dataclass
class SectionRows:
    section: Section
    rows: list[ItemRow]
    swot: list[SwotEntry] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(1 for r in self.rows if r.answer is not None)


def sections_of(run: Run, slot: Assessor | None, only: Section | None = None) -> list[SectionRows]:
    """Every section (or one) with its items, the slot's answer to each and the SWOT entries (3 queries)."""
    sections = Section.objects.filter(template_id=run.template_id).select_related("entry")
    if only is not None:
        sections = sections.filter(pk=only.pk)
    sections = sections.prefetch_related(
        Prefetch("items", queryset=Item.objects.select_related("entry").order_by("order", "id"))
    )
    answers: dict[int, Answer] = {}
    if slot is not None:
        answers = {a.item_id: a for a in Answer.objects.filter(assessor=slot).select_related("answered_by")}
    swot: dict[int, list[SwotEntry]] = defaultdict(list)
    for entry in SwotEntry.objects.filter(run=run):
        swot[entry.section_id].append(entry)
    result = [
        SectionRows(s, [ItemRow(i, answers.get(i.pk)) for i in s.items.all()], swot.get(s.pk, [])) for s in sections
    ]
    for part in result:
        for row in part.rows:
            if row.answer is not None:
                row.answer.item = row.item  # Answer.shown reads the item's options without a query
    return result


def review_rows(run: Run) -> list[ItemRow]:
    """The region's answers with their items, awaiting review first (one query)."""
    answers = (
        Answer.objects.filter(run=run, assessor__is_region=True)
        .select_related("item", "item__section", "answered_by", "reviewed_by")
        .order_by("item__order")
    )
    rank: dict[str, int] = {
        ReviewState.SUBMITTED: 0,
        ReviewState.RETURNED: 1,
        ReviewState.ACCEPTED: 2,
        ReviewState.OPEN: 3,
    }
    rows = [ItemRow(a.item, a) for a in answers]
    rows.sort(key=lambda r: rank.get(r.answer.review_state, 9) if r.answer else 9)
    return rows


# Scores -----------------------------------------------------------------------------------------


@dataclass
class RunResult:
    run: Run
    tree: scoring.Node
    thresholds: list[float]
    level_names: dict[int, str]
    gaps: list[scoring.Gap]
    disagreements: list[scoring.Node]
    unanswered: int
    evidence: dict[str, list[dict[str, Any]]]  # item code -> evidence of the answers

    @property
    def overall_level(self) -> int | None:
        return None if self.tree.score is None else scoring.level_for(self.tree.score, self.thresholds)

    def level_of(self, node: scoring.Node) -> int | None:
        return None if node.score is None else scoring.level_for(node.score, self.thresholds)


DISAGREEMENT = 25.0  # points between the highest and lowest assessor that deserve a conversation


def score_inputs(items: list[Item], answers: list[Answer], levels: int) -> tuple[list[scoring.ItemInput], int]:
    """Plain scoring input from items and every assessor's answers, and how many items nobody answered."""
    by_item: dict[int, list[float | None]] = defaultdict(list)
    for answer in answers:
        item = answer.item
        if answer.not_applicable:
            by_item[item.pk].append(None)
            continue
        points = scoring.normalise(item.answer_type, item.options, levels, answer.value, answer.choice)
        if points is not None:
            by_item[item.pk].append(points)
    inputs = []
    unanswered = 0
    for item in items:
        if item.answer_type == AnswerType.TEXT:
            continue
        scores = tuple(by_item.get(item.pk, ()))
        if not scores:
            unanswered += 1
        inputs.append(
            scoring.ItemInput(
                code=item.code,
                section=item.section.code,
                element=item.entry.code if item.entry else item.section.code,
                weight=float(item.weight),
                scores=scores,
                label=item.text,
            )
        )
    return inputs, unanswered


def run_result(run: Run) -> RunResult:
    """Score a run from all its assessors' answers (4 queries whatever the number of items)."""
    template = run.template
    items = list(Item.objects.filter(template=template).select_related("section", "entry").order_by("order", "id"))
    answers = list(Answer.objects.filter(run=run).select_related("item"))
    item_by_pk = {i.pk: i for i in items}
    for answer in answers:  # share the item objects so the section and entry are already joined
        answer.item = item_by_pk[answer.item_id]
    level_rows = (
        list(FrameworkEntry.objects.filter(framework_id=template.levels_id).order_by("order"))
        if template.levels_id
        else []
    )
    levels = len(level_rows) or 5
    level_names = {e.level or n: e.name for n, e in enumerate(level_rows, start=1)}
    sections = {s.code: s for s in Section.objects.filter(template=template).select_related("entry")}
    labels: dict[str, str] = {code: s.title for code, s in sections.items()}
    for item in items:
        if item.entry:
            labels[item.entry.code] = item.entry.name
    inputs, unanswered = score_inputs(items, answers, levels)
    tree = scoring.score(
        inputs,
        method=template.combine,
        section_weights={code: float(s.weight) for code, s in sections.items()},
        labels=labels,
    )
    thresholds = [float(t) for t in template.thresholds]
    evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for answer in answers:
        if answer.has_evidence:
            evidence[answer.item.code].append(
                {
                    "file": answer.evidence_filename if answer.evidence_file else "",
                    "link": answer.evidence_link,
                    "comment": answer.comment,
                }
            )
    disagreements = [n for n in tree.walk() if n.kind == "item" and (n.spread or 0) >= DISAGREEMENT]
    return RunResult(
        run=run,
        tree=tree,
        thresholds=thresholds,
        level_names=level_names,
        gaps=scoring.gaps(tree, thresholds, run.targets, top=levels),
        disagreements=disagreements,
        unanswered=unanswered,
        evidence=dict(evidence),
    )


def gap_dimension(result: RunResult, gap: scoring.Gap) -> str:
    """The dimension code of a gap's element (its section's taxonomy entry, or the section code)."""
    return gap.section


def rescore(runs: QuerySet[Run]) -> dict[int, scoring.Node]:
    """Score many runs at once (four queries in all): for recomputing after a threshold change,
    for the ministry's comparisons and for the bench."""
    run_rows = list(runs.select_related("template").order_by())
    template_ids = {r.template_id for r in run_rows}
    items_by_template: dict[int, list[Item]] = defaultdict(list)
    for item in Item.objects.filter(template_id__in=template_ids).select_related("section", "entry").order_by("order"):
        items_by_template[item.template_id].append(item)
    templates = {r.template_id: r.template for r in run_rows}
    level_counts: dict[int, int] = dict(
        FrameworkEntry.objects.filter(framework_id__in={t.levels_id for t in templates.values() if t.levels_id})
        .order_by()
        .values_list("framework_id")
        .annotate(n=Count("pk"))
        .values_list("framework_id", "n")
    )
    levels = {pk: level_counts.get(t.levels_id, 5) if t.levels_id else 5 for pk, t in templates.items()}
    section_weights: dict[int, dict[str, float]] = defaultdict(dict)
    for template_id, code, weight in Section.objects.filter(template_id__in=template_ids).values_list(
        "template_id", "code", "weight"
    ):
        section_weights[template_id][code] = float(weight)
    scores: dict[int, dict[int, list[float | None]]] = defaultdict(lambda: defaultdict(list))
    item_index = {i.pk: i for items in items_by_template.values() for i in items}
    # A float cast skips building a Decimal per answer (a third of the time at 100,000 answers).
    rows = (
        Answer.objects.filter(run__in=[r.pk for r in run_rows])
        .annotate(points=Cast("value", FloatField()))
        .values_list("run_id", "item_id", "points", "choice", "not_applicable")
    )
    for run_id, item_id, value, choice, not_applicable in rows.iterator(chunk_size=5000):
        item = item_index[item_id]
        if not_applicable:
            scores[run_id][item_id].append(None)
            continue
        points = scoring.normalise(item.answer_type, item.options, levels[item.template_id], value, choice)
        if points is not None:
            scores[run_id][item_id].append(points)
    shapes = {
        template_id: [
            (i.pk, i.code, i.section.code, i.entry.code if i.entry else i.section.code, float(i.weight))
            for i in items
            if i.answer_type != AnswerType.TEXT
        ]
        for template_id, items in items_by_template.items()
    }
    result = {}
    for run in run_rows:
        given = scores.get(run.pk, {})
        inputs = [
            scoring.ItemInput(
                code=code, section=section, element=element, weight=weight, scores=tuple(given.get(pk, ()))
            )
            for pk, code, section, element, weight in shapes.get(run.template_id, [])
        ]
        result[run.pk] = scoring.score(
            inputs, method=run.template.combine, section_weights=section_weights.get(run.template_id, {})
        )
    return result


# Comparison with the region's size class -------------------------------------------------------

PEERS_CACHE_SECONDS = 3600
SIZE_SCHEME = "ukuran-rkci"  # RKCI's size classes go with its maturity levels; another scheme if absent
# The fewest other regions whose scores may be combined into a comparison. Below it a median is
# too close to one region's own scores (with one peer it *is* that region's scores), so nothing
# is shown at all. See docs/data-model.md, "Peer comparison".
MIN_PEER_GROUP = 5


@dataclass
class Peers:
    """The median of the newest accepted runs of one template among the other regions of a size
    class that opted in to sharing (``Region.shares_peer_scores``).

    When fewer than :data:`MIN_PEER_GROUP` regions qualify, ``shown`` is false and the figures are
    empty: they are not computed, so no page, chart or document can leak them.
    """

    scheme: str
    size_class: str
    shown: bool
    regions: int  # the group's size when shown, else 0 (how many short of the minimum is not said)
    overall: float | None = None
    sections: dict[str, float | None] = field(default_factory=dict)
    minimum: int = MIN_PEER_GROUP


def _population_of() -> Subquery:
    return Subquery(
        Population.objects.filter(region=OuterRef("region_id")).order_by("-year").values("population")[:1],
        output_field=IntegerField(),
    )


def shared_runs(template_code: str) -> QuerySet[Run]:
    """Accepted runs of a template whose region opted in to peer comparisons."""
    return Run.objects.filter(template__code=template_code, status="accepted", region__shares_peer_scores=True)


def size_class_peers(run: Run) -> Peers | None:
    """Compare with the median of the region's size class (a fixed number of queries).

    Only accepted runs of regions that opted in count, the newest per region; the region itself is
    left out. Figures only when at least :data:`MIN_PEER_GROUP` other regions qualify. None when
    the region's size is unknown.
    """
    own = Population.objects.filter(region_id=run.region_id).order_by("-year").values_list("population", flat=True)
    population = own.first()
    schemes = latest_published(Kind.SIZE_CLASSES)
    scheme = next((s for s in schemes if s.code == SIZE_SCHEME), schemes[0] if schemes else None)
    if population is None or scheme is None:
        return None
    bands = bands_of(scheme)
    band = classify(population, bands)
    if band is None:
        return None
    shared = shared_runs(run.template.code)
    # Rescoring hundreds of peers costs about a second: keep the medians until a shared run or a
    # region changes (an opt-out saves the region, so it takes effect at once).
    stamp = shared.aggregate(changed=Max("updated_at"), n=Count("pk"))
    regions = Region.objects.aggregate(
        changed=Max("updated_at"), sharing=Count("pk", filter=Q(shares_peer_scores=True))
    )
    key = (
        f"assessments:peers:{run.template.code}:{scheme.code}v{scheme.version}:{band.code}:{run.region_id}:"
        f"{stamp['n']}:{stamp['changed'].isoformat() if stamp['changed'] else '-'}:"
        f"{regions['sharing']}:{regions['changed'].isoformat() if regions['changed'] else '-'}"
    )
    cached = cache.get(key)
    if isinstance(cached, Peers):
        return cached
    peers = _peers(run, shared, bands, band, scheme.title)
    cache.set(key, peers, PEERS_CACHE_SECONDS)
    return peers


def _peers(run: Run, shared: QuerySet[Run], bands: list[Any], band: Any, scheme_title: str) -> Peers:
    candidates = (
        shared.exclude(region_id=run.region_id)
        .annotate(population=_population_of())
        .order_by("region_id", "-year", "-id")
        .values_list("pk", "region_id", "population")
    )
    newest: dict[int, int] = {}
    for pk, region_id, people in candidates:
        if region_id in newest or people is None:
            continue
        peer_band = classify(people, bands)
        if peer_band is not None and peer_band.code == band.code:
            newest[region_id] = pk
    if len(newest) < MIN_PEER_GROUP:
        return Peers(scheme=scheme_title, size_class=band.label, shown=False, regions=0)
    # The scores stored when each run was accepted: a comparison reads, it does not rescore.
    trees = accepted_scores(newest.values())
    overall = [t.overall for t in trees.values() if t.overall is not None]
    by_section: dict[str, list[float]] = defaultdict(list)
    for tree in trees.values():
        for code, score in tree.sections.items():
            if score is not None:
                by_section[code].append(score)
    return Peers(
        scheme=scheme_title,
        size_class=band.label,
        shown=True,
        regions=len(trees),
        # A figure only from as many scores as the minimum: a section most peers left unanswered
        # would otherwise be one region's own score again.
        overall=statistics.median(overall) if len(overall) >= MIN_PEER_GROUP else None,
        sections={
            code: statistics.median(values) for code, values in by_section.items() if len(values) >= MIN_PEER_GROUP
        },
    )


# The Buku 1 analysis chapter as data --------------------------------------------------------------


@dataclass
class AnalysisSection:
    code: str
    title: str
    score: float | None
    level: int | None
    swot: dict[str, list[SwotEntry]]  # quadrant S/W/O/T -> entries


@dataclass
class Analysis:
    """What the master plan's analysis chapter (Buku 1) takes from a run, ready for any renderer."""

    run: Run
    result: RunResult
    sections: list[AnalysisSection]


def analysis(run: Run, result: RunResult | None = None) -> Analysis:
    """Scores, levels and SWOT per section of a run (one query on top of :func:`run_result`)."""
    result = result or run_result(run)
    swot: dict[str, dict[str, list[SwotEntry]]] = defaultdict(lambda: {q: [] for q in "SWOT"})
    for entry in SwotEntry.objects.filter(run=run).select_related("section").order_by("section__order", "id"):
        swot[entry.section.code][entry.quadrant].append(entry)
    sections = [
        AnalysisSection(
            code=node.code,
            title=node.label,
            score=node.score,
            level=result.level_of(node),
            swot=swot.get(node.code, {q: [] for q in "SWOT"}),
        )
        for node in result.tree.children
    ]
    return Analysis(run=run, result=result, sections=sections)
