"""Small builders for plan tests: an edition of region A with a few programmes."""

from __future__ import annotations

from typing import Any

from kotacerdas.frameworks.models import FrameworkEntry
from kotacerdas.plans import services
from kotacerdas.plans.models import Edition, Programme
from kotacerdas.regions.models import Region


def entry(edition: Edition, code: str) -> FrameworkEntry:
    return FrameworkEntry.objects.get(framework=edition.taxonomy, code=code)


def make_edition(region: Region, year: int = 2024, start: int = 2025, end: int = 2029, **extra: Any) -> Edition:
    data = {"year": year, "title": f"Masterplan {year}", "start_year": start, "end_year": end, **extra}
    return services.create_edition(actor=None, region=region, data=data)


def make_programme(
    edition: Edition, code: str, dimension: str = "GOV", element: str | None = None, **extra: Any
) -> Programme:
    data: dict[str, Any] = {
        "code": code,
        "name": extra.pop("name", f"Programme {code}"),
        "dimension": entry(edition, dimension),
        "element": entry(edition, element or f"{dimension}-1"),
        "start_year": extra.pop("start_year", edition.start_year),
        "end_year": extra.pop("end_year", edition.start_year + 2),
        "horizon": extra.pop("horizon", "medium"),
        **extra,
    }
    return services.create_programme(actor=None, edition=edition, data=data)
