"""Programmes: the table with filters, detail, and editing with budgets, indicators and the
action plan. Edits carry the programme's version and a signed copy of what the editor saw, so a
stale save is refused (409) with a view of what changed in between."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kotacerdas.accounts.access import Can
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.lib.forms import submit
from kotacerdas.lib.htmx import render_page
from kotacerdas.lib.pagecache import region_page
from kotacerdas.plans import changelog, figures, selectors, services
from kotacerdas.plans.forms import (
    ActionItemFormSet,
    BudgetFormSet,
    ChildrenVersionForm,
    IndicatorFormSet,
    ProgrammeForm,
    ThreadForm,
    read_baseline,
    sign_baseline,
)
from kotacerdas.plans.models import DispositionKind, Edition, Programme
from kotacerdas.plans.serialise import programme_data, programme_snapshot
from kotacerdas.plans.views.common import base_context, edition_of, form_page
from kotacerdas.regions.models import Region


def _filters(request: HttpRequest) -> figures.ProgrammeFilter:
    get = request.GET
    return figures.ProgrammeFilter(
        dimension=get.get("dimensi", ""),
        opd=get.get("opd", ""),
        horizon=get.get("horizon", ""),
        status=get.get("status", ""),
        finding=get.get("temuan", ""),
        q=get.get("q", ""),
    )


@login_required
@region_page
def programme_list(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    data = selectors.plan_data(edition)
    chosen = _filters(request)
    rows = figures.filter_programmes(data.programmes, chosen, data.findings_by_programme)
    opds = sorted({p["lead_opd"] for p in data.programmes if p["lead_opd"]})
    context = base_context(
        request,
        region,
        edition,
        data=data,
        rows=rows,
        filters=chosen,
        opd_choices=opds,
        dimension_names=data.dimension_names(),
        element_names=data.element_names(),
        total=sum(figures.programme_total(p) for p in rows),
    )
    return render_page(request, "plans/programme_list.html", "plans/_programme_table.html", context)


def _conflict_changes(form: forms.BaseForm, programme: Programme) -> list[tuple[str, str, str]]:
    """What changed between the version the editor opened and the current one."""
    baseline = read_baseline(form.data.get(form.add_prefix("baseline")) if form.is_bound else None)
    if baseline is None:
        return []
    current = programme_snapshot(programme)
    words = changelog.translated_wording()
    before, after = changelog.programme_fields(baseline, words), changelog.programme_fields(current, words)
    return changelog.diff_fields(before, after)


def _programme_page(
    request: HttpRequest,
    region: Region,
    edition: Edition,
    form: forms.BaseForm,
    title: str,
    cancel: str,
    programme: Programme | None = None,
    **extra: Any,
) -> HttpResponse:
    conflict = _conflict_changes(form, programme) if programme and getattr(form, "conflict", False) else []
    return form_page(request, region, edition, form, title, cancel, conflict_changes=conflict, **extra)


@login_required
def programme_create(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, edition = edition_of(request, code, year, Can.EDIT)
    initial: dict[str, Any] = {
        "start_year": edition.start_year,
        "end_year": min(edition.end_year, edition.start_year + 2),
    }
    if request.GET.get("dimensi"):
        initial["dimension"] = edition.taxonomy.entries.filter(code=request.GET["dimensi"], parent=None).first()
    form = ProgrammeForm(request.POST or None, edition=edition, initial=initial)

    @transaction.atomic
    def save(data: dict[str, Any]) -> Programme:
        years = data.pop("quick_win_years", [])
        programme = services.create_programme(actor=request.user, edition=edition, data=data)
        if years:
            programme = services.set_quick_win_years(
                actor=request.user, programme=programme, years=years, expected_version=programme.version
            )
        return programme

    programme = submit(request, form, save)
    if programme:
        messages.success(request, _("Programme added. Now give it a budget and indicators."))
        return redirect("plans:programme", code, year, programme.code)
    return form_page(
        request, region, edition, form, _("Add a programme"), reverse("plans:programmes", args=[code, year])
    )


@login_required
def programme_detail(request: HttpRequest, code: str, year: int, pcode: str) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    programme = selectors.programme_for(edition, pcode)
    data = selectors.plan_data(edition, document=False)
    doc = programme_data(programme)
    context = base_context(
        request,
        region,
        edition,
        programme=programme,
        p=doc,
        findings=data.findings_by_programme.get(pcode, []),
        dimension_names=data.dimension_names(),
        element_names=data.element_names(),
        threads=list(selectors.threads(edition, programme=programme)),
        thread_form=ThreadForm(),
        total=figures.programme_total(doc),
        dispositions=list(programme.dispositions.select_related("previous_programme")),
    )
    return render(request, "plans/programme_detail.html", context)


@login_required
def programme_edit(request: HttpRequest, code: str, year: int, pcode: str) -> HttpResponse:
    region, edition = edition_of(request, code, year, Can.EDIT)
    programme = selectors.programme_for(edition, pcode)
    form = ProgrammeForm(
        request.POST or None,
        instance=programme,
        edition=edition,
        initial={"baseline": sign_baseline(programme_data(programme))},
    )

    @transaction.atomic
    def save(data: dict[str, Any]) -> Programme:
        years = data.pop("quick_win_years", [])
        data.pop("baseline", None)
        saved = services.update_programme(
            actor=request.user, programme=programme, data=data, expected_version=data["version"]
        )
        if sorted(years) != sorted(q.year for q in programme.quick_wins.all()):
            saved = services.set_quick_win_years(
                actor=request.user, programme=saved, years=years, expected_version=saved.version
            )
        return saved

    saved = submit(request, form, save)
    if saved:
        messages.success(request, _("Programme saved."))
        return redirect("plans:programme", code, year, saved.code)
    return _programme_page(
        request,
        region,
        edition,
        form,
        _("Edit programme %(code)s") % {"code": programme.code},
        reverse("plans:programme", args=[code, year, pcode]),
        programme,
    )


def _what_goes_with(programme: Programme) -> list[str]:
    """What deleting ``programme`` also deletes or unlinks, one sentence per kind (none: empty)."""
    n = [
        programme.budgets.count(),
        programme.indicators.count(),
        programme.action_items.count(),
        programme.quick_wins.count(),
        programme.dispositions.exclude(kind=DispositionKind.NEW).count(),
        programme.threads.count(),
        programme.dependents.count(),
    ]
    texts = [
        ngettext("%(n)s budget line", "%(n)s budget lines", n[0]),
        ngettext("%(n)s indicator with its targets", "%(n)s indicators with their targets", n[1]),
        ngettext("%(n)s action plan item", "%(n)s action plan items", n[2]),
        ngettext("%(n)s quick-win year", "%(n)s quick-win years", n[3]),
        ngettext(
            "%(n)s review disposition (it stays, without this programme)",
            "%(n)s review dispositions (they stay, without this programme)",
            n[4],
        ),
        ngettext("%(n)s comment thread", "%(n)s comment threads", n[5]),
        ngettext(
            "%(n)s programme that depends on it (the dependency is removed)",
            "%(n)s programmes that depend on it (the dependencies are removed)",
            n[6],
        ),
    ]
    return [text % {"n": count} for text, count in zip(texts, n, strict=True) if count]


@login_required
def programme_delete(request: HttpRequest, code: str, year: int, pcode: str) -> HttpResponse:
    """GET asks (what goes with the programme); POST with the programme's version deletes."""
    region, edition = edition_of(request, code, year, Can.EDIT)
    programme = selectors.programme_for(edition, pcode)
    form = ChildrenVersionForm(request.POST or None, initial={"version": programme.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_programme(
                actor=request.user, programme=programme, expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            form.add_error(None, error)
            status = 400
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
            status = 409
        else:
            messages.success(request, _("Programme %(code)s removed.") % {"code": pcode})
            return redirect("plans:programmes", code, year)
    if form.conflict:
        status = 409
    context = base_context(
        request,
        region,
        edition,
        programme=programme,
        form=form,
        goes_with=_what_goes_with(programme),
        cancel_url=reverse("plans:programme", args=[code, year, pcode]),
    )
    return render(request, "plans/programme_delete.html", context, status=status)


# Children: budgets, indicators, action plan ------------------------------------------------


def _children_page(
    request: HttpRequest,
    code: str,
    year: int,
    pcode: str,
    *,
    formset_class: Any,
    initial: Callable[[Programme], list],
    to_rows: Callable[[list[dict[str, Any]], list[int]], list[dict[str, Any]]],
    service: Callable[..., Programme],
    key: str,
    title: str,
    template: str,
    with_edition: bool,
) -> HttpResponse:
    """One page that edits a programme's list of budget lines, indicators or action items.

    ``to_rows`` turns the cleaned forms into the rows the service takes and returns the form
    index of each row, so service errors keyed ``<key>.<n>.<field>`` land on the right form.
    """
    region, edition = edition_of(request, code, year, Can.EDIT)
    programme = selectors.programme_for(edition, pcode)
    extra = {"edition": edition} if with_edition else {}
    meta = ChildrenVersionForm(
        request.POST or None,
        initial={"version": programme.version, "baseline": sign_baseline(programme_data(programme))},
    )
    formset = formset_class(request.POST or None, initial=initial(programme), prefix=key, **extra)
    conflict: list[tuple[str, str, str]] = []
    status = 200
    if request.method == "POST" and not (meta.is_valid() and formset.is_valid()):
        status = 409 if meta.conflict else 400
    elif request.method == "POST":
        forms_kept = formset.kept_forms()
        index: list[int] = []
        rows = to_rows([f.cleaned_data | {"_form": f} for f in forms_kept], index)
        try:
            service(
                actor=request.user,
                programme=programme,
                expected_version=meta.cleaned_data["version"],
                **{key: rows},
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # about the whole programme, e.g. its edition is frozen
                error = ValidationError({NON_FIELD_ERRORS: error.messages})
            for name, errors in error.message_dict.items():
                parts = name.split(".")
                if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(index):
                    target = forms_kept[index[int(parts[1])]]
                    field = parts[2] if parts[2] in target.fields and parts[2] != "id" else None
                    target.add_error(field, errors)
                else:
                    meta.add_error(None, errors)
            status = 400
        except EditConflict as exc:
            meta.add_error(None, str(exc))
            conflict = _conflict_changes(meta, programme)
            status = 409
        else:
            messages.success(request, _("Saved."))
            return redirect("plans:programme", code, year, pcode)
    formset.describe_rows()
    context = base_context(
        request,
        region,
        edition,
        programme=programme,
        formset=formset,
        meta=meta,
        title=title,
        conflict_changes=conflict,
        cancel_url=reverse("plans:programme", args=[code, year, pcode]),
    )
    return render(request, template, context, status=status)


def _budget_rows(cleaned: list[dict[str, Any]], index: list[int]) -> list[dict[str, Any]]:
    index.extend(range(len(cleaned)))
    return [{k: c.get(k) for k in ("id", "year", "source", "amount", "note", "sub_activity_code")} for c in cleaned]


@login_required
def programme_budgets(request: HttpRequest, code: str, year: int, pcode: str) -> HttpResponse:
    return _children_page(
        request,
        code,
        year,
        pcode,
        formset_class=BudgetFormSet,
        initial=lambda p: [
            {
                "id": b.pk,
                "year": b.year,
                "source": b.source,
                "amount": int(b.amount),
                "note": b.note,
                "sub_activity_code": b.sub_activity_code,
            }
            for b in p.budgets.all()
        ],
        to_rows=_budget_rows,
        service=services.set_budgets,
        key="lines",
        title=_("Budget of %(code)s") % {"code": pcode},
        template="plans/programme_budgets.html",
        with_edition=False,
    )


def _indicator_initial(programme: Programme) -> list[dict[str, Any]]:
    out = []
    for i in programme.indicators.all():
        row: dict[str, Any] = {
            "id": i.pk,
            "name": i.name,
            "kind": i.kind,
            "unit": i.unit,
            "direction": i.direction,
            "baseline": i.baseline,
            "baseline_year": i.baseline_year,
            "data_producer": i.data_producer_id,
        }
        for t in i.targets.all():
            key = "undated" if t.year is None else t.year
            row[f"target_{key}"] = t.value
            row[f"upper_{key}"] = t.upper
        out.append(row)
    return out


def _indicator_rows(cleaned: list[dict[str, Any]], index: list[int]) -> list[dict[str, Any]]:
    index.extend(range(len(cleaned)))
    rows = []
    for c in cleaned:
        fields = ("id", "name", "kind", "unit", "direction", "baseline", "baseline_year", "data_producer")
        row = {k: c.get(k) for k in fields}
        row["targets"] = c["_form"].targets()
        rows.append(row)
    return rows


@login_required
def programme_indicators(request: HttpRequest, code: str, year: int, pcode: str) -> HttpResponse:
    return _children_page(
        request,
        code,
        year,
        pcode,
        formset_class=IndicatorFormSet,
        initial=_indicator_initial,
        to_rows=_indicator_rows,
        service=services.set_indicators,
        key="indicators",
        title=_("Indicators of %(code)s") % {"code": pcode},
        template="plans/programme_indicators.html",
        with_edition=True,
    )


def _action_rows(cleaned: list[dict[str, Any]], index: list[int]) -> list[dict[str, Any]]:
    index.extend(range(len(cleaned)))
    fields = ("id", "activity", "starts_on", "ends_on", "person_in_charge", "opd", "output")
    return [{k: c.get(k) for k in fields} for c in cleaned]


@login_required
def programme_actions(request: HttpRequest, code: str, year: int, pcode: str) -> HttpResponse:
    return _children_page(
        request,
        code,
        year,
        pcode,
        formset_class=ActionItemFormSet,
        initial=lambda p: [
            {
                "id": a.pk,
                "activity": a.activity,
                "starts_on": a.starts_on,
                "ends_on": a.ends_on,
                "person_in_charge": a.person_in_charge,
                "opd": a.opd_id,
                "output": a.output,
            }
            for a in p.action_items.all()
        ],
        to_rows=_action_rows,
        service=services.set_action_items,
        key="items",
        title=_("Action plan of %(code)s") % {"code": pcode},
        template="plans/programme_actions.html",
        with_edition=True,
    )
