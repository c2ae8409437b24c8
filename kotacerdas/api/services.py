"""Writes of the API app: personal access tokens, made and revoked by named, audited services.

The use of a token (finding it, its last-used time, its count in the rate window) is bookkeeping,
not a change anyone makes: ``usage.py``.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.api.models import ApiToken, Scope
from kotacerdas.audit.services import record, snapshot

TOKEN_START = "kc_"  # noqa: S105 (the marker every token starts with, not a secret)
MAX_TOKENS = 50


def digest(secret: str) -> str:
    """The stored form of a token. The token carries 256 random bits, so a fast hash is as safe as
    a slow one here (nothing to guess) and keeps every request cheap (decision 0014)."""
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
    access.check(actor, access.may_make_token, user)
    if not user.is_active:
        raise ValidationError(_("The account is not active."))
    clean = _clean(data)
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    # A second active token of the same name is most often the same form sent twice; the list
    # could not tell the two apart when one of them must be revoked.
    unexpired = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    if active.filter(unexpired, name=clean["name"]).exists():
        raise ValidationError(
            {
                "name": _("You already have an active token named “%(name)s”: choose another name, or revoke that one.")
                % {"name": clean["name"]}
            }
        )
    if active.count() >= MAX_TOKENS:
        raise ValidationError(_("Revoke a token you no longer use first: at most 50 are active at once."))
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, prefix=prefix, digest=digest(secret), **clean)
    record(actor=actor or None, action="create", obj=token, after=_snapshot(token))
    return NewToken(token, secret)


def _snapshot(token: ApiToken) -> dict[str, Any]:
    return snapshot(token, ["user", "name", "prefix", "scope", "expires_at", "revoked_at"])


@transaction.atomic
def revoke_token(*, actor: Any, token: ApiToken) -> ApiToken:
    """Stop ``token`` from working, at once and for good (revoking twice changes nothing)."""
    access.check(actor, access.may_revoke_token, token)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    before = _snapshot(token)
    token.revoked_at = timezone.now()
    token.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
    token.save(update_fields=["revoked_at", "revoked_by"])
    record(actor=actor, action="update", obj=token, before=before, after=_snapshot(token))
    return token
