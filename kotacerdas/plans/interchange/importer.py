"""Import an interchange document as an edition: all or nothing, every error listed.

The document is first checked against the schema, then every code is resolved in this region
(taxonomy, dimensions and elements, agencies, strategies, dependencies, the previous edition's
programmes). Only when nothing is wrong is anything written, in one transaction, with bulk
inserts (an edition of 300 programmes imports in well under a second) and one audit entry that
names the file's fingerprint and what it held.

Re-importing into an existing draft edition (``replace=True``) updates programmes matched by
lineage in place (only the programmes that changed, in their changed columns; missions, goals
and strategies likewise by number and code: ``interchange/rows.py``), so comment threads and
dispositions that point at them survive, and so are
the rows under them (budget lines, indicators with their targets per year, action items) named
by ``id``: unchanged rows are not written, rows without an id are new, and an id that is not a
row of that programme is refused where it stands. Under a programme new to the edition every
row is new (its ids, from another edition, are ignored); indicators keep a given ``lineage``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.audit.services import record, snapshot
from kotacerdas.frameworks.models import Framework, FrameworkEntry, Kind, Status
from kotacerdas.plans import fields as programme_fields
from kotacerdas.plans.checks.graphs import find_cycle
from kotacerdas.plans.interchange import rows as keyed
from kotacerdas.plans.interchange.limits import document_problems
from kotacerdas.plans.interchange.schema import FORMAT, FORMAT_VERSION, LEGACY_INDICATOR_KEYS, SCHEMA
from kotacerdas.plans.interchange.validate import validate
from kotacerdas.plans.models import (
    ActionItem,
    Disposition,
    Edition,
    ElementWaiver,
    Goal,
    Indicator,
    IndicatorTarget,
    Mission,
    Programme,
    ProgrammeBudget,
    QuickWinFlag,
    Section,
    Strategy,
    SwotItem,
)
from kotacerdas.plans.services.common import clean_html
from kotacerdas.plans.services.editions import chapters, ensure_plan
from kotacerdas.plans.services.programmes import update_row
from kotacerdas.plans.summaries import touch as touch_summary
from kotacerdas.regions.models import OPD, OPDKind, Region

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")


@dataclass
class ImportProblem:
    path: str  # JSON path, or "sheet!cell (column)" for a workbook
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ImportFailed(Exception):
    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


@dataclass
class _Resolved:
    """What the checks resolved, ready for writing."""

    taxonomy: Framework | None = None
    entries: dict[str, FrameworkEntry] = field(default_factory=dict)
    opds: dict[str, list[OPD]] = field(default_factory=dict)
    existing: Edition | None = None
    previous: Edition | None = None
    previous_programmes: dict[str, Programme] = field(default_factory=dict)  # by "lineage:…" and "code:…"
    existing_programmes: dict[str, int] = field(default_factory=dict)  # lineage → id, in the replaced edition
    row_owners: dict[str, dict[int, int]] = field(default_factory=dict)  # child kind → row id → programme id
    # Agencies the file lists and the plan names but the region does not have yet: created by the
    # import only when the operator confirms (``create_agencies``).
    new_agencies: list[NewAgency] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)  # accepted, but worth a look


@dataclass(frozen=True)
class NewAgency:
    """An agency from the file's own list (``opds``) the import would create in the region."""

    path: str  # $.opds[k]
    abbreviation: str
    name: str
    kind: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    dated: bool  # False: the file gives no start date, so the plan period's first day is used

    def as_dict(self) -> dict[str, Any]:
        return {
            "abbreviation": self.abbreviation,
            "name": self.name,
            "kind": self.kind,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "valid_from_stated": self.dated,
        }


