"""Editions: the list, creating one, the overview (the plan as an outline by dimension), Buku 1
and Buku 2 sections with their review state, the content rows, and the review-edition start."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.lib.concurrency import EditConflict, posted_version
from kotacerdas.lib.confirm import ask_first, refuse_stale
from kotacerdas.lib.forms import submit
from kotacerdas.lib.pagecache import region_page
from kotacerdas.lib.security import allow_inline_style_attributes
from kotacerdas.plans import figures, selectors, services
from kotacerdas.plans.forms import (
    CONTENT_FORMS,
    EditionForm,
    ReviewEditionForm,
    SectionForm,
    SectionStateForm,
    ThreadForm,
)
from kotacerdas.plans.models import Book, Edition, ElementWaiver, Goal, Mission, Strategy, SwotItem
from kotacerdas.plans.services.editions import CONTENT_MODELS
from kotacerdas.plans.views.common import base_context, edition_of, form_page


@login_required
def index(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code)
    context = base_context(request, region, editions=selectors.editions(region))
    return render(request, "plans/index.html", context)


@login_required
def create(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code, Can.EDIT)
    form = EditionForm(request.POST or None)
    edition = submit(request, form, lambda data: services.create_edition(actor=request.user, region=region, data=data))
    if edition:
        messages.success(request, _("Edition created."))
        return redirect("plans:edition", code, edition.year)
    return form_page(request, region, None, form, _("Start a master plan edition"), reverse("plans:index", args=[code]))


@login_required
@region_page
def overview(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    data = selectors.plan_data(edition)
    sections = list(edition.sections.all())
    counts = selectors.thread_counts(edition)
    context = base_context(
        request,
        region,
        edition,
        data=data,
        doc=data.doc,
        outline=figures.outline(data.doc),
        totals=data.totals,
        quick_wins=quick_win_years(data.doc),
        book1=[s for s in sections if s.book == Book.ANALYSIS],
        book2=[s for s in sections if s.book == Book.PLAN],
        open_by_section=counts["section"],
        steps=list(edition.approval_steps.all()),
        reviews=list(edition.reviews.all()),
    )
    return render(request, "plans/overview.html", context)


def quick_win_years(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan's quick wins per year, each saying whether a confirmed selection round chose them."""
    from kotacerdas.quickwins.text import round_label

    confirmed = {s["budget_year"]: s for s in doc.get("quick_win_selections") or []}
    out = []
    for year, progs in figures.quick_wins_by_year(doc).items():
        found = confirmed.get(year)
        source = (
            _("Confirmed in %(round)s, result #%(n)s.")
            % {"round": round_label(found["round_year"], year), "n": found["result"]}
            if found
            else _("Marked in the plan; no confirmed selection round.")
        )
        out.append({"year": year, "programmes": progs, "source": source})
    return out


@login_required
def edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, edition = edition_of(request, code, year, Can.EDIT)
    form = EditionForm(request.POST or None, instance=edition)
    saved = submit(
        request,
        form,
        lambda data: services.update_edition(
            actor=request.user, edition=edition, data=data, expected_version=data["version"]
        ),
    )
    if saved:
        messages.success(request, _("Edition saved."))
        return redirect("plans:edition", code, saved.year)
    return form_page(request, region, edition, form, _("Edit edition"), reverse("plans:edition", args=[code, year]))


