"""``kotacerdas regions``: list and show regions; set up a new one and its agencies from nothing.

kotacerdas regions list [--json]
kotacerdas regions show 13.72 [--json]
kotacerdas regions create 13.72 --name Solok --type kota --province "Sumatera Barat"
    [--time-zone WIB] [--area 57.64] [--motto …] [--json]
kotacerdas regions population 13.72 2024 76.000 --seen-version 0 [--source …] [--estimate] [--json]
kotacerdas regions opd add 13.72 --name … --kind dinas|…|rsud|uptd|bumd [--abbreviation …]
    [--valid-from 2024-01-01] [--valid-to …] [--head …] [--head-title …] [--predecessors A,B] [--json]
kotacerdas regions opd import 13.72 FILE.xlsx|FILE.csv [--json]
kotacerdas regions opd template OUT.xlsx|OUT.csv

The command acts as the console operator (``actor=None``), through the same services as the
pages (validated, audited). Bad input (an unknown region, province, type or kind, a duplicate
code or agency, a stale version, a file with problems) exits with code 2, says what to fix and
changes nothing; an import with problems lists every one by file, row and column.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.lib.commands import JsonCommand, validation_message
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.lib.uploads import UnreadableFile
from kotacerdas.regions import agencies_file, services
from kotacerdas.regions.forms import WholeNumberField
from kotacerdas.regions.models import OPD, OPDKind, Region, RegionKind, TimeZoneName
from kotacerdas.regions.selectors import region_summary

BAD_INPUT = 2


def bad(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def _date(option: str, value: str | None) -> datetime.date | None:
    if value is None or not value.strip():
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise bad(
            _("%(option)s: %(value)r is not a date like 2024-01-31.") % {"option": option, "value": value}
        ) from None


def _region_json(region: Region) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "label": region.label,
        "type": region.kind,
        "province": region.province,
        "time_zone": region.time_zone,
        "area_km2": str(region.area_km2) if region.area_km2 is not None else None,
        "motto": region.motto,
    }


def _opd_json(opd: OPD) -> dict[str, Any]:
    return {
        "id": opd.pk,
        "abbreviation": opd.abbreviation,
        "name": opd.name,
        "kind": opd.kind,
        "partner": opd.is_partner,
        "head": opd.head_name,
        "valid_from": opd.valid_from.isoformat(),
        "valid_to": opd.valid_to.isoformat() if opd.valid_to else None,
        "predecessors": [p.abbreviation for p in opd.predecessors.all()],
    }


class Command(JsonCommand):
    help = (
        "Regions: list, show; create a region, record its population, add or import its agencies (OPD), "
        "write the agencies template."
    )

    def add_arguments(self, parser: Any) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)

        def verb(group: Any, name: str, help: str) -> Any:
            sub = group.add_parser(name, help=help)
            super(Command, self).add_arguments(sub)
            return sub

        verb(verbs, "list", "Every region with its code, type and province.")
        show = verb(verbs, "show", "One region's profile with its size classes, agencies and governance bodies.")
        show.add_argument("code", nargs="?", help="Kemendagri code, e.g. 13.72.")

        create = verb(verbs, "create", "Add a region (Kemendagri code, name, type, province).")
        create.add_argument("code", help="Kemendagri code NN.NN: the province's two digits, a dot, two digits.")
        create.add_argument("--name", required=True, help="The name without its type, e.g. Solok.")
        create.add_argument("--type", dest="kind", required=True, help="kota or kabupaten.")
        create.add_argument("--province", required=True, help="As Kemendagri writes it, e.g. 'Sumatera Barat'.")
        create.add_argument("--time-zone", help="WIB, WITA or WIT (default: the province's).")
        create.add_argument("--area", help="Area in km², e.g. 57.64.")
        create.add_argument("--motto", default="")

        population = verb(verbs, "population", "Record or correct the population of a year.")
        population.add_argument("code", help="Region code, e.g. 13.72.")
        population.add_argument("year", type=int)
        population.add_argument("population", help="Whole number, e.g. 76000 or 76.000.")
        population.add_argument(
            "--seen-version",
            required=True,
            help="The version of the year's figure you saw (kotacerdas regions show --json); 0 when there is none.",
        )
        population.add_argument("--source", default="", help="E.g. BPS census 2020.")
        population.add_argument("--estimate", action="store_true")

        opd = verbs.add_parser("opd", help="A region's agencies (OPD): add one, import a file, write the template.")
        opd_verbs = opd.add_subparsers(dest="opd_verb", required=True)
        add = verb(opd_verbs, "add", "Add one agency.")
        add.add_argument("code", help="Region code, e.g. 13.72.")
        add.add_argument("--name", required=True)
        add.add_argument("--kind", required=True, help=f"One of {', '.join(OPDKind.values)}.")
        add.add_argument("--abbreviation", default="", help="E.g. Diskominfo (default: the name, if short enough).")
        add.add_argument("--valid-from", help="YYYY-MM-DD (default: today).")
        add.add_argument("--valid-to", help="YYYY-MM-DD, for an agency that no longer exists.")
        add.add_argument("--head", default="", help="The head's name.")
        add.add_argument("--head-title", default="", help="The head's title.")
        add.add_argument("--predecessors", default="", help="For a merged agency: abbreviations, comma separated.")
        load = verb(opd_verbs, "import", "Add the agencies of a CSV or XLSX file, all or nothing.")
        load.add_argument("code", help="Region code, e.g. 13.72.")
        load.add_argument("file", metavar="FILE", help="A .xlsx workbook or a .csv file (see opd template).")
        template = verb(opd_verbs, "template", "Write the agencies template.")
        template.add_argument("output", metavar="OUT", help="The .xlsx (or .csv) file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["verb"] if options["verb"] != "opd" else "opd_" + options["opd_verb"]
        try:
            getattr(self, "_" + name)(options)
        except ValidationError as error:
            raise bad(validation_message(error)) from None
        except EditConflict as conflict:
            raise bad(str(conflict)) from None

    def _region(self, code: str) -> Region:
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise bad(_("code: there is no region %(code)s (see kotacerdas regions list).") % {"code": code})
        return region

    # Regions -------------------------------------------------------------------------------

    def _list(self, options: dict[str, Any]) -> None:
        rows = list(Region.objects.order_by("code").values("code", "name", "kind", "province"))
        text = "\n".join(f"{r['code']}  {r['kind'].title()} {r['name']} ({r['province']})" for r in rows)
        self.emit(options, rows, text or "No regions.")

    def _show(self, options: dict[str, Any]) -> None:
        if not options["code"]:
            raise bad("show needs a region code, e.g. kotacerdas regions show 13.72")
        region = self._region(options["code"])
        summary = region_summary(region)
        lines = [f"{region} ({region.code}), {region.province}"]
        for p in summary["population"]:  # type: ignore[attr-defined]
            lines.append(f"  population {p['year']}: {p['population']:,}{' (estimate)' if p['estimate'] else ''}")
        for s in summary["size_classes"]:  # type: ignore[attr-defined]
            lines.append(f"  size class {s['scheme']} v{s['version']}: {s['label'] or 'unknown'}")
        lines.append(f"  agencies: {len(summary['opds'])}; governance bodies: {len(summary['governance_bodies'])}")  # type: ignore[arg-type]
        self.emit(options, summary, "\n".join(lines))

    def _create(self, options: dict[str, Any]) -> None:
        data: dict[str, Any] = {
            "code": options["code"].strip(),
            "name": options["name"].strip(),
            "kind": options["kind"].strip().lower(),
            "province": options["province"],
            "motto": options["motto"],
        }
        if options.get("time_zone"):
            zone = options["time_zone"].strip().upper()
            if zone not in TimeZoneName.values:
                raise bad(_("--time-zone: use WIB, WITA or WIT."))
            data["time_zone"] = zone
        if options.get("area"):
            try:
                data["area_km2"] = Decimal(options["area"].strip().replace(",", "."))
            except InvalidOperation:
                raise bad(_("--area: %(value)r is not a number like 57.64.") % {"value": options["area"]}) from None
        if data["kind"] not in RegionKind.values:
            raise bad(
                _("--type: %(value)r is not a type of region: use kota or kabupaten.") % {"value": options["kind"]}
            )
        region = services.create_region(actor=None, data=data, strict=True)
        region.refresh_from_db()  # the area as stored (two decimals)
        self.emit(options, _region_json(region), f"Created {region.label} ({region.code}), {region.province}.")

    def _population(self, options: dict[str, Any]) -> None:
        region = self._region(options["code"])
        try:
            count = WholeNumberField(message="").clean(options["population"])
        except Exception:
            raise bad(_("POPULATION: write a whole number of zero or more, e.g. 76000 or 76.000.")) from None
        if count is None:
            raise bad(_("POPULATION: write a whole number of zero or more, e.g. 76000 or 76.000."))
        seen = options["seen_version"].strip()
        if not seen.isdigit():
            raise bad(_("--seen-version: the version you saw, a whole number; 0 when the year has no figure yet."))
        if not 1900 <= options["year"] <= 2100:
            raise bad(_("YEAR: a year from 1900 to 2100."))
        figure = services.set_population(
            actor=None,
            region=region,
            year=options["year"],
            population=count,
            source=options["source"],
            is_estimate=options["estimate"],
            expected_version=int(seen),
        )
        payload = {
            "region": region.code,
            "year": figure.year,
            "population": figure.population,
            "source": figure.source,
            "estimate": figure.is_estimate,
            "version": figure.version,
        }
        self.emit(options, payload, f"{region.label} {figure.year}: {figure.population:,} (version {figure.version}).")

    # Agencies ------------------------------------------------------------------------------

    def _opd_add(self, options: dict[str, Any]) -> None:
        region = self._region(options["code"])
        name = " ".join(options["name"].split())
        abbreviation = " ".join(options["abbreviation"].split())
        if not abbreviation:
            if len(name) > agencies_file.ABBREVIATION_LENGTH:
                raise bad(
                    _("--abbreviation: give one (at most %(n)s characters); the name is too long to stand for it.")
                    % {"n": agencies_file.ABBREVIATION_LENGTH}
                )
            abbreviation = name
        kind = agencies_file.kind_of(options["kind"])
        if kind is None:
            raise bad(
                _("--kind: %(value)r is not a kind of agency: use one of %(kinds)s.")
                % {"value": options["kind"], "kinds": agencies_file.kinds_hint()}
            )
        predecessors: list[OPD] = []
        for wanted in filter(None, (p.strip() for p in agencies_file.SEPARATORS.split(options["predecessors"]))):
            found = OPD.objects.filter(region=region, abbreviation__iexact=wanted).order_by("-valid_from").first()
            if found is None:
                raise bad(
                    _("--predecessors: region %(code)s has no agency %(abbreviation)s.")
                    % {"code": region.code, "abbreviation": wanted}
                )
            predecessors.append(found)
        data = {
            "name": name,
            "abbreviation": abbreviation,
            "kind": kind,
            "valid_from": _date("--valid-from", options.get("valid_from")) or timezone.localdate(),
            "valid_to": _date("--valid-to", options.get("valid_to")),
            "head_name": options["head"].strip(),
            "head_title": options["head_title"].strip(),
        }
        opd = services.create_opd(actor=None, region=region, data=data, predecessors=predecessors)
        text = f"Added {opd.abbreviation} ({opd.name}), {opd.kind}, valid from {opd.valid_from.isoformat()}"
        text += f" to {opd.valid_to.isoformat()}." if opd.valid_to else "."
        self.emit(options, _opd_json(opd), text)

    def _opd_import(self, options: dict[str, Any]) -> None:
        region = self._region(options["code"])
        path = Path(options["file"])
        if not path.is_file():
            raise bad(_("FILE: there is no file %(path)s.") % {"path": path})
        if path.stat().st_size > agencies_file.MAX_BYTES:
            raise bad(
                _("FILE: %(path)s is larger than %(mb)s MB.") % {"path": path, "mb": agencies_file.MAX_BYTES // 2**20}
            )
        try:
            result = agencies_file.import_agencies(actor=None, region=region, data=path.read_bytes(), name=path.name)
        except UnreadableFile as error:
            raise bad(error.message) from None
        if not result.ok:
            if options.get("json"):
                self.emit(options, result.as_dict(), "")
            raise bad("\n".join([_("Nothing was imported:"), *result.problem_lines()]))
        lines = [f"Imported {len(result.created)} agencies into {region.label}:"]
        lines += [f"  {o.abbreviation}  {o.name} ({o.kind})" for o in result.created]
        self.emit(options, result.as_dict(), "\n".join(lines))

    def _opd_template(self, options: dict[str, Any]) -> None:
        path = Path(options["output"])
        if path.suffix.lower() == ".xlsx":
            content = agencies_file.template_workbook()
        elif path.suffix.lower() == ".csv":
            content = agencies_file.template_csv().encode("utf-8")
        else:
            raise bad(_("OUT: write a .xlsx or a .csv file."))
        path.write_bytes(content)
        self.emit(options, {"file": str(path), "bytes": len(content)}, f"Wrote {path} ({len(content)} bytes).")
