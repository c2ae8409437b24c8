"""Optimistic locking: a form carries the version it was loaded at; saving a stale version fails.

Two officials editing the same agency at the same time must not silently overwrite each other:
the second save is refused with a message and the form keeps their input.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.http import HttpRequest
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


def lock_current(queryset: models.QuerySet[M], pk: int, expected_version: int) -> M:
    """Lock the row for this transaction and check it is still at ``expected_version``.

    The version is required: a caller without one (a form posted without its hidden field, a
    script) is refused like a stale one, never allowed to overwrite a newer save. Callers that
    rewrite a whole document on purpose read the version under their own lock and pass it.
    """
    current = queryset.select_for_update().get(pk=pk)
    if not isinstance(expected_version, int) or current.version != expected_version:  # type: ignore[attr-defined]
        raise EditConflict
    return current


def posted_version(request: HttpRequest) -> int:
    """The version a POST carries, for buttons without a form class (remove, submit).

    0 when it carries none or not a whole number: versions start at 1, so :func:`lock_current`
    refuses it like a stale one.
    """
    value = request.POST.get("version", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else 0


def stored_version(row: models.Model) -> int:
    """The version ``row`` has in the database now.

    Only for writers that own the whole document at that moment and never showed it to anyone:
    the demo loader, a command that rewrites a row from a file it was given. They read the
    version here and pass it, so their writes still take the row lock and the version check.
    """
    version: int = type(row)._default_manager.filter(pk=row.pk).values_list("version", flat=True).get()
    return version
