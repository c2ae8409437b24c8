"""Writes for accounts and grants."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.accounts.models import CalendarToken, Membership, Role, User
from kotacerdas.audit.services import record, snapshot
from kotacerdas.lib.concurrency import lock_current


@transaction.atomic
def create_ministry_admin(*, username: str, email: str, password: str, full_name: str = "") -> User:
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("A user with this username already exists.")})
    user = User(username=username, email=email, full_name=full_name, is_ministry=True)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    record(
        actor=None, action="create", obj=user, after=snapshot(user, ["username", "email", "full_name", "is_ministry"])
    )
    return user


@transaction.atomic
def grant(*, actor: Any, user: User, region: Any, role: str, opd: Any = None) -> Membership:
    """Give ``user`` a role in ``region`` (replacing an earlier one). Unknown roles are refused."""
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role %(role)s; use one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    if opd is not None and (role != Role.EDITOR or opd.region_id != region.pk):
        raise ValidationError({"opd": _("Only an editor can be tied to an agency, and only one of the same region.")})
    if role == Role.MENTOR and actor is not None and not access.may_grant(actor, region, role):
        raise ValidationError({"role": _("Mentors are assigned by the ministry.")})
    access.check(actor, access.may_grant, region, role)
    membership = Membership.objects.select_for_update().filter(user=user, region=region).first()
    before = snapshot(membership) if membership else None
    if membership is None:
        membership = Membership(user=user, region=region)
    else:
        membership.version += 1
    membership.role = role
    membership.opd = opd
    membership.save()
    record(
        actor=actor,
        action="update" if before else "create",
        obj=membership,
        region=region,
        before=before,
        after=snapshot(membership),
    )
    return membership


@transaction.atomic
def revoke(*, actor: Any, membership: Membership, expected_version: int) -> None:
    """Remove a grant, only at the version the person saw; a mentor's only by the ministry
    (``access.may_revoke``)."""
    access.check(actor, access.may_revoke, membership.region, membership)
    membership = lock_current(
        Membership.objects.filter(region_id=membership.region_id).select_related("user", "region"),
        membership.pk,
        expected_version,
    )
    record(actor=actor, action="delete", obj=membership, region=membership.region, before=snapshot(membership))
    membership.delete()


def calendar_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_calendar_token(*, actor: Any, user: User) -> str:
    """A new secret for ``user``'s calendar addresses, replacing any earlier one (whose addresses
    stop working). Returns the secret, which is not stored and cannot be shown again."""
    access.check(actor, access.may_manage_calendar, user)
    token = secrets.token_urlsafe(32)
    replaced = CalendarToken.objects.filter(user=user).delete()[0] > 0
    CalendarToken.objects.create(user=user, digest=calendar_digest(token), created_at=timezone.now())
    record(actor=actor, action="update", obj=user, after={"calendar_address": "replaced" if replaced else "created"})
    return token


@transaction.atomic
def revoke_calendar_token(*, actor: Any, user: User) -> bool:
    """Remove ``user``'s calendar secret: every address made with it answers 404. False if none."""
    access.check(actor, access.may_manage_calendar, user)
    removed = CalendarToken.objects.filter(user=user).delete()[0] > 0
    if removed:
        record(actor=actor, action="update", obj=user, after={"calendar_address": "revoked"})
    return removed


def calendar_user(token: str) -> User | None:
    """The active user whose calendar secret is ``token``, else None (one query)."""
    if not token or len(token) > 100:
        return None
    found = CalendarToken.objects.filter(digest=calendar_digest(token), user__is_active=True).select_related("user")
    row = found.first()
    return row.user if row else None
