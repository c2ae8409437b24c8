"""Results: scores with their explanation, charts, ranked gaps, targets, comparison of two runs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.access import Can
from kotacerdas.assessments import charts, selectors
from kotacerdas.assessments.forms import ProposalForm, TargetsForm
from kotacerdas.assessments.models import GapProposal
from kotacerdas.assessments.services import runs as services
from kotacerdas.assessments.views.common import base_context, run_of
from kotacerdas.lib.forms import submit
from kotacerdas.lib.pagecache import region_page


def _charts(
    result: selectors.RunResult, other: selectors.RunResult | None = None, peers: selectors.Peers | None = None
) -> dict[str, str]:
    sections = result.tree.children
    axes = [s.label for s in sections]
    series = [charts.Series(f"{result.run.year}", [s.score for s in sections])]
    if peers is not None and peers.shown:
        name = _("median of %(size)s regions (%(n)s)") % {"size": peers.size_class, "n": peers.regions}
        series.append(charts.Series(name, [peers.sections.get(s.code) for s in sections]))
    if other is not None:
        by_code = {s.code: s.score for s in other.tree.children}
        series.insert(0, charts.Series(f"{other.run.year}", [by_code.get(s.code) for s in sections]))
    title = _("Score per section (0-100)")
    main = charts.radar(axes, series, title) if len(axes) >= 3 else charts.bars(axes, series, title)
    elements = [e for s in sections for e in s.children]
    element_series = [charts.Series(f"{result.run.year}", [e.score for e in elements])]
    if other is not None:
        other_elements = {e.code: e.score for s in other.tree.children for e in s.children}
        element_series.insert(0, charts.Series(f"{other.run.year}", [other_elements.get(e.code) for e in elements]))
    bars = charts.bars([e.code for e in elements], element_series, _("Score per element (0-100)"))
    # Both are built from escaped labels in charts.py.
    return {"radar": mark_safe(main), "bars": mark_safe(bars)}  # noqa: S308


@login_required
@region_page
def results(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, run = run_of(request, code, pk)
    result = selectors.run_result(run)
    others = [r for r in selectors.runs_for_region(region) if r.template.code == run.template.code and r.pk != run.pk]
    peers = selectors.size_class_peers(run)
    medians = peers.sections if peers else {}
    sections = [
        (s, result.level_of(s), [(e, result.level_of(e)) for e in s.children], medians.get(s.code))
        for s in result.tree.children
    ]
    context = base_context(
        request,
        region,
        run,
        result=result,
        sections=sections,
        charts=_charts(result, peers=peers),
        others=others,
        peers=peers,
        analysis=selectors.analysis(run, result) if run.template.kind == "readiness" else None,
    )
    return render(request, "assessments/results.html", context)


@login_required
def gaps(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, run = run_of(request, code, pk)
    result = selectors.run_result(run)
    proposals = list(GapProposal.objects.filter(region=region, run=run))
    editions = _plan_editions(region)
    rows = [(gap, ProposalForm(initial={"element": gap.code}, prefix=gap.code)) for gap in result.gaps]
    context = base_context(request, region, run, result=result, rows=rows, proposals=proposals, editions=editions)
    return render(request, "assessments/gaps.html", context)


def _plan_editions(region: Any) -> list[Any]:
    """The region's editions still open to new programmes (not adopted), newest first."""
    try:
        from kotacerdas.plans.models import Edition, EditionStatus
    except ImportError:  # the master plan app is optional for this capability
        return []
    return list(Edition.objects.filter(region=region).exclude(status=EditionStatus.ADOPTED).order_by("-year")[:3])


def _gap_and_evidence(run: Any, element: str) -> tuple[Any, list[dict[str, Any]]]:
    """The gap of ``element`` (404 if it has none) and the items and evidence behind it."""
    result = selectors.run_result(run)
    gap = next((g for g in result.gaps if g.code == element), None)
    if gap is None:
        raise Http404("No such gap.")
    item_codes = [i.code for s in result.tree.children for e in s.children if e.code == element for i in e.children]
    evidence = [{"item": c, **ev} for c in item_codes for ev in result.evidence.get(c, [])]
    return gap, evidence or [{"item": c} for c in item_codes]


