"""Reading reference frameworks. Frameworks are not region data: every signed-in user may read them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from kotacerdas.frameworks.bands import Band, classify
from kotacerdas.frameworks.models import Framework, FrameworkEntry, Kind, Status


def all_versions() -> QuerySet[Framework]:
    return Framework.objects.all()


def latest_published(kind: str) -> list[Framework]:
    """The newest published version of every framework of ``kind``, entries prefetched (2 queries)."""
    versions = (
        Framework.objects.filter(kind=kind, status=Status.PUBLISHED)
        .order_by("code", "-version")
        .prefetch_related(Prefetch("entries", queryset=FrameworkEntry.objects.order_by("order", "id")))
    )
    newest: dict[str, Framework] = {}
    for framework in versions:
        newest.setdefault(framework.code, framework)
    return list(newest.values())


def bands_of(framework: Framework) -> list[Band]:
    return [
        Band(code=e.code, label=e.name, lower=e.lower_bound, inclusive=e.lower_inclusive)
        for e in framework.entries.all()
    ]


@dataclass(frozen=True)
class SizeClass:
    scheme: str
    scheme_code: str
    version: int
    band: Band | None


def size_classes(population: int | None) -> list[SizeClass]:
    """The size class of a population under every published size-class scheme."""
    schemes = latest_published(Kind.SIZE_CLASSES)
    return [
        SizeClass(
            scheme=framework.title,
            scheme_code=framework.code,
            version=framework.version,
            band=classify(Decimal(population), bands_of(framework)) if population is not None else None,
        )
        for framework in schemes
    ]
