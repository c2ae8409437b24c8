"""Template filters of the plan pages: rupiah amounts, plain numbers, translated check findings."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext, gettext_lazy

from kotacerdas.plans.checks import RULES, Finding

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    """Rp 1.500.000 in Indonesian, Rp 1,500,000 in English; empty for no value."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return "Rp " + formats.number_format(number, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def num(value: Any) -> str:
    """A decimal in the active locale (12,5 in Indonesian), trailing zeros dropped."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    places = max(0, -number.as_tuple().exponent)  # type: ignore[operator]
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def finding_text(finding: Finding) -> str:
    """The finding's message in the active language, with its values filled in."""
    message = gettext(finding.message)
    return message % finding.params if finding.params else message


@register.filter
def rule_title(rule_id: str) -> str:
    rule = RULES.get(rule_id)
    return gettext(rule.title) if rule else rule_id


@register.filter
def rule_explanation(rule_id: str) -> str:
    rule = RULES.get(rule_id)
    return gettext(rule.explanation) if rule else ""


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """mapping[key] or None (dicts only)."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def programme_total(programme: dict[str, Any]) -> int:
    """Total budget of a programme document (all years, all sources)."""
    from kotacerdas.plans.figures import programme_total as total

    return total(programme)


@register.filter
def row_total(row: dict[Any, int]) -> int:
    return sum(row.values()) if isinstance(row, dict) else 0


SEVERITY_LABELS = {"error": gettext_lazy("error"), "warning": gettext_lazy("warning"), "info": gettext_lazy("note")}


@register.filter
def severity(value: Any) -> str:
    """The translated name of a severity (a Severity or its label)."""
    key = getattr(value, "label", value)
    return str(SEVERITY_LABELS.get(key, key))
