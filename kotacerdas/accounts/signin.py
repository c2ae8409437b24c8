"""Signing in: throttled by account and by address, every attempt in the audit trail.

Guessing passwords is slowed down where several app servers agree, in the database: an account
that failed :data:`ACCOUNT_FAILURES` times within :data:`WINDOW` is refused until the window has
passed since its last failure, and so is an address that failed :data:`ADDRESS_FAILURES` times
(one office behind one address has many people, so its limit is higher). A refusal does not
check the password at all, and says the same whether or not the account exists. A successful
sign-in clears the account's count. Failed, refused and successful sign-ins go into the audit
trail (actions ``refused`` and ``sign_in``; a failure with a known account is recorded on it).

Sessions end after :data:`IDLE` without a request and in any case :data:`ABSOLUTE` after signing
in (:class:`SessionLifetimeMiddleware`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kotacerdas.accounts.models import SignInAttempt, User
from kotacerdas.audit.services import record

WINDOW = datetime.timedelta(minutes=15)
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 30
KEEP = datetime.timedelta(days=1)
IDLE = datetime.timedelta(hours=2)
ABSOLUTE = datetime.timedelta(hours=12)


def client_address(request: HttpRequest | None) -> str | None:
    """The client address; behind a reverse proxy, the one it appends last (docs/configuration.md)."""
    if request is None:
        return None
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _name(username: str) -> str:
    return (username or "").strip().lower()[:150]


def wait_needed(username: str, address: str | None, now: datetime.datetime) -> datetime.timedelta | None:
    """How long this account or address must wait before trying again, or None (two queries)."""
    since = now - WINDOW
    waits = []
    for field, value, limit in (
        ("username", _name(username), ACCOUNT_FAILURES),
        ("address", address, ADDRESS_FAILURES),
    ):
        if not value:
            continue
        attempts = SignInAttempt.objects.filter(**{field: value}, at__gte=since).order_by("-at")
        failures = []
        for attempt in attempts.values("succeeded", "at")[: limit + 1]:
            if attempt["succeeded"] and field == "username":
                break  # a success clears the account's count
            if not attempt["succeeded"]:
                failures.append(attempt["at"])
        if len(failures) >= limit:
            waits.append(failures[0] + WINDOW - now)
    return max(waits) if waits else None


def remember(username: str, address: str | None, user: Any, succeeded: bool, now: datetime.datetime) -> SignInAttempt:
    SignInAttempt.objects.filter(at__lt=now - KEEP).delete()
    return SignInAttempt.objects.create(
        username=_name(username), address=address, succeeded=succeeded, at=now, user=user
    )


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, refusing early when the account or address is throttled."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        now = timezone.now()
        wait = wait_needed(username, address, now)
        if wait is not None:
            minutes = max(1, int(wait.total_seconds() // 60) + 1)
            attempt = remember(username, address, None, False, now)
            record(actor=None, action="refused", obj=attempt, after={"username": attempt.username, "throttled": True})
            raise forms.ValidationError(
                ngettext(
                    "Too many failed attempts. Wait %(minutes)d minute and try again.",
                    "Too many failed attempts. Wait %(minutes)d minutes and try again.",
                    minutes,
                )
                % {"minutes": minutes},
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            known = User.objects.filter(username__iexact=_name(username)).first()
            attempt = remember(username, address, known, False, now)
            record(
                actor=None,
                action="refused",
                obj=known or attempt,
                after={"username": attempt.username, "address": address},
            )
            raise
        # The password is right: the account's count starts again. The audit entry is written when
        # the session begins (after the second factor, when one is asked: accounts/second_factor.py).
        remember(username, address, self.get_user(), True, now)
        return cleaned


SESSION_STARTED = "kotacerdas_started"
SESSION_SEEN = "kotacerdas_seen"


def stamp_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On sign-in (``user_logged_in``): the session's start, saved with the new session itself."""
    now = timezone.now().timestamp()
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


class SessionLifetimeMiddleware:
    """Sign out a session idle for :data:`IDLE` or older than :data:`ABSOLUTE` (timestamps in the session)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.setdefault(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            if now - seen > IDLE.total_seconds() or now - started > ABSOLUTE.total_seconds():
                logout(request)
                messages.info(
                    request, _("Your session has ended (after 2 idle hours or 12 hours in all). Sign in again.")
                )
                return redirect_to_login(request.get_full_path())
            if now - seen > 60 or SESSION_SEEN not in request.session:  # write the session at most once a minute
                request.session[SESSION_SEEN] = now
        return self.get_response(request)
