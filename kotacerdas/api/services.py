"""Writes of the API app: personal access tokens (made, revoked, used) and the rate limit.

Tokens are made and revoked by named, audited services; the use of a token (its last-used time,
its count in the rate window) is bookkeeping, not an audited change.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.api.models import ApiToken, RateWindow, Scope
from kotacerdas.audit.services import record, snapshot

TOKEN_START = "kc_"  # noqa: S105 (the marker every token starts with, not a secret)
# The last-used time is written at most once a minute per token: reads stay free of writes.
LAST_USED_EVERY = datetime.timedelta(minutes=1)
MAX_TOKENS = 50


def digest(secret: str) -> str:
    """The stored form of a token. The token carries 256 random bits, so a fast hash is as safe as
    a slow one here (nothing to guess) and keeps every request cheap (decision 0013)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token, shown once


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Name the token after what will use it, e.g. the dashboard.")
    elif len(name) > 100:
        errors["name"] = _("Keep the name under 100 characters.")
    scope = data.get("scope") or Scope.READ
    if scope not in Scope.values:
        errors["scope"] = _("Choose read only or read and write.")
    expires_on = data.get("expires_on")
    if expires_on is not None and not isinstance(expires_on, datetime.date):
        errors["expires_on"] = _("Enter the expiry as a date.")
    elif expires_on is not None and expires_on <= timezone.localdate():
        errors["expires_on"] = _("Choose an expiry date after today.")
    if errors:
        raise ValidationError(errors)
    expires_at = None
    if expires_on is not None:
        expires_at = datetime.datetime.combine(expires_on, datetime.time.min, tzinfo=timezone.get_current_timezone())
    return {"name": name, "scope": scope, "expires_at": expires_at}


@transaction.atomic
def create_token(*, actor: Any, user: Any, data: dict[str, Any]) -> NewToken:
    """A new token for ``user`` (people make their own; the console makes anyone's)."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("People make their own tokens."))
    if not user.is_active:
        raise ValidationError(_("The account is not active."))
    clean = _clean(data)
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_TOKENS:
        raise ValidationError(_("Revoke a token you no longer use first: at most 50 are active at once."))
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, prefix=prefix, digest=digest(secret), **clean)
    record(actor=actor or None, action="create", obj=token, after=_snapshot(token))
    return NewToken(token, secret)


def _snapshot(token: ApiToken) -> dict[str, Any]:
    return snapshot(token, ["user", "name", "prefix", "scope", "expires_at", "revoked_at"])


def may_revoke(actor: Any, token: ApiToken) -> bool:
    """Its owner revokes a token; the ministry may revoke anyone's."""
    return bool(actor.is_authenticated and actor.is_active) and (actor.pk == token.user_id or access.is_ministry(actor))


@transaction.atomic
def revoke_token(*, actor: Any, token: ApiToken) -> ApiToken:
    """Stop ``token`` from working, at once and for good (revoking twice changes nothing)."""
    access.check(actor, may_revoke, token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    before = _snapshot(token)
    token.revoked_at = timezone.now()
    token.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    token.save(update_fields=["revoked_at", "revoked_by"])
    record(actor=actor, action="update", obj=token, before=before, after=_snapshot(token))
    return token


def find(secret: str) -> ApiToken | None:
    """The token ``secret`` names, usable or not (None if it names none): one query."""
    if not secret.startswith(TOKEN_START) or secret.count("_") < 2 or len(secret) > 200:
        return None
    prefix = secret[len(TOKEN_START) :].split("_", 1)[0]
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, digest(secret)):
        return None
    return token


def note_use(token: ApiToken, now: datetime.datetime) -> None:
    """Remember when ``token`` was last used, writing at most once a minute."""
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def count_request(key: str, now: datetime.datetime) -> tuple[bool, int]:
    """Count one request of ``key`` in the current minute: (allowed, seconds until the next minute).

    The count lives in the database all app servers share, so the limit holds across them.
    """
    window = now.replace(second=0, microsecond=0)
    rows = RateWindow.objects.filter(key=key, window=window)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateWindow.objects.create(key=key, window=window, count=1)
                # A new minute: the caller's old windows are no longer read.
                RateWindow.objects.filter(key=key, window__lt=window).delete()
            except IntegrityError:
                rows.update(count=F("count") + 1)
        count = rows.values_list("count", flat=True).first() or 0
    wait = 60 - now.second
    return count <= settings.API_RATE, wait
