"""The evaluation scheme of a year, from the published reference data (frameworks).

The weights come from the newest published version of the evaluation framework of that year; the
predicate bands from the newest published default band table. A year without its own scheme is
an error (:class:`NoScheme`), never a silent fallback to another year's weights.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from kotacerdas.evaluation.domain import DIMENSIONS, Scheme
from kotacerdas.frameworks.models import Framework, Kind, Status
from kotacerdas.frameworks.selectors import bands_of


class NoScheme(Exception):
    """No published scheme (or no predicate table) for the asked year."""


def scheme_for(year: int) -> Scheme:
    """The published scheme of ``year`` with the default predicate bands (two queries each)."""
    published = Framework.objects.filter(status=Status.PUBLISHED).prefetch_related("entries")
    framework = published.filter(kind=Kind.EVALUATION, year=year).order_by("-is_default", "-version").first()
    if framework is None:
        years = sorted({y for y in published.filter(kind=Kind.EVALUATION).values_list("year", flat=True) if y})
        raise NoScheme(
            _("There is no published evaluation scheme for %(year)s (published: %(years)s).")
            % {"year": year, "years": ", ".join(str(y) for y in years) or _("none")}
        )
    weights = {e.code: e.weight for e in framework.entries.all()}
    by_name: dict[str, Decimal] = {}
    for name, code in DIMENSIONS.items():
        weight = weights.get(code)
        if weight is None:
            raise NoScheme(
                _("The evaluation scheme %(year)s has no weight for %(dimension)s.") % {"year": year, "dimension": code}
            )
        by_name[name] = weight
    bands = published.filter(kind=Kind.BANDS, code="predikat-evaluasi").order_by("-version").first()
    if bands is None:
        raise NoScheme(_("There is no published predicate table (predikat-evaluasi)."))
    return Scheme(
        year=year,
        code=framework.code,
        version=framework.version,
        weights=by_name,
        bands=bands_of(bands),
        bands_code=bands.code,
        bands_version=bands.version,
    )
