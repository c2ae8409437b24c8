"""The plan check of a file about to be imported: the import's verdict and the guide's rules.

One validation: :func:`check_file` runs the importer's own checks (``importer.check_document``)
so ``kotacerdas plan check FILE`` reports exactly what ``kotacerdas plan import`` would refuse
(rule PI001) or accept with a warning (PI002), then the guide's rules. A file that gives no
taxonomy or agency list is checked against the region's: the taxonomy the import would use and
the region's agencies are added to what the rules read. Without a region only the schema is
checked (the part of the validation that needs no database).
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext as _

from kotacerdas.plans.checks import CheckReport, run_checks
from kotacerdas.plans.checks.importable import import_findings
from kotacerdas.plans.interchange.export import opd_data
from kotacerdas.plans.interchange.importer import _Resolved, _schema_problem, check_document
from kotacerdas.plans.interchange.schema import SCHEMA
from kotacerdas.plans.interchange.validate import validate
from kotacerdas.regions.models import Region


def _with_region(doc: Any, region: Region | None, resolved: _Resolved) -> Any:
    """The document with the region's taxonomy and agencies where the file gives none."""
    if not isinstance(doc, dict) or region is None:
        return doc
    filled = copy.copy(doc)
    taxonomy: dict[str, Any] = doc["taxonomy"] if isinstance(doc.get("taxonomy"), dict) else {}
    if resolved.taxonomy is not None and not taxonomy.get("dimensions"):
        entries = sorted(resolved.entries.values(), key=lambda e: (e.order, e.pk))
        filled["taxonomy"] = {
            "code": resolved.taxonomy.code,
            "version": resolved.taxonomy.version,
            "dimensions": [
                {
                    "code": d.code,
                    "name": d.name,
                    "elements": [{"code": e.code, "name": e.name} for e in entries if e.parent_id == d.pk],
                }
                for d in entries
                if d.parent_id is None
            ],
        }
    given: list[Any] = doc["opds"] if isinstance(doc.get("opds"), list) else []
    known = {o.get("abbreviation") for o in given if isinstance(o, dict)}
    # An agency the import would create exists, for the rules, from the date it would get.
    dates = {a.abbreviation: a.valid_from.isoformat() for a in resolved.new_agencies}
    listed = [
        {**o, "valid_from": dates[o["abbreviation"]]}
        if isinstance(o, dict) and o.get("abbreviation") in dates and not o.get("valid_from")
        else o
        for o in given
    ]
    filled["opds"] = [*listed, *(o for o in opd_data(region.pk) if o["abbreviation"] not in known)]
    return filled


def check_file(
    doc: Any, region: Region | None, *, replace: bool = False, create_agencies: bool = False
) -> tuple[CheckReport, _Resolved]:
    """The plan check of ``doc`` as an import into ``region``: PI001/PI002 first, then the rules."""
    if region is not None:
        problems, resolved = check_document(region, doc, replace, create_agencies)
    else:
        resolved = _Resolved()
        problems = [_schema_problem(doc, p, m.render(_)) for p, m in validate(doc, SCHEMA)]
    report = run_checks(_with_region(doc, region, resolved))
    verdict = import_findings(
        doc, [(p.path, p.message) for p in problems], [(w.path, w.message) for w in resolved.warnings]
    )
    report.findings[:0] = verdict
    return report, resolved
