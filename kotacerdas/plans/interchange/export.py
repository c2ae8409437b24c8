"""Export an edition as a plain-data document (the interchange format, version 1).

One document holds everything the plan check and the change log need, so both run on a file
with no server: the taxonomy's codes, the region's agencies with their validity ranges, and the
whole content of Buku 1 and Buku 2. Reads run in a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from kotacerdas.frameworks.models import FrameworkEntry
from kotacerdas.plans.interchange.schema import FORMAT, FORMAT_VERSION
from kotacerdas.plans.models import (
    Disposition,
    Edition,
    ElementWaiver,
    Goal,
    Mission,
    Programme,
    Section,
    Strategy,
    SwotItem,
)
from kotacerdas.plans.serialise import programme_documents
from kotacerdas.regions.models import OPD


def taxonomy_data(edition: Edition) -> dict[str, Any]:
    entries = list(FrameworkEntry.objects.filter(framework_id=edition.taxonomy_id).order_by("order", "id"))
    dimensions = [e for e in entries if e.parent_id is None]
    return {
        "code": edition.taxonomy.code,
        "version": edition.taxonomy.version,
        "dimensions": [
            {
                "code": d.code,
                "name": d.name,
                "elements": [{"code": e.code, "name": e.name} for e in entries if e.parent_id == d.pk],
            }
            for d in dimensions
        ],
    }


def opd_data(region_id: int) -> list[dict[str, Any]]:
    return [
        {
            "abbreviation": o.abbreviation,
            "name": o.name,
            "valid_from": o.valid_from.isoformat(),
            "valid_to": o.valid_to.isoformat() if o.valid_to else None,
        }
        for o in OPD.objects.filter(region_id=region_id).order_by("abbreviation", "valid_from")
    ]


def edition_header(edition: Edition) -> dict[str, Any]:
    adoption = None
    if edition.adoption_number:
        adoption = {
            "instrument": edition.adoption_instrument,
            "number": edition.adoption_number,
            "date": edition.adoption_date.isoformat() if edition.adoption_date else None,
            "fingerprint": edition.adopted_hash,
        }
    return {
        "year": edition.year,
        "title": edition.title,
        "start_year": edition.start_year,
        "end_year": edition.end_year,
        "status": edition.status,
        "previous_year": edition.previous.year if edition.previous_id and edition.previous else None,
        "vision": edition.vision,
        "vision_keywords": list(edition.vision_keywords or []),
        "rpjmd_period": edition.rpjmd_period,
        "quick_win_limit": edition.quick_win_limit,
        "rpjmd_min_share": edition.rpjmd_min_share,
        "adoption": adoption,
    }


def disposition_data(d: Disposition) -> dict[str, Any]:
    previous = d.previous_programme
    return {
        "previous": {"code": previous.code, "lineage": str(previous.lineage)} if previous else None,
        "kind": d.kind,
        "programme": d.programme.code if d.programme else None,
        "merged_into": d.merged_into.code if d.merged_into else None,
        "rationale": d.rationale,
        "implementation_status": d.implementation_status,
        "implementation_note": d.implementation_note,
    }


def edition_document(edition: Edition) -> dict[str, Any]:
    """The whole edition as an interchange document (JSON-ready)."""
    edition = Edition.objects.select_related("region", "taxonomy", "previous").filter(pk=edition.pk).get()
    region = edition.region
    programmes = programme_documents(
        Programme.objects.filter(edition=edition).order_by("dimension__order", "code", "id")
    )
    dispositions = (
        Disposition.objects.filter(edition=edition)
        .select_related("previous_programme", "programme", "merged_into")
        .order_by("id")
    )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "region": {"code": region.code, "name": region.name, "kind": region.kind},
        "edition": edition_header(edition),
        "taxonomy": taxonomy_data(edition),
        "opds": opd_data(region.pk),
        "sections": [
            {"key": s.key, "book": s.book, "title": s.title, "body": s.body, "review_state": s.review_state}
            for s in Section.objects.filter(edition=edition).order_by("book", "order", "id")
        ],
        "swot": [
            {"component": s.component.code if s.component else None, "kind": s.kind, "text": s.text}
            for s in SwotItem.objects.filter(edition=edition)
            .select_related("component")
            .order_by("kind", "order", "id")
        ],
        "missions": [
            {"number": m.number, "text": m.text, "rpjmd_mission": m.rpjmd_mission}
            for m in Mission.objects.filter(edition=edition).order_by("number")
        ],
        "goals": [
            {"code": g.code, "mission": g.mission.number if g.mission else None, "text": g.text}
            for g in Goal.objects.filter(edition=edition).select_related("mission").order_by("order", "code")
        ],
        "strategies": [
            {
                "code": s.code,
                "dimension": s.dimension.code,
                "element": s.element.code if s.element else None,
                "goal": s.goal.code if s.goal else None,
                "text": s.text,
            }
            for s in Strategy.objects.filter(edition=edition)
            .select_related("dimension", "element", "goal")
            .order_by("order", "code")
        ],
        "waivers": [
            {"element": w.element.code, "reason": w.reason}
            for w in ElementWaiver.objects.filter(edition=edition).select_related("element").order_by("element__order")
        ],
        "programmes": programmes,
        "dispositions": [disposition_data(d) for d in dispositions],
    }
