"""Stored summaries of editions: pages read the plan check and the figures, they do not compute them.

An edition's summary (:class:`~kotacerdas.plans.models.EditionSummary`) holds the document the
plan check reads (the interchange document with the confirmed quick-win selections), the
findings (rule, severity, message id, parameters, path, programme, dimension: the text is
rendered when read, in the reader's language), the counts by severity and the budget figures.

When it is stale. ``Edition.summary_stamp`` changes, in the same transaction, with every write
to anything the document is made of; a summary is used only while its ``stamp`` equals the
edition's and its ``format`` equals :data:`FORMAT`. The writers call :func:`touch` (one edition)
or :func:`touch_region` (the region's agencies and name, which every edition of the region
shows). The inputs, and who touches for them:

- the edition's own content (header, sections, SWOT, missions, goals, strategies, waivers,
  programmes and their budgets, indicators, targets, action items, quick-win flags,
  dependencies, dispositions): the plan services and the importer;
- the region's agencies (rules PC006, PC012 and the lead-agency figures) and the region header:
  ``regions.services``;
- the taxonomy's entries (codes and names): nobody needs to, an edition uses only a published
  taxonomy version and published versions never change (``frameworks.services`` edits drafts);
- the confirmed quick-win selections (rule PC022): ``quickwins.services``;
- the waivers of findings (``FindingWaiver``): ``plans.services.waivers``;
- the SIPD code lists (rule PC037): ``frameworks.sipd.load_sipd`` touches every edition (a new
  list may be the one of an edition's year); the region's ``requires_sipd_codes`` (PC038):
  ``regions.services.update_region``, through ``touch_region``.

When it is computed. Lazily, on the first read after a change (:func:`summary_of`), and stored
then, so the next reads of any app server find it: writes stay as fast as before (an import or
a bulk edit does not recompute per row), and an edition nobody opens costs nothing. The stamp
is read *before* the document, and the result is stored only if the stamp has not moved since,
so a write that lands during the computation leaves the summary stale rather than wrong. Two
readers racing after a change may both compute; that costs time once, never correctness.
``kotacerdas plan summaries --rebuild`` recomputes every summary (after a release that changes
the rules, or to warm a server).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from kotacerdas.plans.checks import CheckReport, Finding, Severity, apply_waivers, run_checks
from kotacerdas.plans.figures import BudgetTotals, budget_totals
from kotacerdas.plans.models import Edition, EditionSummary, FindingWaiver

# Raise when a rule, the document or the figures change shape: stored rows of an older format
# are recomputed on their next read.
FORMAT = 3  # 2: the mentor rules (PC030–PC036), findings' subject and waivers; 3: SIPD rules (PC037, PC038)


# Invalidation (called by the services, inside their transaction) ---------------------------


def touch(edition: Edition | int) -> None:
    """The edition's content changed: its summary is stale from this transaction's commit."""
    edition_id = edition if isinstance(edition, int) else edition.pk
    # updated_at too: documents generated before it are out of date (the region cockpit says so).
    Edition.objects.filter(pk=edition_id).update(summary_stamp=uuid.uuid4(), updated_at=timezone.now())


def touch_region(region_id: int) -> None:
    """Something every edition of the region shows changed (its agencies, its name)."""
    Edition.objects.filter(region_id=region_id).update(summary_stamp=uuid.uuid4(), updated_at=timezone.now())


# Findings as stored JSON --------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A parameter as JSON keeps it (numbers, text, lists); anything else as its text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return str(value)


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as stored: the message id and parameters, not the text (rendered when read)."""
    return {
        "rule": finding.rule,
        "severity": finding.severity.label,
        "message": finding.message,
        "params": {str(k): _plain(v) for k, v in (finding.params or {}).items()},
        "path": finding.path,
        "programme": finding.programme,
        "dimension": finding.dimension,
        "programme_name": finding.programme_name,
        "about": finding.about,
        "waiver": finding.waiver,
    }


def finding_from_json(data: dict[str, Any]) -> Finding:
    return Finding(
        rule=data["rule"],
        severity=Severity[str(data["severity"]).upper()],
        message=data["message"],
        params=dict(data.get("params") or {}),
        path=data.get("path") or "$",
        programme=data.get("programme"),
        dimension=data.get("dimension"),
        programme_name=data.get("programme_name"),
        about=data.get("about"),
        waiver=data.get("waiver"),
    )


# Figures as stored JSON (lists of pairs: PostgreSQL's jsonb does not keep the order of keys) --


def _rows(rows: dict[str, dict[int, int]]) -> list[list[Any]]:
    return [[key, sorted(row.items())] for key, row in rows.items()]


def _unrows(rows: list[list[Any]]) -> dict[str, dict[int, int]]:
    return {key: {int(year): amount for year, amount in row} for key, row in rows}


def totals_json(totals: BudgetTotals) -> dict[str, Any]:
    return {
        "years": totals.years,
        "total": totals.total,
        "by_year": sorted(totals.by_year.items()),
        "by_source": _rows(totals.by_source),
        "by_dimension": _rows(totals.by_dimension),
        "by_opd": _rows(totals.by_opd),
        "undated": totals.undated,
    }


def totals_from_json(data: dict[str, Any]) -> BudgetTotals:
    return BudgetTotals(
        years=[int(y) for y in data["years"]],
        total=data["total"],
        by_year={int(year): amount for year, amount in data["by_year"]},
        by_source=_unrows(data["by_source"]),
        by_dimension=_unrows(data["by_dimension"]),
        by_opd=_unrows(data["by_opd"]),
        undated=data.get("undated", 0),  # summaries stored before undated lines existed have none
    )


