"""The user's notifications: the list (``/notifikasi/``), marking read, and the settings page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.lib.forms import submit
from kotacerdas.notifications import selectors, services
from kotacerdas.notifications.forms import PreferencesForm


def _back(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    query = f"?page={page}" if page.isascii() and page.isdigit() and len(page) < 6 else ""
    return redirect(reverse("notifications:list") + query)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = selectors.page_of(request.user, request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    # Fetched among the user's own: another person's notification is not there (404).
    notification = selectors.shown_to(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404("No such notification.")
    services.mark_read(actor=request.user, notification=notification)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(actor=request.user, owner=request.user)
    messages.success(request, _("All notifications marked read.") if count else _("Nothing was unread."))
    return _back(request)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    chosen, delivery = services.preferences_of(request.user)
    initial: dict[str, Any] = {"version": delivery.version, "daily_digest": delivery.daily_digest}
    for kind, preference in chosen.items():
        initial[f"in_app_{kind}"] = preference.in_app
        initial[f"email_{kind}"] = preference.email
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)

    def save(data: dict[str, Any]) -> object:
        version = data.pop("version")
        return services.set_preferences(actor=request.user, owner=request.user, data=data, expected_version=version)

    if submit(request, form, save) is not None:
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    status = 409 if getattr(form, "conflict", False) else 200
    has_email = bool((getattr(request.user, "email", "") or "").strip())
    return render(request, "notifications/preferences.html", {"form": form, "has_email": has_email}, status=status)