@login_required
@require_POST
def propose(request: HttpRequest, code: str, pk: int, element: str) -> HttpResponse:
    _region, run = run_of(request, code, pk, Can.EDIT)
    gap, evidence = _gap_and_evidence(run, element)
    form = ProposalForm(request.POST, prefix=element)
    saved = submit(
        request,
        form,
        lambda data: services.propose_from_gap(
            actor=request.user,
            run=run,
            gap=gap,
            dimension=gap.section,
            kind=data["kind"],
            note=data.get("note") or "",
            evidence=evidence,
        ),
    )
    if saved:
        messages.success(request, _("Gap queued for the master plan with its evidence."))
    else:
        messages.error(request, _("The proposal could not be saved."))
    return redirect("assessments:gaps", code, pk)


@login_required
@require_POST
def draft_strategy(request: HttpRequest, code: str, pk: int, element: str, year: int) -> HttpResponse:
    """Start a draft strategy for the gap in an open edition of the region's master plan."""
    region, run = run_of(request, code, pk, Can.EDIT)
    edition = next((e for e in _plan_editions(region) if e.year == year), None)
    if edition is None:
        raise Http404("No open edition of that year.")
    gap, evidence = _gap_and_evidence(run, element)
    try:
        services.draft_strategy_from_gap(
            actor=request.user, run=run, gap=gap, edition=edition, note=request.POST.get("note", ""), evidence=evidence
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:gaps", code, pk)
    messages.success(
        request, _("Draft strategy added to the %(year)s master plan; the gap keeps its evidence.") % {"year": year}
    )
    return redirect("plans:section", code, year, "b2-strategies")


@login_required
def targets(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, run = run_of(request, code, pk, Can.EDIT)
    result = selectors.run_result(run)
    top = max(result.level_names or {5: ""})
    elements = []
    for s in result.tree.children:
        for e in s.children:
            level = result.level_of(e) or 1
            elements.append((e.code, e.label, int(run.targets.get(e.code, min(level + 1, top)))))
    form = TargetsForm(request.POST or None, elements=elements, top=top, initial={"version": run.version})
    saved = submit(
        request,
        form,
        lambda data: services.set_targets(
            actor=request.user,
            run=run,
            targets={k[2:]: v for k, v in data.items() if k.startswith("t_") and v is not None},
            expected_version=data["version"],
        ),
    )
    if saved:
        messages.success(request, _("Targets saved."))
        return redirect("assessments:gaps", code, pk)
    context = base_context(request, region, run, form=form, title=_("Target level per element"))
    context["cancel_url"] = reverse("assessments:gaps", args=[code, pk])
    status = 409 if getattr(form, "conflict", False) else 200
    return render(request, "assessments/form.html", context, status=status)


@login_required
def compare(request: HttpRequest, code: str, pk: int, other_pk: int) -> HttpResponse:
    """Two runs of the same template and region side by side: what improved, what fell back."""
    region, run = run_of(request, code, pk)
    other = selectors.run_for(region, other_pk)
    if other.template.code != run.template.code:
        raise Http404("Runs of different templates cannot be compared.")
    result, before = selectors.run_result(run), selectors.run_result(other)
    old = {n.code: n.score for n in before.tree.walk() if n.kind in ("section", "element")}
    rows = [
        (n, old.get(n.code), None if n.score is None or old.get(n.code) is None else n.score - (old[n.code] or 0))
        for n in result.tree.walk()
        if n.kind in ("section", "element")
    ]
    context = base_context(
        request, region, run, other=other, result=result, before=before, rows=rows, charts=_charts(result, before)
    )
    return render(request, "assessments/compare.html", context)
