"""Template filters of the plan pages: rupiah amounts, plain numbers, translated check findings."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy

from kotacerdas.lib import numbers
from kotacerdas.plans import notstated
from kotacerdas.plans.checks import RULES, Finding, Group

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    """Rp 1.500.000 in Indonesian, Rp 1,500,000 in English; empty for no value."""
    return _formatted(value, numbers.rupiah)


@register.filter
def millions(value: Any) -> str:
    """Rupiah in millions (juta), the unit of Indonesian budget tables, as in the PDF books:
    1.250,5 for Rp 1.250.500.000; empty for no value."""
    return _formatted(value, numbers.millions)


@register.filter
def rupiah_short(value: Any) -> str:
    """A headline amount in words: Rp 12,5 miliar, Rp 1,2 triliun, Rp 350 juta."""
    return _formatted(value, lambda number: numbers.rupiah(number, short=True))


def _formatted(value: Any, format_number: Callable[[Decimal], str]) -> str:
    """Empty for no value; text that is not a number shown as it is."""
    if value is None or value == "":
        return ""
    number = numbers.as_decimal(value)
    return str(value) if number is None else format_number(number)


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
    return _formatted(value, numbers.decimal)


@register.filter
def target(value: Any) -> str:
    """A yearly target (a row or its dict): the number, or "lower–upper" for a range."""
    get = value.get if isinstance(value, dict) else lambda name: getattr(value, name, None)
    upper = get("upper")
    low = num(get("value"))
    return low if upper is None else f"{low}–{num(upper)}"


@register.filter
def finding_text(finding: Finding) -> str:
    """The finding's message in the active language, with its values filled in."""
    return finding.render(gettext)


@register.filter
def group_headline(group: Group) -> str:
    """A group of findings in one sentence, in the active language ("18 programmes have no
    indicator: …, and 10 more")."""
    return group.headline().render(gettext)


@register.filter
def isodate(value: Any) -> Any:
    """A stored ISO date-time (a waiver's "at") as a datetime for the ``date`` filter."""
    import datetime

    try:
        return datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return value


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


# Not stated (plans/notstated.py) -------------------------------------------------------------


@register.filter
def or_not_stated(value: Any) -> str:
    """The value, or "belum ditetapkan" when the plan leaves it open (None or empty)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a year: no thousands separator
    return notstated.text(value)


@register.filter
def label_of(labels: dict[str, Any], key: Any) -> str:
    """A choice's label (``labels.horizon|label_of:p.horizon``), or "not stated" for none."""
    return str(labels.get(key, key)) if notstated.stated(key) else notstated.text(None)


@register.filter
def years_of(item: Any) -> str:
    """A programme's years (a document dict or a row): "2025–2027", or "not stated"."""
    get = item.get if isinstance(item, dict) else (lambda name: getattr(item, name, None))
    return notstated.years(get("start_year"), get("end_year"))
