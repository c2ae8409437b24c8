"""Calendar subscriptions (issue 16 §4): the page where a person makes or revokes their secret
address, and the two feeds a calendar app reads with it, without a session.

The secret in the address stands for the person; the feed is computed as them, now, through the
access layer (``feeds``). A wrong or revoked secret and a region they no longer see are the same
404. The feeds touch no session and set no cookie.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from kotacerdas.accounts import services as account_services
from kotacerdas.accounts.models import CalendarToken, Membership
from kotacerdas.engagements import feeds


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _user(token: str) -> Any:
    user = account_services.calendar_user(token)
    if user is None:
        raise Http404("No such calendar.")
    return user


@require_GET
@cache_control(private=True, no_cache=True)
def actions_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = _user(token)
    return _ics(feeds.actions_feed(user, timezone.now(), _base(request)), "tindak-lanjut.ics")


@require_GET
@cache_control(private=True, no_cache=True)
def region_feed(request: HttpRequest, token: str, code: str) -> HttpResponse:
    user = _user(token)
    return _ics(feeds.region_feed(user, code, timezone.now(), _base(request)), f"sesi-{code}.ics")


@login_required
@never_cache  # the answer to a POST shows the secret addresses: no cache keeps them
def addresses(request: HttpRequest) -> HttpResponse:
    """Make (or make anew) and revoke the secret of one's calendar addresses; shown once."""
    user: Any = request.user
    token = ""
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            if account_services.revoke_calendar_token(actor=user, user=user):
                messages.success(request, _("Your calendar addresses no longer work."))
            return redirect("engagements:calendar_addresses")
        token = account_services.create_calendar_token(actor=user, user=user)
    current = CalendarToken.objects.filter(user=user).first()
    regions = [m.region for m in Membership.objects.filter(user=user).select_related("region").order_by("region__name")]
    base = _base(request)
    links: list[tuple[str, str]] = []
    if token:
        links.append((_("Due dates of the actions you own"), base + reverse("engagements:actions_feed", args=[token])))
        links += [
            (
                _("Sessions of %(region)s") % {"region": r},
                base + reverse("engagements:region_feed", args=[token, r.code]),
            )
            for r in regions
        ]
    # The placeholders are words of the reader's language (in capitals, so they read as blanks).
    placeholders = [_("SECRET"), _("CODE")]
    pattern = base + reverse("engagements:region_feed", args=placeholders) if user.is_ministry else ""
    context = {"current": current, "links": links, "pattern": pattern, "just_made": bool(token)}
    return render(request, "engagements/calendar_addresses.html", context)
