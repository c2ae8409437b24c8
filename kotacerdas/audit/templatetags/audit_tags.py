"""``{% readable_entries page.object_list as rows %}``: the audit trail in words (see selectors.readable)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from kotacerdas.audit.models import AuditEntry
from kotacerdas.audit.selectors import ReadableEntry, readable

register = template.Library()


@register.simple_tag
def readable_entries(entries: Iterable[AuditEntry]) -> list[ReadableEntry]:
    return readable(entries)
