"""Reads for regions. Callers pass a region already obtained through the access layer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from kotacerdas.frameworks.selectors import SizeClass, size_classes
from kotacerdas.regions.models import OPD, BodyMember, GovernanceBody, Kecamatan, Kelurahan, Population, Region


def latest_population(populations: list[Population]) -> Population | None:
    return max(populations, key=lambda p: p.year, default=None)


@dataclass
class RegionHome:
    region: Region
    populations: list[Population]
    latest_population: Population | None
    size_classes: list[SizeClass]
    kecamatan: list[Kecamatan]
    current_opds: list[OPD]
    past_opds: list[OPD]
    bodies: list[GovernanceBody]
    has_sample_data: bool = field(default=False)
    # Partners in office today (BUMD): listed apart from the government agencies above.
    partners: list[OPD] = field(default_factory=list)


def current_opds(region: Region, on: datetime.date | None = None) -> QuerySet[OPD]:
    day = on or timezone.localdate()
    return OPD.objects.filter(region=region).valid_on(day)


def region_home(region: Region) -> RegionHome:
    """The region's own profile (population, size classes, territory, agencies, bodies), in a fixed
    number of queries whatever the data size: the region's profile page (the region home, a
    cockpit of every app's part, is composed in ``web.cockpit``)."""
    today = timezone.localdate()
    populations = list(Population.objects.filter(region=region).order_by("year"))
    latest = latest_population(populations)
    kecamatan = list(
        Kecamatan.objects.filter(region=region).prefetch_related(
            Prefetch("kelurahan", queryset=Kelurahan.objects.order_by("name"))
        )
    )
    opds = list(
        OPD.objects.filter(region=region)
        .order_by("kind", "name")
        .prefetch_related(Prefetch("predecessors", queryset=OPD.objects.only("id", "name", "abbreviation")))
    )
    current = [o for o in opds if o.is_valid_on(today) and not o.is_partner]
    partners = [o for o in opds if o.is_valid_on(today) and o.is_partner]
    past = [o for o in opds if not o.is_valid_on(today)]
    bodies = list(
        GovernanceBody.objects.filter(region=region).prefetch_related(
            Prefetch("members", queryset=BodyMember.objects.select_related("opd").order_by("order", "id"))
        )
    )
    sample = region.is_sample or any(o.is_sample for o in opds) or any(b.is_sample for b in bodies)
    return RegionHome(
        region=region,
        populations=populations,
        latest_population=latest,
        size_classes=size_classes(latest.population if latest else None),
        kecamatan=kecamatan,
        current_opds=current,
        past_opds=past,
        bodies=bodies,
        has_sample_data=sample,
        partners=partners,
    )


def region_summary(region: Region) -> dict[str, object]:
    """A JSON-ready summary used by the command line (``kotacerdas regions show``)."""
    home = region_home(region)
    return {
        "code": region.code,
        "name": region.name,
        "type": region.kind,
        "province": region.province,
        "time_zone": region.time_zone,
        "area_km2": str(region.area_km2) if region.area_km2 is not None else None,
        "population": [
            {
                "year": p.year,
                "population": p.population,
                "estimate": p.is_estimate,
                "source": p.source,
                "version": p.version,  # what `kotacerdas regions population --seen-version` wants
            }
            for p in home.populations
        ],
        "size_classes": [
            {
                "scheme": s.scheme_code,
                "version": s.version,
                "class": s.band.code if s.band else None,
                "label": s.band.label if s.band else None,
            }
            for s in home.size_classes
        ],
        "kecamatan": [{"name": k.name, "kelurahan": [x.name for x in k.kelurahan.all()]} for k in home.kecamatan],
        "opds": [
            {
                "abbreviation": o.abbreviation,
                "name": o.name,
                "kind": o.kind,
                "partner": o.is_partner,
                "head": o.head_name,
                "valid_from": o.valid_from.isoformat(),
                "valid_to": o.valid_to.isoformat() if o.valid_to else None,
                "predecessors": [p.abbreviation for p in o.predecessors.all()],
            }
            for o in [*home.current_opds, *home.partners, *home.past_opds]
        ],
        "governance_bodies": [
            {
                "kind": b.kind,
                "name": b.name,
                "decree_number": b.decree_number,
                "decree_date": b.decree_date.isoformat() if b.decree_date else None,
                "members": [
                    {"person": m.person_name, "role": m.role, "opd": m.opd.abbreviation if m.opd else None}
                    for m in b.members.all()
                ],
            }
            for b in home.bodies
        ],
        "sample_data": home.has_sample_data,
    }
