"""Writing audit entries. Called by every service that changes region or reference data."""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import decimal
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models

from kotacerdas.audit import revisions
from kotacerdas.audit.models import AuditEntry

# How the actor acted when not in person (an API token): named beside them in every entry
# written meanwhile, so the trail says which token made a change without a second actor column.
_through: contextvars.ContextVar[str] = contextvars.ContextVar("audit_through", default="")


@contextlib.contextmanager
def acting_through(label: str) -> Iterator[None]:
    """Entries written inside this block name ``label`` after the actor ("Owner via API token kc_…")."""
    token = _through.set(label)
    try:
        yield
    finally:
        _through.reset(token)


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-ready dict of the object's concrete field values (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"id", "version", "created_at", "updated_at", "summary_stamp"}:
            continue
        data[field.name] = _plain(getattr(obj, field.attname))
    return data


def entry(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None,
    region: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    about: tuple[str, str, str] | None = None,
) -> AuditEntry:
    """The audit entry :func:`record` writes, not yet saved (for :func:`record_all`).

    ``action`` is one of :class:`AuditEntry.Action`; an unknown action is a programming error
    (it would show as a raw code in the trail), so it is refused here rather than stored.
    An operation on the whole install has no row: ``obj=None`` and ``about`` names what it acted
    on as (type, id, text), e.g. a restore its archive.
    """
    if action not in AuditEntry.Action.values:
        raise ValueError(f"Unknown audit action {action!r}: add it to AuditEntry.Action.")
    if obj is not None:
        about = (obj._meta.label, str(obj.pk), str(obj))
    elif about is None:
        raise ValueError("An audit entry names its row (obj) or what it is about (about).")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    name = str(actor) if authenticated else "system"
    if _through.get():
        name = f"{name} via {_through.get()}"
    return AuditEntry(
        actor=actor if authenticated else None,
        actor_name=name[:200],
        region=region,
        action=action,
        object_type=about[0][:100],
        object_id=about[1][:64],
        object_repr=about[2][:300],
        before=before,
        after=after,
    )


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None,
    region: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    about: tuple[str, str, str] | None = None,
) -> AuditEntry:
    """Write one audit entry. Call inside the service's transaction."""
    written = entry(actor=actor, action=action, obj=obj, region=region, before=before, after=after, about=about)
    written.save()
    _raise_revisions([written])
    return written


def record_all(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Write many entries from :func:`entry` in one statement (services that write many rows at once)."""
    written = AuditEntry.objects.bulk_create(list(entries))
    _raise_revisions(written)
    return written


# Entries that change no data a page shows: a sign-in does not move any revision.
_UNCOUNTED = {AuditEntry.Action.SIGN_IN, AuditEntry.Action.REFUSED}


def _raise_revisions(entries: list[AuditEntry]) -> None:
    if any(e.action == AuditEntry.Action.RESTORE for e in entries):
        revisions.bump_everything()
        return
    revisions.bump(e.region_id for e in entries if e.action not in _UNCOUNTED)
