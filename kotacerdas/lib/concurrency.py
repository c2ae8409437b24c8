"""Optimistic locking: a form carries the version it was loaded at; saving a stale version fails.

Two officials editing the same agency at the same time must not silently overwrite each other:
the second save is refused with a message and the form keeps their input.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)


class EditConflict(Exception):
    """The record changed since the form was opened."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else saved this record while you were editing it. "
                "Reload the page to see their changes, then apply yours again."
            )
        )


def lock_current(queryset: models.QuerySet[M], pk: int, expected_version: int | None) -> M:
    """Lock the row for this transaction and check it is still at ``expected_version``."""
    current = queryset.select_for_update().get(pk=pk)
    if expected_version is not None and current.version != expected_version:  # type: ignore[attr-defined]
        raise EditConflict
    return current
