"""Reads for master plans. Callers pass a region obtained through the access layer; every query
filters by that region first, so a row of another region is a 404 like a missing one.

Most plan pages read the edition's stored summary (:mod:`kotacerdas.plans.summaries`): its
interchange document, plan-check findings and budget figures, one query while it is fresh. The
outline, the programme table, budget totals, the roadmap and the plan check all see exactly the
same data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from kotacerdas.frameworks import sipd
from kotacerdas.plans import summaries
from kotacerdas.plans.checks import CheckReport, Finding
from kotacerdas.plans.figures import BudgetTotals
from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.models import (
    Disposition,
    Edition,
    EditionSummary,
    Programme,
    ReviewComment,
    ReviewThread,
    Section,
    ThreadStatus,
)
from kotacerdas.plans.serialise import programmes_with_everything
from kotacerdas.regions.models import Region


def editions(region: Region) -> list[Edition]:
    """The region's editions, oldest first, each with ``programme_count`` and ``open_threads``."""
    return list(
        Edition.objects.filter(region=region)
        .select_related("taxonomy", "previous")
        .annotate(
            programme_count=Count("programmes", distinct=True),
            open_threads=Count("threads", filter=Q(threads__status=ThreadStatus.OPEN), distinct=True),
        )
        .order_by("year")
    )


def edition_for(region: Region, year: int) -> Edition:
    return get_object_or_404(
        Edition.objects.filter(region=region).select_related("region", "taxonomy", "previous", "plan"), year=year
    )


def programme_for(edition: Edition, code: str) -> Programme:
    """One programme of the edition with everything its pages show (fixed number of queries)."""
    queryset = programmes_with_everything(Programme.objects.filter(region_id=edition.region_id, edition=edition))
    return get_object_or_404(queryset, code=code)


def section_for(edition: Edition, key: str) -> Section:
    return get_object_or_404(Section.objects.filter(region_id=edition.region_id, edition=edition), key=key)


@dataclass
class PlanData:
    """An edition's document, plan check and figures, read from its stored summary
    (:mod:`kotacerdas.plans.summaries`): a page reads them, it does not compute them."""

    edition: Edition
    summary: EditionSummary
    report: CheckReport
    findings_by_programme: dict[str, list[Finding]] = field(default_factory=dict)

    @property
    def doc(self) -> dict[str, Any]:
        return self.summary.document

    @property
    def programmes(self) -> list[dict[str, Any]]:
        return list(self.doc["programmes"])

    @property
    def totals(self) -> BudgetTotals:
        return summaries.totals_of(self.summary)

    def dimension_names(self) -> dict[str, str]:
        return dict(self.summary.figures["dimension_names"])

    def element_names(self) -> dict[str, str]:
        return dict(self.summary.figures["element_names"])


def check_document(edition: Edition) -> dict[str, Any]:
    """The document the plan check reads: the edition's interchange document and the confirmed
    quick-win selections over it (rule PC022 compares the quick-win flags with them)."""
    from kotacerdas.quickwins.selectors import confirmed_selections

    doc = edition_document(edition)
    doc["quick_win_selections"] = confirmed_selections(edition)
    doc["sipd"] = sipd_context(doc, edition.region_id)
    return doc


def sipd_context(doc: dict[str, Any], region_id: int) -> dict[str, Any]:
    """What the SIPD rules (PC037, PC038) need beside the plan, in three queries: the code list
    in force in the edition's year, which of the plan's codes it holds, the region's setting."""
    year = (doc.get("edition") or {}).get("year")
    table = sipd.table_for_year(year if isinstance(year, int) else None)
    codes = set()
    for p in doc.get("programmes") or []:
        codes.add(p.get("permendagri_code") or "")
        codes.update(b.get("sub_activity_code") or "" for b in p.get("budgets") or [])
    required = Region.objects.filter(pk=region_id).values_list("requires_sipd_codes", flat=True).first()
    return {
        "version": table.label if table else None,
        "known": sorted(sipd.known_codes(table, codes)),
        "required": bool(required),
    }


def plan_data(edition: Edition, *, document: bool = True) -> PlanData:
    """The edition's stored summary (one query while it is fresh). ``document=False`` for pages
    that show findings and figures but not the document itself."""
    summary = summaries.summary_of(edition, document=document)
    report = summaries.report_of(summary)
    return PlanData(edition, summary, report, report.by_programme())


def thread_counts(edition: Edition) -> dict[str, dict[Any, int]]:
    """Open threads per section id and per programme id (one query)."""
    counts: dict[str, dict[Any, int]] = {"section": defaultdict(int), "programme": defaultdict(int)}
    rows = ReviewThread.objects.filter(region_id=edition.region_id, edition=edition, status=ThreadStatus.OPEN)
    for section_id, programme_id in rows.values_list("section_id", "programme_id"):
        if section_id:
            counts["section"][section_id] += 1
        else:
            counts["programme"][programme_id] += 1
    return counts


def threads(
    edition: Edition, *, section: Section | None = None, programme: Programme | None = None, status: str | None = None
) -> QuerySet[ReviewThread]:
    """Threads of the edition (optionally of one anchor / status) with their comments prefetched."""
    queryset = (
        ReviewThread.objects.filter(region_id=edition.region_id, edition=edition)
        .select_related("section", "programme", "resolved_by")
        .prefetch_related(Prefetch("comments", queryset=ReviewComment.objects.select_related("author")))
    )
    if section is not None:
        queryset = queryset.filter(section=section)
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def dispositions(edition: Edition) -> list[Disposition]:
    return list(
        Disposition.objects.filter(region_id=edition.region_id, edition=edition)
        .select_related("previous_programme__dimension", "programme__dimension", "merged_into")
        .order_by("previous_programme__dimension__order", "previous_programme__code", "programme__code", "id")
    )


def sipd_export(edition: Edition) -> list[list[Any]]:
    """The edition's programmes in the SIPD layout (``plans.exports.sipd_table``), their codes
    named from the code list of the edition's year (a fixed number of queries)."""
    from kotacerdas.plans import exports

    doc = plan_data(edition).doc
    table = sipd.table_for_year(edition.year)
    return exports.sipd_table(doc, sipd.names(table, exports.codes_of(doc)))
