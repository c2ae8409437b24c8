"""Helpers shared by the plan services: frozen editions, sanitised rich text, field copying."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kotacerdas.plans.models import Edition

# Rich chapter text: enough for headings, lists, tables and links; nothing that runs code.
ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "h3",
    "h4",
    "h5",
    "ul",
    "ol",
    "li",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "span",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}


def clean_html(text: str) -> str:
    """Sanitise rich text written by regions (nh3 removes scripts, handlers and unknown tags)."""
    return nh3.clean(text or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener noreferrer")


def ensure_editable(edition: Edition) -> None:
    """Adopted editions are frozen: every change starts a new edition."""
    if edition.is_frozen:
        raise ValidationError(_("This edition was adopted and is frozen. Start a new edition to change the plan."))


def apply(obj: Any, data: dict[str, Any], fields: Iterable[str]) -> None:
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])


def full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=True)


def in_period(edition: Edition, year: int | None) -> bool:
    return year is not None and edition.start_year <= year <= edition.end_year


def period_error(edition: Edition, year: int | None) -> str:
    return _("%(year)s is outside the plan period %(start)s–%(end)s.") % {
        "year": year,
        "start": edition.start_year,
        "end": edition.end_year,
    }
