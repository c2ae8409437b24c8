"""Writing an edition's rows on re-import without rewriting what did not change (issue 17 §4).

A re-import of a file that a region opened, edited and saved mostly holds the rows already
stored. These helpers compare each wanted row with the stored one on its key and write only the
difference: new rows inserted, changed rows updated in their changed columns (with a new
version), vanished rows deleted; an unchanged row is not written at all and keeps its id and
version, so a form opened on it still saves and references to it stay.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.db import models


def keep_by_key(
    existing: models.QuerySet[Any], key: str, wanted: list[tuple[Hashable, dict[str, Any]]], base: dict[str, Any]
) -> dict[Hashable, Any]:
    """Make ``existing`` (one edition's rows of a model) hold exactly ``wanted``, matched on ``key``.

    ``wanted`` pairs each key with the values of the row (field names; foreign keys as objects or
    ``*_id``); ``base`` the values every new row also takes (region, edition). Returns the rows
    by key, saved."""
    model = existing.model
    stored = {getattr(row, key): row for row in existing}
    rows: dict[Hashable, Any] = {}
    for k, values in wanted:
        row = stored.pop(k, None)
        if row is None:
            row = model(**base, **{key: k}, **values)
            row.save()
        else:
            changed = [name for name, value in values.items() if _differs(row, name, value)]
            if changed:
                for name in changed:
                    setattr(row, name, values[name])
                fields = [*changed, "version"] if hasattr(row, "version") else changed
                if hasattr(row, "version"):
                    row.version += 1
                row.save(update_fields=fields)
        rows[k] = row
    if stored:
        model.objects.filter(pk__in=[row.pk for row in stored.values()]).delete()
    return rows


def _differs(row: Any, name: str, value: Any) -> bool:
    field = row._meta.get_field(name)
    if field.is_relation:
        return getattr(row, field.attname) != (value.pk if value is not None else None)
    return bool(getattr(row, name) != value)


def sync(existing: Any, wanted: list[Any], key: tuple[str, ...]) -> None:
    """Make ``existing`` (a queryset) hold exactly the rows of ``wanted``, compared on ``key``:
    rows already there stay untouched, only removed ones are deleted and only new ones created."""
    wanted_keys = {tuple(getattr(row, f) for f in key) for row in wanted}
    present = {tuple(values[1:]): values[0] for values in existing.values_list("pk", *key)}
    gone = [pk for k, pk in present.items() if k not in wanted_keys]
    if gone:
        existing.model.objects.filter(pk__in=gone).delete()
    new = {tuple(getattr(row, f) for f in key): row for row in wanted}
    existing.model.objects.bulk_create([row for k, row in new.items() if k not in present], batch_size=500)
