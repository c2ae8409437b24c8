"""Template filters of the plan pages: rupiah amounts, plain numbers, translated check findings."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
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
def millions(value: Any) -> str:
    """Rupiah in millions (juta), the unit of Indonesian budget tables, as in the PDF books:
    1.250,5 for Rp 1.250.500.000; empty for no value."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return num(round(number / 1_000_000, 1))


@register.filter
def rupiah_short(value: Any) -> str:
    """A headline amount in words: Rp 12,5 miliar, Rp 1,2 triliun, Rp 350 juta."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    size = abs(number)
    if size >= 10**12:
        return gettext("Rp %(n)s trillion") % {"n": num(round(number / 10**12, 1))}
    if size >= 10**9:
        return gettext("Rp %(n)s billion") % {"n": num(round(number / 10**9, 1))}
    if size >= 10**6:
        return gettext("Rp %(n)s million") % {"n": num(round(number / 10**6, 1))}
    return rupiah(value)


@register.simple_tag
def budget_charts(totals: Any, dimension_names: dict[str, str]) -> SafeString:
    """The budget by year and source, and by dimension, as SVG figures; the tables below them
    on the page hold the same numbers (the text alternative)."""
    from kotacerdas.plans.figures import budget_by_key_svg, budget_by_year_svg
    from kotacerdas.plans.models import BudgetSource

    def amount(value: int) -> str:
        return millions(value)

    sources = {k: str(v) for k, v in BudgetSource.choices}
    by_year = budget_by_year_svg(
        totals.by_source,
        totals.years,
        ident="chart-source",
        title=gettext("Budget by year and source (million rupiah)"),
        description=gettext(
            "Stacked columns, one per year, a coloured part per source of funds. "
            "The table “By source” below holds the same numbers."
        ),
        names=sources,
        amount=amount,
    )
    by_dimension = budget_by_key_svg(
        totals.by_dimension,
        ident="chart-dimension",
        title=gettext("Budget by dimension over the plan period (million rupiah)"),
        description=gettext("One bar per dimension. The table “By dimension” below holds the same numbers."),
        names={k: f"{k} {dimension_names.get(k, '')}".strip() for k in totals.by_dimension},
        amount=amount,
    )
    # The SVG is built by figures.py, which escapes every text it places.
    return mark_safe(  # noqa: S308
        f'<figure class="table-scroll">{by_year}</figure><figure class="table-scroll">{by_dimension}</figure>'
    )


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
    return finding.render(gettext)


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
