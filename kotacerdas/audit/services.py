"""Writing audit entries. Called by every service that changes region or reference data."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from kotacerdas.audit.models import AuditEntry


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
    obj: models.Model,
    region: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """The audit entry :func:`record` writes, not yet saved (for :func:`record_all`).

    ``action`` is one of :class:`AuditEntry.Action`; an unknown action is a programming error
    (it would show as a raw code in the trail), so it is refused here rather than stored.
    """
    if action not in AuditEntry.Action.values:
        raise ValueError(f"Unknown audit action {action!r}: add it to AuditEntry.Action.")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry(
        actor=actor if authenticated else None,
        actor_name=str(actor) if authenticated else "system",
        region=region,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
    )


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    region: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry. Call inside the service's transaction."""
    written = entry(actor=actor, action=action, obj=obj, region=region, before=before, after=after)
    written.save()
    return written


def record_all(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Write many entries from :func:`entry` in one statement (services that write many rows at once)."""
    return AuditEntry.objects.bulk_create(list(entries))


def record_operation(
    *, actor: Any, action: str, object_type: str, object_id: str, object_repr: str, after: dict[str, Any]
) -> AuditEntry:
    """Write one entry for an operation on the whole install rather than on one row (a restore
    from a backup archive): what it acted on is named by ``object_type`` and ``object_id``."""
    if action not in AuditEntry.Action.values:
        raise ValueError(f"Unknown audit action {action!r}: add it to AuditEntry.Action.")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_name=str(actor) if authenticated else "system",
        action=action,
        object_type=object_type[:100],
        object_id=object_id[:64],
        object_repr=object_repr[:300],
        after=after,
    )