def _dec(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _pick_opd(candidates: list[OPD], start: int | None, end: int | None) -> OPD:
    """The agency of that abbreviation that exists during the years (else the most recent)."""
    if start is not None and end is not None:
        first, last = datetime.date(start, 1, 1), datetime.date(end, 12, 31)
        for opd in candidates:
            if opd.is_valid_during(first, last):
                return opd
    return max(candidates, key=lambda o: o.valid_from)


def fingerprint(doc: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class _Checker:
    """Collects every problem of a document as an import into one region."""

    def __init__(self, region: Region, doc: dict[str, Any], replace: bool, create_agencies: bool = False) -> None:
        self.region, self.doc, self.replace = region, doc, replace
        self.create_agencies = create_agencies
        self.problems: list[ImportProblem] = []
        self.counts: dict[int, tuple[list[Any], Counter[Any]]] = {}
        self.skip: set[int] = set()  # programmes the schema refused: their codes count, nothing else is read
        self.named: dict[str, str] = {}
        self.file_opds: dict[str, tuple[int, dict[str, Any]]] = {}  # abbreviation → the file's entry
        self.r = _Resolved()
        ed = doc["edition"]
        self.start, self.end = ed["start_year"], ed["end_year"]

    def bad(self, path: str, message: str) -> None:
        self.problems.append(ImportProblem(path, message))

    def dimension(self, value: Any, where: str) -> None:
        entry = self.r.entries.get(value)
        if entry is None or entry.parent_id is not None:
            self.bad(where, _("Unknown dimension code %(code)r.") % {"code": value})

    def element(self, value: Any, dimension: Any, where: str) -> None:
        if value is None:
            return
        entry = self.r.entries.get(value)
        parent = self.r.entries.get(dimension)
        if entry is None or entry.parent_id is None:
            self.bad(where, _("Unknown element code %(code)r.") % {"code": value})
        elif parent is not None and entry.parent_id != parent.pk:
            message = _("Element %(code)s is not under dimension %(dimension)s.")
            self.bad(where, message % {"code": value, "dimension": dimension})

    def opd(self, value: Any, where: str) -> None:
        if value is None or value in self.r.opds:
            return
        if value in self.file_opds:
            self.named.setdefault(value, where)  # offered for creation (see ``agencies``)
            return
        message = _("Unknown agency %(code)r in this region: add it to the file's agency list (opds) or to the region.")
        self.bad(where, message % {"code": value})

    def year(self, value: Any, where: str, optional: bool = False) -> None:
        if value is None and optional:
            return  # not stated in the plan: the plan check lists it as a gap
        if not (isinstance(value, int) and self.start <= value <= self.end):
            message = _("%(year)s is outside the plan period %(start)s–%(end)s.")
            self.bad(where, message % {"year": value, "start": self.start, "end": self.end})

    def twice(self, values: list[Any], value: Any, where: str, message: str) -> None:
        # Counted once per list (values.count per row made a file of n duplicates cost n²).
        held = self.counts.get(id(values))
        if held is None or held[0] is not values:
            held = self.counts[id(values)] = (values, Counter(values))
        if held[1][value] > 1:
            self.bad(where, message)

    def header(self) -> bool:
        doc, r = self.doc, self.r
        if doc["format"] != FORMAT or doc["format_version"] != FORMAT_VERSION:
            self.bad("$.format_version", _("Unsupported format."))
        if doc.get("region", {}).get("code") not in (None, "", self.region.code):
            message = _("The file is for region %(code)s, not %(here)s.")
            self.bad("$.region.code", message % {"code": doc["region"]["code"], "here": self.region.code})
        if self.end < self.start:
            self.bad("$.edition.end_year", _("The plan period ends before it starts."))
        tax = doc.get("taxonomy") or {}
        taxonomies = Framework.objects.filter(kind=Kind.TAXONOMY, status=Status.PUBLISHED)
        if tax.get("code"):
            r.taxonomy = taxonomies.filter(code=tax["code"], version=tax.get("version") or 0).first()
        else:
            r.taxonomy = taxonomies.filter(is_default=True).order_by("-version").first()
        if r.taxonomy is None:
            message = _("Unknown taxonomy %(code)s version %(version)s.")
            self.bad("$.taxonomy", message % {"code": tax.get("code"), "version": tax.get("version")})
            return False
        r.entries = {e.code: e for e in FrameworkEntry.objects.filter(framework=r.taxonomy)}
        for opd in OPD.objects.filter(region=self.region).order_by("valid_from"):
            r.opds.setdefault(opd.abbreviation, []).append(opd)
        for k, o in enumerate(doc.get("opds", [])):
            if o["abbreviation"] not in r.opds:
                self.file_opds.setdefault(o["abbreviation"], (k, o))
        ed = doc["edition"]
        existing = Edition.objects.filter(region=self.region, year=ed["year"]).first()
        if existing is not None:
            if not self.replace:
                self.bad("$.edition.year", _("The region already has an edition of %(year)s.") % {"year": ed["year"]})
            elif existing.is_frozen:
                self.bad("$.edition.year", _("The edition of %(year)s is adopted and frozen.") % {"year": ed["year"]})
            elif existing.taxonomy_id != r.taxonomy.pk:
                self.bad("$.taxonomy", _("The existing edition uses another taxonomy."))
            r.existing = existing
            r.existing_programmes = {
                str(lineage): pk for pk, lineage in existing.programmes.values_list("pk", "lineage")
            }
            for kind, model in (("budgets", ProgrammeBudget), ("indicators", Indicator), ("action_items", ActionItem)):
                rows = model.objects.filter(programme__edition=existing).values_list("pk", "programme_id")
                r.row_owners[kind] = dict(rows)
        if ed.get("previous_year") is not None:
            r.previous = Edition.objects.filter(region=self.region, year=ed["previous_year"]).first()
            if r.previous is None or r.previous.year == ed["year"]:
                message = _("The region has no edition of %(year)s.")
                self.bad("$.edition.previous_year", message % {"year": ed["previous_year"]})
            else:
                for p in Programme.objects.filter(edition=r.previous):
                    r.previous_programmes[f"lineage:{p.lineage}"] = p
                    r.previous_programmes[f"code:{p.code}"] = p
        return True

    def content(self) -> tuple[list[Any], list[Any]]:
        doc = self.doc
        numbers = [m["number"] for m in doc.get("missions", [])]
        number_set = set(numbers)
        for n, m in enumerate(doc.get("missions", [])):
            self.twice(
                numbers,
                m["number"],
                f"$.missions[{n}].number",
                _("Mission number %(n)s is used twice.") % {"n": m["number"]},
            )
        goal_codes = [g["code"] for g in doc.get("goals", [])]
        goal_set = set(goal_codes)
        for n, g in enumerate(doc.get("goals", [])):
            self.twice(
                goal_codes,
                g["code"],
                f"$.goals[{n}].code",
                _("Goal code %(code)s is used twice.") % {"code": g["code"]},
            )
            if g.get("mission") is not None and g["mission"] not in number_set:
                self.bad(f"$.goals[{n}].mission", _("No mission number %(n)s.") % {"n": g["mission"]})
        strategy_codes = [s["code"] for s in doc.get("strategies", [])]
        for n, s in enumerate(doc.get("strategies", [])):
            self.twice(
                strategy_codes,
                s["code"],
                f"$.strategies[{n}].code",
                _("Strategy code %(code)s is used twice.") % {"code": s["code"]},
            )
            self.dimension(s["dimension"], f"$.strategies[{n}].dimension")
            self.element(s.get("element"), s["dimension"], f"$.strategies[{n}].element")
            if s.get("goal") is not None and s["goal"] not in goal_set:
                self.bad(f"$.strategies[{n}].goal", _("No goal %(code)s.") % {"code": s["goal"]})
        waived = [w["element"] for w in doc.get("waivers", [])]
        for n, w in enumerate(doc.get("waivers", [])):
            self.element(w["element"], None, f"$.waivers[{n}].element")
            self.twice(
                waived,
                w["element"],
                f"$.waivers[{n}].element",
                _("Element %(code)s is waived twice.") % {"code": w["element"]},
            )
        components = set(FrameworkEntry.objects.filter(framework__kind=Kind.COMPONENTS).values_list("code", flat=True))
        for n, s in enumerate(doc.get("swot", [])):
            if s.get("component") is not None and s["component"] not in components:
                message = _("Unknown readiness component %(code)r.")
                self.bad(f"$.swot[{n}].component", message % {"code": s["component"]})
        key_counts = Counter(s["key"] for s in doc.get("sections", []))
        for n, s in enumerate(doc.get("sections", [])):
            if key_counts[s["key"]] > 1 or not re.match(r"^[-a-z0-9_]{1,40}$", s["key"]):
                message = _("Section key %(key)r is invalid or used twice.")
                self.bad(f"$.sections[{n}].key", message % {"key": s["key"]})
        return strategy_codes, goal_codes

    def programmes(self, strategy_codes: list[Any]) -> list[Any]:
        progs = self.doc["programmes"]
        codes = [p.get("code") if isinstance(p, dict) else None for p in progs]
        code_set, strategy_set = set(codes), set(strategy_codes)
        lineages = [p.get("lineage") for n, p in enumerate(progs) if n not in self.skip and p.get("lineage")]
        for n, p in enumerate(progs):
            if n in self.skip:
                continue
            here = f"$.programmes[{n}]"
            if not CODE.match(p["code"]):
                message = _("Programme code %(code)r: letters, digits, dots and hyphens only.")
                self.bad(f"{here}.code", message % {"code": p["code"]})
            self.twice(
                codes, p["code"], f"{here}.code", _("Programme code %(code)s is used twice.") % {"code": p["code"]}
            )
            if p.get("lineage"):
                try:
                    uuid.UUID(p["lineage"])
                except ValueError:
                    self.bad(f"{here}.lineage", _("Not a UUID."))
                self.twice(lineages, p["lineage"], f"{here}.lineage", _("Two programmes share this lineage."))
            self.dimension(p["dimension"], f"{here}.dimension")
            self.element(p.get("element"), p["dimension"], f"{here}.element")
            if p.get("strategy") is not None and p["strategy"] not in strategy_set:
                self.bad(f"{here}.strategy", _("No strategy %(code)s.") % {"code": p["strategy"]})
            self.opd(p.get("lead_opd"), f"{here}.lead_opd")
            for k, o in enumerate(p.get("supporting_opds", [])):
                self.opd(o, f"{here}.supporting_opds[{k}]")
            start, end = p.get("start_year"), p.get("end_year")
            self.year(start, f"{here}.start_year", optional=True)
            self.year(end, f"{here}.end_year", optional=True)
            if start is not None and end is not None and end < start:
                self.bad(f"{here}.end_year", _("The programme ends before it starts."))
            for k, y in enumerate(p.get("quick_win_years", [])):
                if 2000 <= y < self.start:
                    # Quick wins are often the first stage of a longer programme, begun before the plan.
                    message = _("Quick win of %(year)s predates the plan period %(start)s–%(end)s.")
                    where = f"{here}.quick_win_years[{k}]"
                    self.r.warnings.append(
                        ImportProblem(where, message % {"year": y, "start": self.start, "end": self.end})
                    )
                else:
                    self.year(y, f"{here}.quick_win_years[{k}]")
            self.children(p, here)
            for k, d in enumerate(p.get("dependencies", [])):
                if d not in code_set or d == p["code"]:
                    self.bad(f"{here}.dependencies[{k}]", _("Unknown programme %(code)r.") % {"code": d})
        cycle = find_cycle(
            {
                p["code"]: [d for d in p.get("dependencies", []) if d in code_set]
                for n, p in enumerate(progs)
                if n not in self.skip
            }
        )
        if cycle:
            message = _("These dependencies make a cycle: %(cycle)s.")
            where = f"$.programmes[{codes.index(cycle[0])}].dependencies"
            self.bad(where, message % {"cycle": " → ".join([*cycle, cycle[0]])})
        return codes

    def row_ids(self, p: dict[str, Any], here: str) -> None:
        """Ids of rows under a programme the edition has must be rows of that programme."""
        owner = self.r.existing_programmes.get(str(p.get("lineage") or ""))
        if owner is None:
            return
        for kind in ("budgets", "indicators", "action_items"):
            given = [row.get("id") for row in p.get(kind, []) if row.get("id") is not None]
            for k, row in enumerate(p.get(kind, [])):
                rid = row.get("id")
                if rid is None:
                    continue
                if self.r.row_owners.get(kind, {}).get(rid) != owner:
                    message = _("Row %(id)s is not one of programme %(code)s's rows: leave the id empty to add a row.")
                    self.bad(f"{here}.{kind}[{k}].id", message % {"id": rid, "code": p["code"]})
                else:
                    self.twice(given, rid, f"{here}.{kind}[{k}].id", _("Row %(id)s is given twice.") % {"id": rid})

    def children(self, p: dict[str, Any], here: str) -> None:
        self.row_ids(p, here)
        lineages = [i.get("lineage") for i in p.get("indicators", []) if i.get("lineage")]
        for k, i in enumerate(p.get("indicators", [])):
            if i.get("lineage"):
                try:
                    uuid.UUID(i["lineage"])
                except ValueError:
                    self.bad(f"{here}.indicators[{k}].lineage", _("Not a UUID."))
                message = _("Two indicators share this lineage.")
                self.twice(lineages, i["lineage"], f"{here}.indicators[{k}].lineage", message)
        seen: set[tuple[int, str]] = set()
        for k, b in enumerate(p.get("budgets", [])):
            year, source = b.get("year"), b.get("source")
            self.year(year, f"{here}.budgets[{k}].year", optional=True)
            if year is not None and source is not None and (year, source) in seen:
                message = _("Two lines for %(year)s from %(source)s.")
                self.bad(f"{here}.budgets[{k}]", message % {"year": year, "source": source})
            seen.add((year, source))
        for k, i in enumerate(p.get("indicators", [])):
            for key in LEGACY_INDICATOR_KEYS:
                if i.get(key):
                    message = _(
                        "Not imported: the Satu Data metadata is kept on the indicator's metadata page in monitoring."
                    )
                    self.r.warnings.append(ImportProblem(f"{here}.indicators[{k}].{key}", message))
            if i.get("baseline") is not None and _dec(i["baseline"]) is None:
                self.bad(f"{here}.indicators[{k}].baseline", _("Not a number."))
            self.opd(i.get("data_producer"), f"{here}.indicators[{k}].data_producer")
            target_years = [t.get("year") for t in i.get("targets", []) if t.get("year") is not None]
            is_range = i.get("direction") == "range"
            for t, target in enumerate(i.get("targets", [])):
                where = f"{here}.indicators[{k}].targets[{t}]"
                self.year(target.get("year"), f"{where}.year", optional=True)
                low = _dec(target["value"])
                if low is None:
                    self.bad(f"{where}.value", _("Not a number."))
                high = _dec(target["upper"]) if target.get("upper") is not None else None
                if target.get("upper") is not None and high is None:
                    self.bad(f"{where}.upper", _("Not a number."))
                elif is_range and target.get("upper") is None:
                    self.bad(f"{where}.upper", _("The indicator is within a range: give the upper bound too."))
                elif not is_range and high is not None:
                    self.bad(f"{where}.upper", _("Only an indicator within a range has an upper bound."))
                elif low is not None and high is not None and high < low:
                    self.bad(f"{where}.upper", _("The upper bound is below the lower bound."))
                if target.get("year") is not None:
                    self.twice(target_years, target["year"], f"{where}.year", _("Two targets for the same year."))
        for k, a in enumerate(p.get("action_items", [])):
            where = f"{here}.action_items[{k}]"
            s_on, e_on = _date(a["starts_on"]), _date(a["ends_on"])
            if s_on is None:
                self.bad(f"{where}.starts_on", _("Not a date (YYYY-MM-DD)."))
            if e_on is None:
                self.bad(f"{where}.ends_on", _("Not a date (YYYY-MM-DD)."))
            if s_on and e_on and e_on < s_on:
                self.bad(f"{where}.ends_on", _("The end is before the start."))
            self.opd(a.get("opd"), f"{where}.opd")

    def dispositions(self, codes: list[Any]) -> None:
        r = self.r
        code_set = set(codes)
        for n, d in enumerate(self.doc.get("dispositions", [])):
            here = f"$.dispositions[{n}]"
            previous = d.get("previous")
            if previous is not None:
                if r.previous is None:
                    self.bad(f"{here}.previous", _("A disposition needs the edition's previous_year."))
                elif not (
                    r.previous_programmes.get(f"lineage:{previous.get('lineage')}")
                    or r.previous_programmes.get(f"code:{previous.get('code')}")
                ):
                    message = _("No programme %(code)s in the previous edition.")
                    self.bad(f"{here}.previous", message % {"code": previous.get("code")})
            elif d["kind"] != "new":
                self.bad(f"{here}.kind", _("Only a new programme has no previous programme."))
            for key in ("programme", "merged_into"):
                if d.get(key) is not None and d[key] not in code_set:
                    self.bad(f"{here}.{key}", _("Unknown programme %(code)r.") % {"code": d[key]})

    def agencies(self) -> None:
        """The agencies the plan names that only the file lists: described, and created on confirmation."""
        kinds = set(OPDKind.values)
        for abbreviation in sorted(self.named, key=lambda a: self.file_opds[a][0]):
            k, o = self.file_opds[abbreviation]
            here = f"$.opds[{k}]"
            name = (o.get("name") or "").strip()
            if not name:
                self.bad(
                    f"{here}.name", _("Agency %(code)s needs its full name to be created.") % {"code": abbreviation}
                )
            kind = o.get("kind") or _kind_from_name(name)
            if kind not in kinds:
                message = _("Say which kind of agency %(code)s is (kind: %(kinds)s).")
                self.bad(f"{here}.kind", message % {"code": abbreviation, "kinds": ", ".join(sorted(kinds))})
            valid_from, valid_to = _date(o.get("valid_from")), _date(o.get("valid_to"))
            if o.get("valid_from") is not None and valid_from is None:
                self.bad(f"{here}.valid_from", _("Not a date (YYYY-MM-DD)."))
            if o.get("valid_to") is not None and valid_to is None:
                self.bad(f"{here}.valid_to", _("Not a date (YYYY-MM-DD)."))
            start = valid_from or datetime.date(self.start, 1, 1)
            if valid_to is not None and valid_to < start:
                self.bad(f"{here}.valid_to", _("The end is before the start."))
            agency = NewAgency(here, abbreviation, name, str(kind), start, valid_to, valid_from is not None)
            self.r.new_agencies.append(agency)
            if not self.create_agencies:
                message = _("Agency %(code)s (%(name)s) is not in the region yet; confirm that the import creates it.")
                self.bad(here, message % {"code": abbreviation, "name": name or abbreviation})

    def run(self) -> None:
        if not self.header():
            return
        strategy_codes, _goals = self.content()
        codes = self.programmes(strategy_codes)
        self.dispositions(codes)
        self.agencies()


# The first word of an agency's name says its kind in Indonesian government naming.
_KIND_WORDS = {
    "dinas": "dinas",
    "badan": "badan",
    "sekretariat": "sekretariat",
    "inspektorat": "inspektorat",
    "kecamatan": "kecamatan",
    "bagian": "bagian",
}


def _kind_from_name(name: str) -> str | None:
    first = name.split(maxsplit=1)[0].lower() if name.split() else ""
    return _KIND_WORDS.get(first)


PROGRAMME_PATH = re.compile(r"^\$\.programmes\[(\d+)\]\.?(.*)$")
HEADER_KEYS = ("format", "format_version", "region", "edition", "taxonomy", "opds")


def _schema_problem(doc: Any, path: str, text: str) -> ImportProblem:
    """A schema problem that names the programme's code and the field, in the reader's language."""
    from kotacerdas.plans.checks.locations import locate

    match = PROGRAMME_PATH.match(path)
    if not match:
        return ImportProblem(path, text)
    programmes = doc.get("programmes") if isinstance(doc, dict) else None
    n = int(match.group(1))
    item = programmes[n] if isinstance(programmes, list) and n < len(programmes) else None
    code = item.get("code") if isinstance(item, dict) and isinstance(item.get("code"), str) else f"#{n + 1}"
    parts = locate(path).parts if match.group(2) else ()
    label = " › ".join(_(part.label) + (f" {part.number}" if part.number else "") for part in parts)
    label = label or match.group(2) or _("programme")
    message = _("Programme %(code)s, %(field)s: %(problem)s")
    return ImportProblem(path, message % {"code": code, "field": label, "problem": text})


def check_document(
    region: Region, doc: Any, replace: bool = False, create_agencies: bool = False
) -> tuple[list[ImportProblem], _Resolved]:
    """Every problem of ``doc`` as an import into ``region`` (empty when it can be imported).

    The one validation of an interchange document: the import refuses exactly what this lists,
    and ``kotacerdas plan check FILE`` reports the same list. Schema problems and the problems
    found by resolving codes in the region come together; only a broken header (format, region,
    edition, taxonomy) stops the second layer, since nothing below it can be resolved then.
    """
    schema = validate(doc, SCHEMA)
    problems = [_schema_problem(doc, p, m.render(_)) for p, m in schema]
    if not isinstance(doc, dict) or any(not PROGRAMME_PATH.match(p) for p, _m in schema):
        return problems, _Resolved()  # the header or the Buku content is malformed: nothing resolves
    if not problems:
        # What the columns can store (digits, lengths, finite numbers, no NUL): a well-formed file only.
        limits = [ImportProblem(p, m) for p, m in document_problems(doc)]
        if limits:
            return limits, _Resolved()
    checker = _Checker(region, doc, replace, create_agencies)
    checker.skip = {int(m.group(1)) for p, _m in schema if (m := PROGRAMME_PATH.match(p))}
    checker.run()
    return problems + checker.problems, checker.r


def _write_content(edition: Edition, doc: dict[str, Any], r: _Resolved, is_sample: bool) -> dict[str, Strategy]:
    """Replace the edition's Buku content rows; update sections by key."""
    rid = edition.region_id
    # Missions, goals and strategies keep their rows (matched on number and code), so programmes
    # pointing at a strategy are not rewritten when it did not change.
    for model in (SwotItem, ElementWaiver):
        model.objects.filter(edition=edition).delete()
    current = {s.key: s for s in Section.objects.filter(edition=edition)}
    template = {c["key"]: c for c in chapters()}
    for n, s in enumerate(doc.get("sections", [])):
        section = current.get(s["key"]) or Section(region_id=rid, edition=edition, key=s["key"])
        section.book = s.get("book") or template.get(s["key"], {}).get("book", 1)
        section.title = s.get("title") or template.get(s["key"], {}).get("title", s["key"])
        section.body = clean_html(s.get("body", ""))
        section.review_state = s.get("review_state") or section.review_state or "draft"
        section.order = template.get(s["key"], {}).get("order", 100 + n)
        section.is_sample = is_sample
        if section.pk:
            section.version += 1
        section.save()
    given = {s["key"] for s in doc.get("sections", [])}
    Section.objects.bulk_create(
        Section(
            region_id=rid,
            edition=edition,
            key=c["key"],
            book=c["book"],
            title=c["title"],
            order=c["order"],
            is_sample=is_sample,
        )
        for c in template.values()
        if c["key"] not in given and c["key"] not in current
    )
    base = {"region_id": rid, "edition": edition}
    sample = {"is_sample": is_sample}
    missions = keyed.keep_by_key(
        Mission.objects.filter(edition=edition),
        "number",
        [
            (m["number"], {"text": m["text"], "rpjmd_mission": m.get("rpjmd_mission", ""), **sample})
            for m in doc.get("missions", [])
        ],
        base,
    )
    goals = keyed.keep_by_key(
        Goal.objects.filter(edition=edition),
        "code",
        [
            (g["code"], {"text": g["text"], "order": n, "mission": missions.get(g.get("mission")), **sample})
            for n, g in enumerate(doc.get("goals", []))
        ],
        base,
    )
    strategies = keyed.keep_by_key(
        Strategy.objects.filter(edition=edition),
        "code",
        [
            (
                s["code"],
                {
                    "text": s["text"],
                    "order": n,
                    "dimension": r.entries[s["dimension"]],
                    "element": r.entries.get(s.get("element") or ""),
                    "goal": goals.get(s.get("goal") or ""),
                    **sample,
                },
            )
            for n, s in enumerate(doc.get("strategies", []))
        ],
        base,
    )
    components = {e.code: e for e in FrameworkEntry.objects.filter(framework__kind=Kind.COMPONENTS)}
    SwotItem.objects.bulk_create(
        SwotItem(
            region_id=rid,
            edition=edition,
            component=components.get(s.get("component") or ""),
            kind=s["kind"],
            text=s["text"],
            order=n,
            is_sample=is_sample,
        )
        for n, s in enumerate(doc.get("swot", []))
    )
    ElementWaiver.objects.bulk_create(
        ElementWaiver(
            region_id=rid, edition=edition, element=r.entries[w["element"]], reason=w["reason"], is_sample=is_sample
        )
        for w in doc.get("waivers", [])
    )
    return {str(code): strategy for code, strategy in strategies.items()}


def _write_programmes(
    edition: Edition, doc: dict[str, Any], r: _Resolved, strategies: dict[str, Strategy], is_sample: bool
) -> dict[str, Programme]:
    """Programmes matched by lineage are updated in place; the others are created or removed."""
    rid = edition.region_id
    existing = {str(p.lineage): p for p in Programme.objects.filter(edition=edition)}
    kept: dict[str, Programme] = {}
    changes: dict[int, list[str]] = {}  # the fields that differ from the stored row, per programme kept
    for n, p in enumerate(doc["programmes"]):
        lineage = p.get("lineage") or str(uuid.uuid4())
        programme = existing.pop(lineage, None) or Programme(region_id=rid, edition=edition, lineage=uuid.UUID(lineage))
        stored = _row_values(programme) if programme.pk else {}
        programme.code = p["code"]
        programme.dimension = r.entries[p["dimension"]]
        programme.element = r.entries.get(p.get("element") or "")
        programme.strategy = strategies.get(p.get("strategy") or "")
        for key in programme_fields.TEXT_FIELDS:
            setattr(programme, key, p.get(key, ""))
        programme.innovation_kind = p.get("innovation_kind", "ict")
        # Never a default for what the plan does not state: no horizon stays no horizon.
        programme.horizon = p.get("horizon") or ""
        programme.status = p.get("status", "planned")
        programme.start_year, programme.end_year = p.get("start_year"), p.get("end_year")
        programme.partners = "\n".join(p.get("partners", []))
        lead = p.get("lead_opd")
        programme.lead_opd = _pick_opd(r.opds[lead], programme.start_year, programme.end_year) if lead else None
        programme.order = p.get("order", n)
        programme.is_sample = p.get("is_sample", is_sample)
        if programme.pk:
            now = _row_values(programme)
            changes[programme.pk] = [name for name, attname in _PROGRAMME_COLUMNS if stored[attname] != now[attname]]
        kept[p["code"]] = programme
    for gone in existing.values():
        if (
            Disposition.objects.filter(previous_programme=gone).exclude(edition=edition).exists()
            or gone.updates.exists()
        ):
            # The database protects that history (a ProtectedError, a 500): say so instead.
            message = _(
                "Programme %(code)s is referred to by a later edition or by progress reports: keep it in the file."
            )
            raise ImportFailed([ImportProblem("$.programmes", message % {"code": gone.code})])
        Disposition.objects.filter(programme=gone, kind="new").delete()
        gone.delete()
    # Only the programmes that changed are written, and only their changed columns (one UPDATE
    # each): a re-import of an edited file touches the rows edited, not the whole edition, and an
    # untouched programme keeps its version, so a form opened on it still saves.
    to_update = [p for p in kept.values() if p.pk and changes[p.pk]]
    recoded = [p.pk for p in to_update if "code" in changes[p.pk]]
    if recoded:
        # Codes may swap between programmes: park them first so the unique constraint holds.
        Programme.objects.filter(pk__in=recoded).update(code=Concat(Value("~"), Cast("pk", CharField())))
    for p in to_update:
        p.version += 1
        p.save(update_fields=[*changes[p.pk], "version"])
    Programme.objects.bulk_create([p for p in kept.values() if not p.pk], batch_size=200)
    return kept


_PROGRAMME_COLUMNS = [
    (f.name, f.attname) for f in Programme._meta.concrete_fields if f.name in programme_fields.IMPORTED_FIELDS
]


def _row_values(programme: Programme) -> dict[str, Any]:
    return {attname: getattr(programme, attname) for _name, attname in _PROGRAMME_COLUMNS}


def _write_children(edition: Edition, doc: dict[str, Any], r: _Resolved, kept: dict[str, Programme]) -> None:
    """Rows named by id are updated in place when they changed; the others are created or removed."""
    rid = edition.region_id
    ids = [p.pk for p in kept.values()]
    known = set(r.existing_programmes.values())
    # Flags and links are matched on what they say: the unchanged ones keep their rows (and ids).
    old_flags = QuickWinFlag.objects.filter(programme_id__in=ids)
    old_support = Programme.supporting_opds.through.objects.filter(programme_id__in=ids)
    old_deps = Programme.dependencies.through.objects.filter(from_programme_id__in=ids)
    old_budgets = {b.pk: b for b in ProgrammeBudget.objects.filter(programme_id__in=ids)}
    old_indicators = {i.pk: i for i in Indicator.objects.filter(programme_id__in=ids)}
    old_actions = {a.pk: a for a in ActionItem.objects.filter(programme_id__in=ids)}
    old_targets: dict[int, dict[int, IndicatorTarget]] = defaultdict(dict)
    undated_targets: dict[int, list[IndicatorTarget]] = defaultdict(list)
    for t in IndicatorTarget.objects.filter(indicator_id__in=list(old_indicators)).order_by("id"):
        if t.year is None:
            undated_targets[t.indicator_id].append(t)
        else:
            old_targets[t.indicator_id][t.year] = t
    claimed: set[tuple[str, int]] = set()
    changed: list[tuple[Any, list[str]]] = []
    budgets: list[ProgrammeBudget] = []
    flags, actions, support, deps = [], [], [], []
    indicator_rows: list[tuple[Indicator, list[dict[str, Any]]]] = []
    targets_new: list[IndicatorTarget] = []
    targets_gone: list[int] = []
    for p in doc["programmes"]:
        programme = kept[p["code"]]
        start, end = p.get("start_year"), p.get("end_year")

        def opd(code: str | None, start: int | None = start, end: int | None = end) -> OPD | None:
            return _pick_opd(r.opds[code], start, end) if code else None

        def own(kind: str, table: dict[int, Any], row: dict[str, Any], programme: Programme = programme) -> Any:
            """The row this one names by id, when its programme was already in the edition."""
            found = table.get(row.get("id")) if programme.pk in known else None  # type: ignore[arg-type]
            if found is None or found.programme_id != programme.pk or (kind, found.pk) in claimed:
                return None
            claimed.add((kind, found.pk))
            return found

        for b in p.get("budgets", []):
            values = {
                "year": b.get("year"),
                "source": b.get("source") or "",
                "amount": Decimal(b["amount"]),
                "note": b.get("note", ""),
                # Optional: files written before SIPD codes have none.
                "sub_activity_code": " ".join(str(b.get("sub_activity_code") or "").split()),
            }
            if (target := own("budgets", old_budgets, b)) is not None:
                changed.append((target, update_row(target, values)))
            else:
                budgets.append(ProgrammeBudget(region_id=rid, programme=programme, **values))
        years = sorted(set(p.get("quick_win_years", [])))
        flags += [QuickWinFlag(region_id=rid, programme=programme, year=y) for y in years]
        for k, a in enumerate(p.get("action_items", [])):
            values = {
                "activity": a["activity"],
                "starts_on": datetime.date.fromisoformat(a["starts_on"]),
                "ends_on": datetime.date.fromisoformat(a["ends_on"]),
                "person_in_charge": a.get("person_in_charge", ""),
                "opd": opd(a.get("opd")),
                "output": a.get("output", ""),
                "order": k,
            }
            if (target := own("action_items", old_actions, a)) is not None:
                changed.append((target, update_row(target, values)))
            else:
                actions.append(ActionItem(region_id=rid, programme=programme, **values))
        support += [
            Programme.supporting_opds.through(programme_id=programme.pk, opd_id=_pick_opd(r.opds[o], start, end).pk)
            for o in dict.fromkeys(p.get("supporting_opds", []))
        ]
        deps += [
            Programme.dependencies.through(from_programme_id=programme.pk, to_programme_id=kept[d].pk)
            for d in dict.fromkeys(p.get("dependencies", []))
        ]
        for k, i in enumerate(p.get("indicators", [])):
            values = {
                "name": i["name"],
                "kind": i.get("kind", "output"),
                "unit": i["unit"],
                "direction": i["direction"],
                "baseline": _dec(i.get("baseline")),
                "baseline_year": i.get("baseline_year"),
                "data_producer": opd(i.get("data_producer")),
                "order": k,
            }
            target = own("indicators", old_indicators, i)
            if target is None:
                lineage = uuid.UUID(i["lineage"]) if i.get("lineage") else uuid.uuid4()
                indicator = Indicator(region_id=rid, programme=programme, lineage=lineage, **values)
                indicator_rows.append((indicator, i.get("targets", [])))
                continue
            fields = update_row(target, values)
            current = old_targets.get(target.pk, {})
            wanted = {t["year"]: _bounds(t) for t in i.get("targets", []) if t.get("year") is not None}
            gone = [t.pk for year, t in current.items() if year not in wanted]
            # Targets without a year have nothing to match on: they are replaced as a whole.
            undated_old = [(t.pk, (t.value, t.upper)) for t in undated_targets.get(target.pk, [])]
            undated_new = [_bounds(t) for t in i.get("targets", []) if t.get("year") is None]
            if [v for _pk, v in undated_old] != undated_new:
                gone += [pk for pk, _v in undated_old]
                targets_new += [
                    IndicatorTarget(region_id=rid, indicator=target, year=None, value=v, upper=u)
                    for v, u in undated_new
                ]
            touched = bool(gone)
            for year, (value, upper) in wanted.items():
                if year not in current:
                    targets_new.append(
                        IndicatorTarget(region_id=rid, indicator=target, year=year, value=value, upper=upper)
                    )
                    touched = True
                elif (current[year].value, current[year].upper) != (value, upper):
                    current[year].value, current[year].upper = value, upper
                    changed.append((current[year], ["value", "upper"]))
                    touched = True
            targets_gone += gone
            if fields or touched:
                fields.append("version")
                target.version += 1
            changed.append((target, fields))
    if targets_gone:
        IndicatorTarget.objects.filter(pk__in=targets_gone).delete()
    ProgrammeBudget.objects.filter(pk__in=[pk for pk in old_budgets if ("budgets", pk) not in claimed]).delete()
    Indicator.objects.filter(pk__in=[pk for pk in old_indicators if ("indicators", pk) not in claimed]).delete()
    ActionItem.objects.filter(pk__in=[pk for pk in old_actions if ("action_items", pk) not in claimed]).delete()
    rekeyed = [row for row, fields in changed if isinstance(row, ProgrammeBudget) and {"year", "source"} & set(fields)]
    if len(rekeyed) > 1:
        # Lines may swap years or sources: park them on distinct years so the unique key holds.
        for k, row in enumerate(rekeyed, start=1):
            ProgrammeBudget.objects.filter(pk=row.pk).update(year=k)
    for row, fields in changed:
        if fields:
            if isinstance(row, ActionItem):
                row.version += 1
                fields = [*fields, "version"]
            row.save(update_fields=fields)
    ProgrammeBudget.objects.bulk_create(budgets, batch_size=500)
    keyed.sync(old_flags, flags, ("programme_id", "year"))
    ActionItem.objects.bulk_create(actions, batch_size=500)
    keyed.sync(old_support, support, ("programme_id", "opd_id"))
    keyed.sync(old_deps, deps, ("from_programme_id", "to_programme_id"))
    Indicator.objects.bulk_create([i for i, _t in indicator_rows], batch_size=500)
    targets_new += [
        IndicatorTarget(region_id=rid, indicator=i, year=t.get("year"), value=_bounds(t)[0], upper=_bounds(t)[1])
        for i, targets in indicator_rows
        for t in targets
    ]
    IndicatorTarget.objects.bulk_create(targets_new, batch_size=1000)


def _bounds(target: dict[str, Any]) -> tuple[Decimal, Decimal | None]:
    """A checked target's value (or lower bound) and its upper bound (a range only)."""
    upper = target.get("upper")
    return Decimal(str(target["value"])), (Decimal(str(upper)) if upper is not None else None)


def _write_dispositions(
    edition: Edition, doc: dict[str, Any], r: _Resolved, kept: dict[str, Programme], is_sample: bool
) -> None:
    def previous(d: dict[str, Any]) -> Programme | None:
        if not d.get("previous"):
            return None
        return r.previous_programmes.get(f"lineage:{d['previous'].get('lineage')}") or r.previous_programmes.get(
            f"code:{d['previous'].get('code')}"
        )

    Disposition.objects.filter(edition=edition).delete()
    Disposition.objects.bulk_create(
        Disposition(
            region_id=edition.region_id,
            edition=edition,
            kind=d["kind"],
            rationale=d.get("rationale", ""),
            implementation_status=d.get("implementation_status", "not_started"),
            implementation_note=d.get("implementation_note", ""),
            is_sample=is_sample,
            programme=kept.get(d.get("programme") or ""),
            merged_into=kept.get(d.get("merged_into") or ""),
            previous_programme=previous(d),
        )
        for d in doc.get("dispositions", [])
    )


def _lock_draft(region: Region, doc: Any) -> None:
    edition = doc.get("edition") if isinstance(doc, dict) else None
    year = edition.get("year") if isinstance(edition, dict) else None
    if not isinstance(year, int):
        return  # the checks will say what is wrong with the document
    ids = list(Edition.objects.select_for_update().filter(region=region, year=year).values_list("pk", flat=True))
    if not ids:
        return
    names = {"edition", "version"}
    for model in apps.get_app_config("plans").get_models():
        if names <= {f.name for f in model._meta.get_fields()}:
            list(model._default_manager.select_for_update().filter(edition_id__in=ids).values_list("pk", flat=True))


def _create_agencies(actor: Any, region: Region, r: _Resolved, is_sample: bool) -> None:
    """Create the confirmed new agencies through the regions service (its checks and audit entry)."""
    from django.core.exceptions import ValidationError

    from kotacerdas.regions.services import create_opd

    for agency in r.new_agencies:
        data = {
            "name": agency.name,
            "abbreviation": agency.abbreviation,
            "kind": agency.kind,
            "valid_from": agency.valid_from,
            "valid_to": agency.valid_to,
        }
        try:
            opd = create_opd(actor=actor, region=region, data=data, is_sample=is_sample)
        except ValidationError as error:
            raise ImportFailed([ImportProblem(agency.path, " ".join(error.messages))]) from None
        r.opds.setdefault(opd.abbreviation, []).append(opd)


def import_document(
    *,
    actor: Any,
    region: Region,
    doc: Any,
    replace: bool = False,
    is_sample: bool = False,
    create_agencies: bool = False,
) -> Edition:
    """Write ``doc`` as the region's edition of its year; raise ImportFailed with every problem."""
    edition, _resolved = import_with_report(
        actor=actor, region=region, doc=doc, replace=replace, is_sample=is_sample, create_agencies=create_agencies
    )
    return edition


@transaction.atomic
def import_with_report(
    *,
    actor: Any,
    region: Region,
    doc: Any,
    replace: bool = False,
    is_sample: bool = False,
    create_agencies: bool = False,
) -> tuple[Edition, _Resolved]:
    """:func:`import_document`, also giving what the checks resolved: the warnings of the import
    (``.warnings``) and the agencies it created (``.new_agencies``).

    Agencies the plan names that only the file's agency list holds are created when
    ``create_agencies`` confirms it (otherwise each is a problem asking for that confirmation).

    Replacing a draft is a whole-document operation: :func:`_lock_draft` locks the draft's rows
    before they are read, so no save slips in between the checks and the writes, and every row
    the import changes gets a new version, so a form opened before it refuses to save.
    """
    access.check(actor, access.may, region, access.Can.EDIT)
    if replace:
        _lock_draft(region, doc)
    problems, r = check_document(region, doc, replace, create_agencies)
    if problems:
        raise ImportFailed(problems)
    assert r.taxonomy is not None
    _create_agencies(actor, region, r, is_sample)
    ed = doc["edition"]
    plan = ensure_plan(actor=actor, region=region, is_sample=is_sample)
    edition = r.existing or Edition(region=region, plan=plan, taxonomy=r.taxonomy, is_sample=is_sample)
    before = snapshot(edition) if r.existing else None
    edition.year, edition.title = ed["year"], ed["title"]
    edition.start_year, edition.end_year = ed["start_year"], ed["end_year"]
    edition.previous = r.previous
    edition.vision = ed.get("vision", "")
    edition.rpjmd_period = ed.get("rpjmd_period", "")
    edition.vision_keywords = list(ed.get("vision_keywords", []))
    edition.quick_win_limit = ed.get("quick_win_limit", 6)
    edition.rpjmd_min_share = ed.get("rpjmd_min_share", 60)
    if r.existing:
        edition.version += 1
    edition.save()
    strategies = _write_content(edition, doc, r, is_sample)
    kept = _write_programmes(edition, doc, r, strategies, is_sample)
    _write_children(edition, doc, r, kept)
    _write_dispositions(edition, doc, r, kept, is_sample)
    touch_summary(edition)
    counts = {k: len(doc.get(k, [])) for k in ("programmes", "missions", "goals", "strategies", "dispositions")}
    record(
        actor=actor,
        action="update" if r.existing else "create",
        obj=edition,
        region=region,
        before=before,
        after={
            **snapshot(edition),
            "imported": counts,
            "file_fingerprint": fingerprint(doc),
            "created_agencies": [a.abbreviation for a in r.new_agencies],
        },
    )
    return edition, r
