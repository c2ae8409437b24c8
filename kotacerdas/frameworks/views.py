"""Reference framework pages. Reading is open to every signed-in user; changing is for the ministry.

Frameworks are programme-wide, not region data, so there is no region to reach first: write views
check ``access.require_ministry`` before fetching anything (403 for everyone else), then fetch by
primary key (404 when it is not there). Changes go to a draft version only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.frameworks import selectors, services
from kotacerdas.frameworks.forms import DraftForm, EntryForm
from kotacerdas.frameworks.models import Framework, FrameworkEntry
from kotacerdas.frameworks.rules import NUMBERS_BY_KIND
from kotacerdas.lib.concurrency import EditConflict, posted_version
from kotacerdas.lib.confirm import ask_first, refuse_stale
from kotacerdas.lib.forms import submit


def _may_change(user: Any) -> bool:
    """Whether to offer the ministry's actions; every write still asks the access layer itself."""
    return access.is_ministry(user)


def _detail_url(framework: Framework, anchor: str = "") -> str:
    url = reverse("frameworks:detail", args=[framework.pk])
    return f"{url}#{anchor}" if anchor else url


def _refuse_published(request: HttpRequest, framework: Framework) -> HttpResponse:
    messages.error(request, _("A published version cannot be changed; start a new draft."))
    return redirect(_detail_url(framework))


def _form_page(
    request: HttpRequest, framework: Framework, form: forms.BaseForm, title: str, submit_label: str | None = None
) -> HttpResponse:
    context = {
        "framework": framework,
        "form": form,
        "title": title,
        "cancel_url": _detail_url(framework),
        "submit_label": submit_label,
    }
    status = 409 if getattr(form, "conflict", False) else 200
    return render(request, "frameworks/form.html", context, status=status)


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    context = {"groups": selectors.framework_groups(), "may_change": _may_change(request.user)}
    return render(request, "frameworks/list.html", context)


def _detail_page(request: HttpRequest, framework: Framework, publish_errors: list[str] | None = None) -> HttpResponse:
    detail = selectors.version_detail(framework)
    may_change = _may_change(request.user)
    context = {
        "framework": framework,
        "detail": detail,
        "problems": [] if framework.is_published else services.publish_problems(framework),
        "publish_errors": publish_errors or [],
        "may_change": may_change,
        "editable": may_change and not framework.is_published,
        "numbers": NUMBERS_BY_KIND.get(framework.kind, ()),
    }
    return render(request, "frameworks/detail.html", context)


@login_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, get_object_or_404(selectors.with_entries(), pk=pk))


@login_required
@require_POST
def start_draft(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_ministry(request.user)
    source = get_object_or_404(Framework, pk=pk)
    try:
        draft = services.start_draft(actor=request.user, source=source)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_detail_url(source))
    messages.success(
        request,
        _("Draft version %(version)s started from version %(source)s. Change it, then publish it.")
        % {"version": draft.version, "source": source.version},
    )
    return redirect(_detail_url(draft))


@login_required
def edit_draft(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_ministry(request.user)
    framework = get_object_or_404(Framework, pk=pk)
    if framework.is_published:
        return _refuse_published(request, framework)
    form = DraftForm(request.POST or None, instance=framework)
    if submit(request, form, lambda data: services.update_draft(actor=request.user, framework=framework, data=data)):
        messages.success(request, _("Draft saved."))
        return redirect(_detail_url(framework))
    return _form_page(
        request, framework, form, _("Edit the title and source of version %(version)s") % {"version": framework.version}
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_ministry(request.user)
    framework = get_object_or_404(selectors.with_entries(), pk=pk)
    try:
        services.publish(actor=request.user, framework=framework)
    except ValidationError as error:
        return _detail_page(request, framework, publish_errors=error.messages)
    messages.success(
        request,
        _("Version %(version)s is published. Older versions stay readable.") % {"version": framework.version},
    )
    return redirect(_detail_url(framework))


@login_required
def entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_ministry(request.user)
    framework = get_object_or_404(Framework, pk=pk)
    if framework.is_published:
        return _refuse_published(request, framework)
    form = EntryForm(request.POST or None, framework=framework)

    def save(data: dict[str, Any]) -> FrameworkEntry:
        parent = data.pop("parent", None)
        return services.add_entry(actor=request.user, framework=framework, data=data, parent=parent)

    entry = submit(request, form, save)
    if entry:
        messages.success(request, _("Entry %(code)s added.") % {"code": entry.code})
        return redirect(_detail_url(framework, f"entry-{entry.pk}"))
    return _form_page(
        request,
        framework,
        form,
        _("Add an entry to version %(version)s") % {"version": framework.version},
        _("Add the entry"),
    )


@login_required
def entry_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    access.require_ministry(request.user)
    framework = get_object_or_404(Framework, pk=pk)
    entry = get_object_or_404(FrameworkEntry.objects.filter(framework=framework), pk=entry_pk)
    if framework.is_published:
        return _refuse_published(request, framework)
    form = EntryForm(request.POST or None, instance=entry, framework=framework)
    saved = submit(
        request,
        form,
        lambda data: services.update_entry(
            actor=request.user, entry=entry, changes=data, expected_version=data["version"]
        ),
    )
    if saved:
        messages.success(request, _("Entry %(code)s saved.") % {"code": saved.code})
        return redirect(_detail_url(framework, f"entry-{saved.pk}"))
    return _form_page(request, framework, form, _("Edit entry %(code)s") % {"code": entry.code})


@login_required
@require_POST
def entry_remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    access.require_ministry(request.user)
    framework = get_object_or_404(Framework, pk=pk)
    entry = get_object_or_404(FrameworkEntry.objects.filter(framework=framework), pk=entry_pk)
    what = _("entry %(code)s") % {"code": entry.code}
    asked = ask_first(request, what=what, cancel_url=_detail_url(framework), version=entry.version)
    if asked is not None:
        return asked
    try:
        services.remove_entry(actor=request.user, entry=entry, expected_version=posted_version(request))
    except EditConflict:
        return refuse_stale(request, what=what, cancel_url=_detail_url(framework))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Entry %(code)s removed.") % {"code": entry.code})
    return redirect(_detail_url(framework))
