"""Reading reference frameworks. Frameworks are not region data: every signed-in user may read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from kotacerdas.frameworks.bands import Band, classify
from kotacerdas.frameworks.models import Framework, FrameworkEntry, Kind, Status


@dataclass
class FrameworkGroup:
    """Every version of one framework code, newest first."""

    code: str
    versions: list[Framework]

    @property
    def newest(self) -> Framework:
        return self.versions[0]


def framework_groups() -> list[FrameworkGroup]:
    """All versions of all frameworks grouped by code, each with ``entry_count`` (one query)."""
    versions = Framework.objects.annotate(entry_count=Count("entries")).order_by("kind", "code", "-version")
    groups: dict[str, FrameworkGroup] = {}
    for framework in versions:
        groups.setdefault(framework.code, FrameworkGroup(framework.code, [])).versions.append(framework)
    return list(groups.values())


def with_entries() -> QuerySet[Framework]:
    """Frameworks with their entries prefetched in display order (one more query per fetch)."""
    return Framework.objects.prefetch_related(
        Prefetch("entries", queryset=FrameworkEntry.objects.order_by("order", "id"))
    )


@dataclass
class EntryRow:
    entry: FrameworkEntry
    children: list[FrameworkEntry] = field(default_factory=list)


@dataclass
class VersionDetail:
    framework: Framework
    rows: list[EntryRow]
    versions: list[Framework]  # every version of the same code, newest first, this one included

    @property
    def draft(self) -> Framework | None:
        """The code's draft in progress, if any (there is at most one)."""
        return next((v for v in self.versions if not v.is_published), None)

    @property
    def weight_total(self) -> Decimal:
        return sum((r.entry.weight for r in self.rows if r.entry.weight is not None), Decimal(0))


def version_detail(framework: Framework) -> VersionDetail:
    """One version's entries as a tree, and its sibling versions; needs a framework from
    :func:`with_entries` (then it costs one query whatever the number of entries or versions)."""
    entries = list(framework.entries.all())
    rows = {e.pk: EntryRow(e) for e in entries if e.parent_id is None}
    for e in entries:
        if e.parent_id is not None and e.parent_id in rows:
            rows[e.parent_id].children.append(e)
    versions = list(Framework.objects.filter(code=framework.code).order_by("-version"))
    return VersionDetail(framework=framework, rows=list(rows.values()), versions=versions)


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