# Computing and reading ----------------------------------------------------------------------


WAIVER_FIELDS = ("id", "version", "rule", "subject", "reason", "waived_by_name", "waived_at")


def _waiver(row: dict[str, Any]) -> dict[str, Any]:
    """A waiver as the findings it silences carry it."""
    return {
        "id": row["id"],
        "version": row["version"],
        "reason": row["reason"],
        "by": row["waived_by_name"],
        "at": row["waived_at"].isoformat(),
    }


def _edition_and_waivers(edition_id: int) -> tuple[Edition, dict[tuple[str, str], dict[str, Any]]]:
    """The edition (its id and region) and its waivers by (rule, subject), in one query: the
    waivers are joined to the edition, so a new input of the check costs no extra query."""
    fields = [f"finding_waivers__{name}" for name in WAIVER_FIELDS]
    rows = list(Edition.objects.filter(pk=edition_id).values("region_id", *fields))
    if not rows:
        raise Edition.DoesNotExist
    waivers = {
        (row["finding_waivers__rule"], row["finding_waivers__subject"]): _waiver(
            {name: row[f"finding_waivers__{name}"] for name in WAIVER_FIELDS}
        )
        for row in rows
        if row["finding_waivers__id"] is not None
    }
    return Edition(pk=edition_id, region_id=rows[0]["region_id"]), waivers


def waivers_of(edition_id: int) -> dict[tuple[str, str], dict[str, Any]]:
    """The edition's waivers of findings by (rule, subject), as the findings carry them (one query)."""
    return {
        (row["rule"], row["subject"]): _waiver(row)
        for row in FindingWaiver.objects.filter(edition_id=edition_id).values(*WAIVER_FIELDS)
    }


def checked(edition: Edition) -> CheckReport:
    """The plan check on the edition as it is now, with its waivers applied (no summary read)."""
    from kotacerdas.plans.selectors import check_document

    return apply_waivers(run_checks(check_document(edition)), waivers_of(edition.pk))


def compute(edition_id: int, stamp: uuid.UUID) -> EditionSummary:
    """The summary of the edition as it is now (not saved)."""
    from kotacerdas.plans.selectors import check_document

    edition, waivers = _edition_and_waivers(edition_id)
    doc = check_document(edition)
    report = apply_waivers(run_checks(doc), waivers)
    dimensions = (doc.get("taxonomy") or {}).get("dimensions") or []
    figures = {
        "budget": totals_json(budget_totals(doc)),
        "programmes": len(doc.get("programmes") or []),
        "dimension_names": [[d["code"], d["name"]] for d in dimensions],
        "element_names": [[e["code"], e["name"]] for d in dimensions for e in d["elements"]],
    }
    return EditionSummary(
        edition_id=edition.pk,
        region_id=edition.region_id,
        stamp=stamp,
        format=FORMAT,
        document=doc,
        findings=[finding_json(f) for f in [*report.findings, *report.waived]],
        counts=report.counts(),
        figures=figures,
        computed_at=timezone.now(),
    )


def _store(summary: EditionSummary) -> None:
    """Keep the summary if the edition has not changed since its stamp was read."""
    with transaction.atomic():
        if not Edition.objects.filter(pk=summary.edition_id, summary_stamp=summary.stamp).exists():
            return
        # Replace rather than update: the same queries whether a row was there or not.
        EditionSummary.objects.filter(edition_id=summary.edition_id).delete()
        try:
            with transaction.atomic():
                summary.save(force_insert=True)
        except IntegrityError:  # another server stored it at the same moment: theirs is as good
            pass


def _current_stamp(edition_id: int) -> uuid.UUID:
    return Edition.objects.values_list("summary_stamp", flat=True).get(pk=edition_id)


def fresh(queryset: QuerySet[EditionSummary]) -> QuerySet[EditionSummary]:
    """Only the summaries that still describe their edition."""
    return queryset.filter(stamp=F("edition__summary_stamp"), format=FORMAT)


def summary_of(edition: Edition | int, *, document: bool = True) -> EditionSummary:
    """The edition's summary: one query when it is fresh, computed and stored when it is not.
    ``document=False`` leaves the stored document unread (pages that need only findings)."""
    edition_id = edition if isinstance(edition, int) else edition.pk
    queryset = fresh(EditionSummary.objects.filter(edition_id=edition_id))
    if not document:
        queryset = queryset.defer("document")
    found = queryset.first()
    if found is not None:
        return found
    summary = compute(edition_id, _current_stamp(edition_id))
    _store(summary)
    return summary


def summaries_of(editions: Iterable[Edition]) -> dict[int, EditionSummary]:
    """Summaries of many editions (a national view): one query for the fresh ones, without their
    documents; the stale ones are computed and stored one by one."""
    ids = [e.pk for e in editions]
    found = {s.edition_id: s for s in fresh(EditionSummary.objects.filter(edition_id__in=ids)).defer("document")}
    for edition_id in ids:
        if edition_id not in found:
            found[edition_id] = summary_of(edition_id, document=False)
    return found


def rebuild(editions: Iterable[Edition]) -> list[EditionSummary]:
    """Recompute and store the summaries of ``editions`` whatever their state."""
    out = []
    for edition in editions:
        summary = compute(edition.pk, _current_stamp(edition.pk))
        _store(summary)
        out.append(summary)
    return out


def report_of(summary: EditionSummary) -> CheckReport:
    findings = [finding_from_json(f) for f in summary.findings]
    return CheckReport([f for f in findings if not f.waiver], [f for f in findings if f.waiver])


def totals_of(summary: EditionSummary) -> BudgetTotals:
    return totals_from_json(summary.figures["budget"])
