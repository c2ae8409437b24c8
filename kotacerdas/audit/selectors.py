"""Reading the audit trail (the caller has already checked access to the region)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from kotacerdas.audit.models import AuditEntry
from kotacerdas.regions.models import Region


def entries_for_region(region: Region) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(region=region).select_related("actor")


def all_entries() -> QuerySet[AuditEntry]:
    """Every entry, newest first: region data and programme-wide reference data alike."""
    return AuditEntry.objects.select_related("region")


@dataclass
class ReadableEntry:
    """An audit entry as a person reads it: the model's and fields' names, labels instead of codes and ids.

    The stored ``before``/``after`` JSON stays as recorded; only its presentation changes.
    """

    entry: AuditEntry
    what: str
    changes: list[tuple[str, Any, Any]]


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


Related = dict[tuple[Any, str], models.Model]


def _shown(field: models.Field[Any, Any] | None, value: Any, related: Related) -> Any:
    """One recorded value in words: a choice's label, a related object's name, yes/no, a grouped number."""
    if isinstance(value, list):
        return ", ".join(str(_shown(field, v, related)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if value is None or field is None:
        return value
    if field.is_relation and field.related_model is not None:
        if not _ids(value):  # not an id we looked up (a code, a structure): shown as recorded
            return value
        found = related.get((field.related_model, str(value)))
        return str(found) if found is not None else _("%(id)s (no longer there)") % {"id": value}
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is None:
            return value
        return formats.date_format(
            timezone.localtime(moment) if timezone.is_aware(moment) else moment, "SHORT_DATETIME_FORMAT"
        )
    if isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        return formats.date_format(day, "SHORT_DATE_FORMAT") if day else value
    if isinstance(field, models.DecimalField):
        try:
            return formats.number_format(Decimal(str(value)), use_l10n=True, force_grouping=True)
        except InvalidOperation:
            return value
    return value


def _label(field: models.Field[Any, Any] | None, name: str) -> str:
    """The field's verbose name; for a relation left unnamed, the name of the model it points at."""
    if field is None:
        return name.replace("_", " ")
    unnamed = isinstance(field.verbose_name, str)  # Django's default from the name; given names are lazy
    if unnamed and field.related_model is not None and not isinstance(field.related_model, str):
        return str(field.related_model._meta.verbose_name)
    return str(field.verbose_name)


def _ids(value: Any) -> list[str]:
    """The whole-number ids a recorded relation value holds (one, or a list of them)."""
    values = value if isinstance(value, list) else [value]
    return [str(v) for v in values if isinstance(v, int) or (isinstance(v, str) and v.isdigit())]


def readable(entries: Iterable[AuditEntry]) -> list[ReadableEntry]:
    """The entries of a page, readable; one query per kind of related object named in them.

    A model may word a value itself with ``audit_value(name, value, recorded, find)`` (a value
    whose meaning depends on another row, such as an answer's choice code); ``find(model, id)``
    returns a related object the entries name, or None.
    """
    entries = list(entries)
    wanted: dict[Any, set[str]] = defaultdict(set)
    for entry in entries:
        model = _model(entry.object_type)
        for name, value in [*(entry.before or {}).items(), *(entry.after or {}).items()]:
            field = _field(model, name)
            if field is not None and field.is_relation and field.related_model is not None:
                wanted[field.related_model].update(_ids(value))
    related: Related = {}
    for model, ids in wanted.items():
        for obj in model._base_manager.filter(pk__in=list(ids)):
            related[(model, str(obj.pk))] = obj

    def find(model: Any, pk: Any) -> models.Model | None:
        return related.get((model, str(pk)))

    rows = []
    for entry in entries:
        model = _model(entry.object_type)
        what = str(model._meta.verbose_name) if model is not None else entry.object_type
        hook = getattr(model, "audit_value", None)
        changes = []
        for name, before, after in entry.changes():
            field = _field(model, name)
            shown = []
            for value, recorded in ((before, entry.before or {}), (after, entry.after or {})):
                own = hook(name, value, recorded, find) if hook is not None and value is not None else None
                shown.append(own if own is not None else _shown(field, value, related))
            changes.append((_label(field, name), shown[0], shown[1]))
        rows.append(ReadableEntry(entry, what, changes))
    return rows
