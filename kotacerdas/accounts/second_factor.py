"""The second sign-in step: a code from an authenticator app (TOTP, :mod:`kotacerdas.accounts.totp`).

After the password, an account with a confirmed second factor is asked for a code before it is
signed in; a ministry account without one must set one up first when
``KOTACERDAS_MINISTRY_SECOND_FACTOR`` is on (the default with debug off). Until then the session
only holds who is half-way (:data:`PENDING`), never a signed-in user. Wrong codes count as failed
sign-ins, so the same throttle applies; every step is audited.
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access, signin, totp
from kotacerdas.accounts.models import SecondFactor, User
from kotacerdas.audit.services import record

PENDING = "kotacerdas_pending_sign_in"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def required_for(user: Any) -> bool:
    return bool(getattr(user, "is_ministry", False) and getattr(settings, "MINISTRY_SECOND_FACTOR", False))


def confirmed(user: Any) -> SecondFactor | None:
    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).first()


def begin(request: HttpRequest, user: Any, next_url: str) -> HttpResponse | None:
    """After a correct password: the response that asks for the second step, or None (sign in now)."""
    if confirmed(user) is None and not required_for(user):
        return None
    request.session[PENDING] = {"user": user.pk, "backend": user.backend, "next": next_url}
    if confirmed(user) is None:
        return redirect("second_factor_setup")
    return redirect("login_code")


def _pending_user(request: HttpRequest) -> tuple[User | None, dict[str, Any]]:
    pending = request.session.get(PENDING) or {}
    user_id = pending.get("user")
    user = User.objects.filter(pk=user_id, is_active=True).first() if isinstance(user_id, int) else None
    return user, pending


def _finish(request: HttpRequest, user: User, pending: dict[str, Any]) -> HttpResponse:
    request.session.pop(PENDING, None)
    login(request, user, backend=pending.get("backend"))
    record(
        actor=user, action="sign_in", obj=user, after={"address": signin.client_address(request), "second_factor": True}
    )
    target = pending.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = access.landing_url(user)
    return redirect(target)


def _check(request: HttpRequest, user: User, device: SecondFactor, code: str) -> str | None:
    """An error message, or None when ``code`` is right (then the step is used up)."""
    address = signin.client_address(request)
    now = timezone.now()
    wait = signin.wait_needed(user.username, address, now)
    if wait is not None:
        return _("Too many failed attempts. Wait a few minutes and try again.")
    with transaction.atomic():
        device = SecondFactor.objects.select_for_update().get(pk=device.pk)
        step = totp.verify(device.secret, code, now.timestamp(), device.last_step)
        if step is None:
            attempt = signin.remember(user.username, address, user, False, now)
            record(actor=None, action="refused", obj=user, after={"username": attempt.username, "second_factor": True})
            return _("The code is not correct or was used already. Type the code the app shows now.")
        device.last_step = step
        if device.confirmed_at is None:
            device.confirmed_at = now
        device.save(update_fields=["last_step", "confirmed_at"])
    return None


def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the app."""
    user, pending = _pending_user(request)
    device = confirmed(user) if user else None
    if user is None or device is None:
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _check(request, user, device, form.cleaned_data["code"])
        if error is None:
            return _finish(request, user, pending)
        form.add_error("code", error)
    return render(request, "registration/login_code.html", {"form": form})


def _qr_svg(link: str) -> SafeString:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    # Our own SVG from the library, with no user text in it but the escaped link: safe to inline.
    return mark_safe(out.getvalue().decode().split("?>", 1)[-1])  # noqa: S308


def setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: for a signed-in user, or a ministry account half-way in."""
    if request.user.is_authenticated:
        user: Any = request.user
        pending: dict[str, Any] = {}
    else:
        user, pending = _pending_user(request)
        if user is None:
            return redirect("login")
    device = SecondFactor.objects.filter(user=user).first()
    if device is None or (device.confirmed_at is None and request.method == "GET"):
        secret = totp.new_secret()
        device, _created = SecondFactor.objects.update_or_create(
            user=user, defaults={"secret": secret, "last_step": -1}
        )
    elif device.confirmed_at is not None and request.method == "GET":
        return render(request, "registration/second_factor.html", {"device": device, "required": required_for(user)})
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and device.confirmed_at is None:
        error = _check(request, user, device, form.cleaned_data["code"])
        if error is None:
            record(actor=user, action="update", obj=user, after={"second_factor": "enabled"})
            if pending:
                return _finish(request, user, pending)
            messages.success(request, _("Your authenticator app is set up: it will be asked for at every sign-in."))
            return redirect("second_factor_setup")
        form.add_error("code", error)
    link = totp.uri(device.secret, user.username)
    return render(
        request,
        "registration/second_factor_setup.html",
        {"form": form, "secret": device.secret, "link": link, "qr": _qr_svg(link), "pending": bool(pending)},
    )


@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Turn the second factor off (not for accounts that must have one)."""
    user: Any = request.user
    if required_for(user):
        messages.error(request, _("Ministry accounts must sign in with an authenticator app."))
        return redirect("second_factor_setup")
    deleted, _rows = SecondFactor.objects.filter(user=user).delete()
    if deleted:
        record(actor=user, action="update", obj=user, after={"second_factor": "removed"})
        messages.success(request, _("The authenticator app is no longer asked for at sign-in."))
    return redirect("second_factor_setup")
