"""``kotacerdas plan``: the plan check, change log, export, import and schema of master plan editions.

``check`` and ``changelog`` run on files with no server (``kotacerdas plan check plan.xlsx``) or
on an edition in the database (``kotacerdas plan check 13.72 --edition 2024``). ``check`` exits
with status 1 while errors remain, so it can gate a pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext

from kotacerdas.lib.commands import JsonCommand, validation_message
from kotacerdas.lib.spreadsheets import csv_text
from kotacerdas.plans import changelog
from kotacerdas.plans.interchange.schema import SCHEMA

ACTIONS = [
    "check",
    "changelog",
    "export",
    "import",
    "schema",
    "summaries",
    "template",
    "waive",
    "sipd-export",
]


def read_file(path: Path) -> dict[str, Any]:
    """An interchange document from a JSON or XLSX file; CommandError naming the file otherwise."""
    if not path.is_file():
        raise CommandError(f"file: {path} does not exist.")
    return _readable(path, _read(path))


def _read(path: Path) -> Any:
    from kotacerdas.plans.interchange.files import read_document

    return read_document(path.read_bytes(), path.name)


def _readable(path: Path, read: Any) -> dict[str, Any]:
    if read.problems:
        raise CommandError(
            "\n".join(message if where == path.name else f"{where}: {message}" for where, message in read.problems[:20])
        )
    return read.doc


def _edition(code: str, year: int | None) -> Any:
    from kotacerdas.plans.models import Edition
    from kotacerdas.regions.models import Region

    region = Region.objects.filter(code=code).first()
    if region is None:
        raise CommandError(f"region: no region {code!r}; see kotacerdas regions list.")
    editions = Edition.objects.filter(region=region)
    if year is None:
        raise CommandError(
            "--edition: which edition? The region has: " + ", ".join(str(e.year) for e in editions.order_by("year"))
        )
    edition = editions.filter(year=year).first()
    if edition is None:
        raise CommandError(f"--edition: region {code} has no edition {year}.")
    return edition


def load(target: str, year: int | None) -> dict[str, Any]:
    """A document from a file path, or from the database for ``REGION --edition YEAR``."""
    path = Path(target)
    if path.suffix.lower() in (".json", ".xlsx") or path.exists():
        return read_file(path)
    from kotacerdas.plans.selectors import check_document

    return check_document(_edition(target, year))


def _agencies_text(agencies: list[Any], created: bool = False) -> str:
    head = "Agencies created:" if created else "Agencies not yet in the region (the import can create them):"
    rows = [
        f"  {a.abbreviation:<14} {a.name}  ({a.kind}, from {a.valid_from.isoformat()}"
        + ("" if a.dated else ", the plan period's start: the file gives no date")
        + ")"
        for a in agencies
    ]
    return "\n".join([head, *rows])


class Command(JsonCommand):
    help = (
        "Master plan editions: check FILE|REGION (the plan check; exit 1 while errors remain), "
        "changelog OLD NEW (files, or REGION --from YEAR --edition YEAR), export REGION --edition YEAR, "
        "import REGION FILE, schema, summaries [REGION] [--rebuild] (the stored plan checks and figures), "
        "waive REGION --edition YEAR --rule PC033 [--subject S] --reason TEXT | --withdraw (waivers of findings)."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("action", choices=ACTIONS)
        parser.add_argument("target", nargs="?", help="A JSON/XLSX file or a region code (e.g. 13.72).")
        parser.add_argument("other", nargs="?", help="changelog: the newer file; import: the file to import.")
        parser.add_argument("--edition", type=int, help="The edition year, e.g. 2024.")
        parser.add_argument("--from", dest="from_year", type=int, help="changelog: the older edition year.")
        parser.add_argument("--format", choices=["json", "xlsx", "csv"], help="export: json or xlsx; changelog: csv.")
        parser.add_argument("--output", help="Write to this file instead of standard output.")
        parser.add_argument("--replace", action="store_true", help="import: replace a draft edition of that year.")
        parser.add_argument(
            "--region",
            help="check FILE: the region it would be imported into (default: the file's region); "
            "its taxonomy and agencies are used where the file gives none.",
        )
        parser.add_argument(
            "--table",
            action="store_true",
            help="template: the programme-table template (a Word plan's table pasted into XLSX; see FORMAT.md).",
        )
        parser.add_argument(
            "--create-agencies",
            action="store_true",
            help="import: create the agencies the plan names that only the file's agency list holds.",
        )
        parser.add_argument(
            "--rebuild", action="store_true", help="summaries: recompute the stored summaries (all, or REGION's)."
        )
        parser.add_argument(
            "--all", action="store_true", help="check: list every finding under its group (the JSON always does)."
        )
        parser.add_argument("--rule", help="waive: the rule whose findings to waive, e.g. PC033.")
        parser.add_argument(
            "--subject", default="", help="waive: the programme, agency, keyword or dimension (none: the whole plan)."
        )
        parser.add_argument("--reason", help="waive: why the findings may stay (recorded with the waiver).")
        parser.add_argument("--withdraw", action="store_true", help="waive: withdraw the waiver instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "schema":
            self._write(options, json.dumps(SCHEMA, ensure_ascii=False, indent=2))
            return
        if action == "summaries":
            self._summaries(options)
            return
        if action == "template":
            self._template(options)
            return
        if not options["target"]:
            raise CommandError(f"target: {action} needs a file or a region code, e.g. kotacerdas plan {action} 13.72")
        getattr(self, "_" + action.replace("-", "_"))(options)

    def _write(self, options: dict[str, Any], text: str | bytes) -> None:
        if options.get("output"):
            out = Path(options["output"])
            if isinstance(text, bytes):
                out.write_bytes(text)
            else:
                out.write_text(text, encoding="utf-8")
            self.stderr.write(f"Written to {out}.")
        elif isinstance(text, bytes):
            raise CommandError("--output: an XLSX workbook must be written to a file.")
        else:
            self.stdout.write(text)

    def _check(self, options: dict[str, Any]) -> None:
        """Findings grouped by rule and message, by severity then programme; --json keeps every
        finding and adds the groups. A file is checked as an import into its region; an edition in
        the database has its waivers applied."""
        target = options["target"]
        path = Path(target)
        if path.suffix.lower() in (".json", ".xlsx") or path.exists():
            report, new_agencies = self._check_file(path, options)
        else:
            from kotacerdas.plans.summaries import checked

            report, new_agencies = checked(_edition(target, options["edition"])), []
        lines = []
        for group in report.groups():
            lines.append(f"{group.severity.label.upper():<8} {group.rule} {group.headline().render(gettext)}")
            if group.count == 1:
                f = group.findings[0]
                lines[-1] += f"  [{f.path}]"
            elif options.get("all"):
                for f in group.findings:
                    lines.append(f"{'':<15}{f.subject:<10} {f.render(gettext)}  [{f.path}]")
        for f in report.waived:
            waiver = f.waiver or {}
            lines.append(
                f"{gettext('waived'):<8} {f.rule} {f.subject:<8} {f.render(gettext)} "
                f"({waiver.get('reason')}; {waiver.get('by')}, {str(waiver.get('at'))[:10]})"
            )
        counts = report.counts()
        if new_agencies:
            lines.append(_agencies_text(new_agencies))
        lines.append(
            f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s), "
            f"{len(report.waived)} waived."
        )
        payload = report.as_dict()
        if new_agencies:
            payload["new_agencies"] = [a.as_dict() for a in new_agencies]
        self.emit(options, payload, "\n".join(lines))
        if report.errors:
            raise CommandError(f"{len(report.errors)} error(s) remain.", returncode=1)

    def _check_file(self, path: Path, options: dict[str, Any]) -> tuple[Any, list[Any]]:
        """The check of a file as an import into the region (``--region``, else the file's own)."""
        from kotacerdas.plans.interchange.intake import check_file
        from kotacerdas.regions.models import Region

        read = _read(path) if path.is_file() else None
        doc = read_file(path) if read is None else _readable(path, read)
        code = options.get("region") or ((doc.get("region") or {}).get("code") if isinstance(doc, dict) else None)
        region = Region.objects.filter(code=code).first() if isinstance(code, str) and code else None
        if options.get("region") and region is None:
            raise CommandError(f"--region: no region {options['region']!r}; see kotacerdas regions list.")
        report, resolved = check_file(
            doc, region, replace=options["replace"], create_agencies=options["create_agencies"]
        )
        if read is not None and read.cells:
            from dataclasses import replace

            report.findings[:] = [
                replace(f, path=read.locate(f.path)) if f.rule.startswith("PI") else f for f in report.findings
            ]
        return report, resolved.new_agencies

    def _waive(self, options: dict[str, Any]) -> None:
        """Record, change or withdraw the waiver of a rule's findings about one subject (as the
        operator at the console: the audit trail names no person)."""
        from django.core.exceptions import ValidationError

        from kotacerdas.plans.models import FindingWaiver
        from kotacerdas.plans.services.waivers import waive_findings, withdraw_waiver

        edition = _edition(options["target"], options["edition"])
        rule, subject = str(options["rule"] or "").strip().upper(), str(options["subject"] or "").strip()
        if not rule:
            raise CommandError("--rule: which rule's findings? e.g. --rule PC033", returncode=2)
        existing = FindingWaiver.objects.filter(edition=edition, rule=rule, subject=subject).first()
        if options["withdraw"]:
            if existing is None:
                raise CommandError(
                    f"--rule/--subject: no waiver of {rule} for {subject or 'the whole plan'!r}.", returncode=2
                )
            withdraw_waiver(actor=None, waiver=existing, expected_version=existing.version)
            self.emit(options, {"withdrawn": {"rule": rule, "subject": subject}}, f"Withdrawn: {rule} {subject}.")
            return
        try:
            waiver = waive_findings(
                actor=None,
                edition=edition,
                rule=rule,
                subject=subject,
                reason=options["reason"] or "",
                expected_version=existing.version if existing else None,
            )
        except ValidationError as error:
            raise CommandError(validation_message(error), returncode=2) from None
        payload = {"rule": waiver.rule, "subject": waiver.subject, "reason": waiver.reason, "version": waiver.version}
        self.emit(options, payload, f"Waived: {waiver.rule} {waiver.subject} ({waiver.reason}).")

    def _changelog(self, options: dict[str, Any]) -> None:
        if options["other"]:
            old, new = load(options["target"], None), load(options["other"], None)
        else:
            if options["from_year"] is None:
                raise CommandError("--from: give the older edition year, or two files.")
            old = load(options["target"], options["from_year"])
            new = load(options["target"], options["edition"])
        changes = changelog.changelog(old, new)
        if options["format"] == "csv":
            header = ["change", "kind", "key", "label", "field", "before", "after"]
            rows = ([c.change, c.kind, c.key, c.label, c.field, c.before, c.after] for c in changes)
            self._write(options, csv_text([header, *rows]))
            return
        text = "\n".join(
            f"{c.change:<8} {c.kind:<10} {c.key:<10} {c.field:<16} {c.before[:40]!r} → {c.after[:40]!r}"
            for c in changes
        )
        payload = {"summary": changelog.summary(changes), "changes": [c.as_dict() for c in changes]}
        self.emit(options, payload, text or "No differences.")

    def _export(self, options: dict[str, Any]) -> None:
        from kotacerdas.plans.interchange.export import edition_document

        doc = edition_document(_edition(options["target"], options["edition"]))
        if options["format"] == "xlsx":
            from kotacerdas.plans.interchange.xlsx import write_workbook

            self._write(options, write_workbook(doc))
        else:
            self._write(options, json.dumps(doc, ensure_ascii=False, indent=2))

    def _sipd_export(self, options: dict[str, Any]) -> None:
        """The edition's programmes with SIPD codes and budgets per year (docs/sipd.md): CSV on
        standard output or --output, XLSX to --output; --json prints the rows."""
        from kotacerdas.plans import exports, selectors

        table = selectors.sipd_export(_edition(options["target"], options["edition"]))
        if options.get("json"):
            self.emit(options, table, "")
            return
        fmt = options["format"] or "csv"
        if fmt not in exports.WRITERS:
            raise CommandError("--format: sipd-export writes csv or xlsx.")
        self._write(options, exports.written(table, fmt, "SIPD"))

    def _import(self, options: dict[str, Any]) -> None:
        from kotacerdas.plans.interchange.importer import ImportFailed, import_with_report
        from kotacerdas.regions.models import Region

        region = Region.objects.filter(code=options["target"]).first()
        if region is None:
            raise CommandError(f"region: no region {options['target']!r}.")
        if not options["other"]:
            raise CommandError("file: give the file to import, e.g. kotacerdas plan import 13.72 plan.xlsx")
        path = Path(options["other"])
        if not path.is_file():
            raise CommandError(f"file: {path} does not exist.")
        workbook = _read(path)
        doc = _readable(path, workbook)
        from kotacerdas.plans.interchange.importer import check_document

        try:
            edition, imported = import_with_report(
                actor=None,
                region=region,
                doc=doc,
                replace=options["replace"],
                create_agencies=options["create_agencies"],
            )
        except ImportFailed as failed:
            from kotacerdas.lib.uploads import capped, more_problems

            where = workbook.locate
            _problems, resolved = check_document(region, doc, options["replace"], options["create_agencies"])
            lines = [f"  {where(p.path)}: {p.message}" for p in failed.problems]
            text = f"{len(failed.problems)} problem(s), nothing imported:\n" + "\n".join(
                capped(lines, lambda n: f"  {more_problems(n)}")
            )
            if resolved.new_agencies and not options["create_agencies"]:
                text += (
                    "\n" + _agencies_text(resolved.new_agencies) + "\nRun again with --create-agencies to create them."
                )
            raise CommandError(text) from None
        payload: dict[str, Any] = {
            "region": region.code,
            "edition": edition.year,
            "programmes": edition.programmes.count(),
            "created_agencies": [],
            "warnings": [],
        }
        lines = [f"Imported edition {edition.year} of {region.code}."]
        for warning in imported.warnings:
            payload["warnings"].append({"path": warning.path, "message": warning.message})
            lines.append(f"warning  {workbook.locate(warning.path)}: {warning.message}")
        for agency in imported.new_agencies:
            payload["created_agencies"].append(agency.as_dict())
        if payload["created_agencies"]:
            lines.append(_agencies_text(imported.new_agencies, created=True))
        self.emit(options, payload, "\n".join(lines))

    def _template(self, options: dict[str, Any]) -> None:
        """``plan template --table [REGION] --output FILE.xlsx``: the programme-table template."""
        from kotacerdas.plans.interchange.table import default_dimensions, write_table_template

        if not options["table"]:
            raise CommandError(
                "--table: only the programme-table template is made here; the full workbook is "
                "kotacerdas plan export REGION --edition YEAR --format xlsx, or the template on the import page."
            )
        if not options.get("output"):
            raise CommandError("--output: give the file to write, e.g. --output tabel-program.xlsx")
        dimensions: list[dict[str, Any]] = []
        agencies: list[dict[str, Any]] = []
        region_code = ""
        if options["target"]:
            from kotacerdas.plans.interchange.export import opd_data
            from kotacerdas.regions.models import Region

            region = Region.objects.filter(code=options["target"]).first()
            if region is None:
                raise CommandError(f"region: no region {options['target']!r}; see kotacerdas regions list.")
            region_code = region.code
            agencies = opd_data(region.pk)
        dimensions = default_dimensions()
        self._write(options, write_table_template(region_code, dimensions, agencies))
        if options.get("json"):
            self.stdout.write(json.dumps({"written": options["output"], "region": region_code or None}))

    def _summaries(self, options: dict[str, Any]) -> None:
        """List the editions' stored summaries (fresh or stale, counts); ``--rebuild`` recomputes them."""
        from kotacerdas.plans import summaries
        from kotacerdas.plans.models import Edition, EditionSummary

        editions = Edition.objects.select_related("region").order_by("region__code", "year")
        if options["target"]:
            editions = editions.filter(region__code=options["target"])
            if not editions.exists():
                raise CommandError(f"region: no region {options['target']!r} with a master plan edition.")
        if options["edition"] is not None:
            editions = editions.filter(year=options["edition"])
        if options["rebuild"]:
            stored = {s.edition_id: s for s in summaries.rebuild(editions)}
            fresh = set(stored)
        else:
            rows = EditionSummary.objects.filter(edition__in=editions).defer("document")
            stored = {s.edition_id: s for s in rows}
            fresh = set(summaries.fresh(rows).values_list("edition_id", flat=True))
        payload: list[dict[str, Any]] = []
        for edition in editions:
            summary = stored.get(edition.pk)
            payload.append(
                {
                    "region": edition.region.code,
                    "edition": edition.year,
                    "state": "fresh" if edition.pk in fresh else ("stale" if summary else "missing"),
                    "computed_at": summary.computed_at.isoformat() if summary else None,
                    "counts": summary.counts if summary else None,
                    "programmes": summary.figures.get("programmes") if summary else None,
                }
            )
        lines = [
            f"{p['region']:<8} {p['edition']} {p['state']:<8} "
            + (
                f"{p['counts']['error']} error(s), {p['counts']['warning']} warning(s), {p['counts']['info']} note(s)"
                if p["counts"]
                else "-"
            )
            for p in payload
        ]
        verb = "Rebuilt" if options["rebuild"] else "Listed"
        lines.append(f"{verb} {len(payload)} edition summary(ies).")
        self.emit(options, {"rebuilt": bool(options["rebuild"]), "editions": payload}, "\n".join(lines))