@login_required
def start_review(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Start a new edition from this one: content and programmes are carried with a disposition."""
    region, previous = edition_of(request, code, year, Can.EDIT)
    initial = {
        "year": previous.year + 5,
        "title": _("Review of the %(title)s") % {"title": previous.title},
        "start_year": previous.end_year + 1,
        "end_year": previous.end_year + 5,
    }
    form = ReviewEditionForm(request.POST or None, initial=initial)
    edition = submit(
        request, form, lambda data: services.start_review_edition(actor=request.user, previous=previous, data=data)
    )
    if edition:
        messages.success(
            request,
            _("Review edition started. Set a disposition for every programme carried from %(year)s.")
            % {"year": previous.year},
        )
        return redirect("plans:dispositions", code, edition.year)
    return form_page(
        request,
        region,
        previous,
        form,
        _("Start a review edition from %(title)s") % {"title": previous.title},
        reverse("plans:edition", args=[code, year]),
        submit_label=_("Start the review edition"),
    )


# Sections -----------------------------------------------------------------------------------


@login_required
def section(request: HttpRequest, code: str, year: int, key: str) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    sec = selectors.section_for(edition, key)
    context = base_context(
        request,
        region,
        edition,
        section=sec,
        threads=list(selectors.threads(edition, section=sec)),
        thread_form=ThreadForm(),
        content=_section_content(edition, key),
    )
    return render(request, "plans/section.html", context)


def _section_content(edition: Edition, key: str) -> dict[str, Any]:
    """The structured rows shown under a chapter (SWOT, missions and goals, strategies, waivers)."""
    if key == "b1-swot":
        return {"swot": list(SwotItem.objects.filter(edition=edition).select_related("component"))}
    if key == "b2-vision":
        return {
            "missions": list(Mission.objects.filter(edition=edition)),
            "goals": list(Goal.objects.filter(edition=edition).select_related("mission")),
        }
    if key == "b2-strategies":
        return {
            "strategies": list(Strategy.objects.filter(edition=edition).select_related("dimension", "element", "goal")),
            "waivers": list(ElementWaiver.objects.filter(edition=edition).select_related("element")),
        }
    return {}


@login_required
@allow_inline_style_attributes  # TinyMCE writes style attributes (decision 0010)
def section_edit(request: HttpRequest, code: str, year: int, key: str) -> HttpResponse:
    region, edition = edition_of(request, code, year, Can.EDIT)
    sec = selectors.section_for(edition, key)
    form = SectionForm(request.POST or None, instance=sec)
    saved = submit(
        request,
        form,
        lambda data: services.update_section(
            actor=request.user, section=sec, data=data, expected_version=data["version"]
        ),
    )
    if saved:
        messages.success(request, _("Chapter saved."))
        return redirect("plans:section", code, year, key)
    return form_page(
        request,
        region,
        edition,
        form,
        _("Edit chapter: %(title)s") % {"title": sec.title},
        reverse("plans:section", args=[code, year, key]),
    )


@login_required
@require_POST
def section_state(request: HttpRequest, code: str, year: int, key: str) -> HttpResponse:
    """Reviewers move a chapter to reviewed/endorsed (or back to draft); editors mark it revised."""
    region, edition = edition_of(request, code, year)
    if not access.may_comment(request.user, region):
        raise PermissionDenied
    sec = selectors.section_for(edition, key)
    form = SectionStateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        as_reviewer = bool(access.section_review_role(request.user, region, data["state"]))
        result = submit(
            request,
            form,
            lambda d: services.set_section_state(
                actor=request.user,
                section=sec,
                state=d["state"],
                as_reviewer=as_reviewer,
                expected_version=d["version"],
            ),
        )
        if result:
            messages.success(request, _("Review state: %(state)s.") % {"state": result.get_review_state_display()})
            return redirect("plans:section", code, year, key)
    for error in [*form.non_field_errors(), *form.errors.get("state", [])]:
        messages.error(request, str(error))
    return redirect("plans:section", code, year, key)


# Content rows (SWOT, missions, goals, strategies, waivers) --------------------------------------

CONTENT_HOME = {
    "swot": "b1-swot",
    "mission": "b2-vision",
    "goal": "b2-vision",
    "strategy": "b2-strategies",
    "waiver": "b2-strategies",
}
CONTENT_TITLES = {
    "swot": (gettext_lazy("Add a SWOT item"), gettext_lazy("Edit SWOT item")),
    "mission": (gettext_lazy("Add a mission"), gettext_lazy("Edit mission")),
    "goal": (gettext_lazy("Add a goal"), gettext_lazy("Edit goal")),
    "strategy": (gettext_lazy("Add a strategy"), gettext_lazy("Edit strategy")),
    "waiver": (gettext_lazy("Waive an element"), gettext_lazy("Edit waiver")),
}


def _content_kind(kind: str) -> str:
    if kind not in CONTENT_MODELS:
        raise Http404("Unknown content.")
    return kind


@login_required
def content_form(request: HttpRequest, code: str, year: int, kind: str, pk: int | None = None) -> HttpResponse:
    region, edition = edition_of(request, code, year, Can.EDIT)
    kind = _content_kind(kind)
    model, _fields = CONTENT_MODELS[kind]
    row = get_object_or_404(model.objects.filter(region=region, edition=edition), pk=pk) if pk else None
    form = CONTENT_FORMS[kind](request.POST or None, instance=row, edition=edition)  # type: ignore[call-arg]
    saved = submit(
        request,
        form,
        lambda data: services.save_content(
            actor=request.user, edition=edition, kind=kind, data=data, row=row, expected_version=data["version"]
        ),
    )
    back = reverse("plans:section", args=[code, year, CONTENT_HOME[kind]])
    if saved:
        messages.success(request, _("Saved."))
        return redirect(back)
    title = str(CONTENT_TITLES[kind][1 if row else 0])
    delete_url = reverse("plans:content_delete", args=[code, year, kind, row.pk]) if row else None
    return form_page(
        request, region, edition, form, title, back, delete_url=delete_url, delete_version=row.version if row else None
    )


@login_required
@require_POST
def content_delete(request: HttpRequest, code: str, year: int, kind: str, pk: int) -> HttpResponse:
    region, edition = edition_of(request, code, year, Can.EDIT)
    kind = _content_kind(kind)
    model, _fields = CONTENT_MODELS[kind]
    row = get_object_or_404(model.objects.filter(region=region, edition=edition), pk=pk)
    back = reverse("plans:section", args=[code, year, CONTENT_HOME[kind]])
    what = f"“{row}”"
    asked = ask_first(request, what=what, cancel_url=back, version=row.version)
    if asked is not None:
        return asked
    try:
        services.delete_content(actor=request.user, edition=edition, row=row, expected_version=posted_version(request))
        messages.success(request, _("Removed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except EditConflict:
        return refuse_stale(request, what=what, cancel_url=back)
    return redirect("plans:section", code, year, CONTENT_HOME[kind])
