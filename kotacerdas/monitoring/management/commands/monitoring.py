"""``kotacerdas monitoring``: implementation status, reporting set-up, the template, its import, reminders.

kotacerdas monitoring status 13.72 [--edition 2024] [--period 2025-Q1] [--today D] [--json]
kotacerdas monitoring start 13.72 [--edition 2024] [--cadence quarterly|monthly] [--grace-days 10] [--json]
kotacerdas monitoring template 13.72 [--edition 2024] [--period 2025-Q1] --output F.xlsx|F.csv [--sheet Capaian]
kotacerdas monitoring import 13.72 FILE [--edition 2024] [--submit] [--json]
kotacerdas monitoring remind [--days 5] [--today 2025-04-05] [--dry-run] [--json]
kotacerdas monitoring indicators-export 13.72 [--edition 2024] [--output F.csv] [--json]

The command acts as the console operator (``actor=None``). Bad input (an unknown region, edition
or period, a file with problems) exits with code 2 and says what to fix; an import with problems
writes nothing and lists every problem with its sheet, row and column.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.lib.commands import JsonCommand, validation_message
from kotacerdas.lib.spreadsheets import csv_text
from kotacerdas.lib.uploads import UnreadableFile
from kotacerdas.monitoring import files, reminders, satudata, selectors, services, status
from kotacerdas.monitoring.models import Cadence, ReportingPeriod, ReportingPlan
from kotacerdas.plans.models import Edition
from kotacerdas.plans.models.plan import EditionStatus
from kotacerdas.regions.models import Region

BAD_INPUT = 2


def bad(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise bad(_("--today: %(value)r is not a date like 2025-04-05.") % {"value": value}) from None


class Command(JsonCommand):
    help = (
        "Implementation monitoring: status of a region, start reporting, the updates template, its import, reminders."
    )

    def add_arguments(self, parser: Any) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)

        def verb(name: str, help: str, region: bool = True) -> Any:
            sub = verbs.add_parser(name, help=help)
            if region:
                sub.add_argument("code", help="Region code, e.g. 13.72.")
                sub.add_argument(
                    "--edition", type=int, help="The edition year, e.g. 2024 (default: the one reporting)."
                )
            super(Command, self).add_arguments(sub)
            return sub

        show = verb("status", "Roll-up per dimension, programmes by status, late reports, budget, missing actuals.")
        show.add_argument("--period", help="The reporting period, e.g. 2025-Q1 (default: the latest ended).")
        show.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")
        start = verb("start", "Start the reporting of an adopted edition.")
        start.add_argument("--cadence", choices=Cadence.values, default=Cadence.QUARTERLY)
        start.add_argument("--grace-days", default="10", help="Days to report after a period ends (0–90).")
        start.add_argument("--rollup", choices=["equal", "budget"], default="equal", help="The roll-up rule.")
        template = verb("template", "Write the updates and actuals template (XLSX, or one sheet as CSV).")
        template.add_argument("--period", help="Pre-fill this period, e.g. 2025-Q1 (default: every existing row).")
        template.add_argument("--output", required=True, help="The .xlsx or .csv file to write.")
        template.add_argument("--sheet", choices=list(files.COLUMNS), default=files.UPDATES, help="CSV: which sheet.")
        load = verb("import", "Import a filled-in template, all or nothing, as drafts.")
        load.add_argument("file", metavar="FILE", help="A .xlsx workbook or one sheet as .csv.")
        load.add_argument("--submit", action="store_true", help="Submit the imported updates for validation.")
        remind = verb("remind", "E-mail the agencies whose reports are due soon or overdue.", region=False)
        remind.add_argument("--days", type=int, default=reminders.DAYS_BEFORE, help="Remind this many days before.")
        remind.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")
        remind.add_argument("--dry-run", action="store_true", help="Show what would be sent; send nothing.")
        satu = verb("indicators-export", "The indicators with their Satu Data metadata, as CSV (--json: the rows).")
        satu.add_argument("--output", help="The .csv file to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["verb"].replace("-", "_"))(options)
        except ValidationError as error:
            raise bad(validation_message(error)) from None

    # Finding what the arguments name -------------------------------------------------------

    def _region(self, code: str) -> Region:
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise bad(_("region: there is no region %(code)s (see kotacerdas regions list).") % {"code": code})
        return region

    def _edition(self, region: Region, year: int | None, today: datetime.date) -> Edition:
        editions = Edition.objects.filter(region=region).select_related("region")
        if year is not None:
            edition = editions.filter(year=year).first()
            if edition is None:
                raise bad(
                    _("--edition: region %(code)s has no edition %(year)s.") % {"code": region.code, "year": year}
                )
            return edition
        reporting = ReportingPlan.objects.filter(region=region).order_by("-edition__year").first()
        if reporting is not None:
            return editions.get(pk=reporting.edition_id)
        edition = selectors.edition_in_force(region, today.year) or (
            editions.filter(status=EditionStatus.ADOPTED).order_by("-year").first()
        )
        if edition is None:
            raise bad(_("--edition: region %(code)s has no adopted edition.") % {"code": region.code})
        return editions.get(pk=edition.pk)

    def _reporting_edition(self, options: dict[str, Any], today: datetime.date) -> Edition:
        edition = self._edition(self._region(options["code"]), options.get("edition"), today)
        if not ReportingPlan.objects.filter(edition=edition).exists():
            raise bad(
                _("Reporting of edition %(year)s has not started: run kotacerdas monitoring start %(code)s first.")
                % {"year": edition.year, "code": edition.region.code}
            )
        return edition

    def _period(self, edition: Edition, key: str | None) -> ReportingPeriod | None:
        if not key:
            return None
        period = ReportingPeriod.objects.filter(edition=edition, key=key.strip().upper()).first()
        if period is None:
            first_last = selectors.periods_of(edition).values_list("key", flat=True)
            keys = list(first_last)
            span = f" ({keys[0]} … {keys[-1]})" if keys else ""
            raise bad(
                _("--period: edition %(year)s has no reporting period %(key)s%(span)s.")
                % {"year": edition.year, "key": key, "span": span}
            )
        return period

    # Verbs --------------------------------------------------------------------------------

    def _status(self, options: dict[str, Any]) -> None:
        today = _date(options["today"]) if options.get("today") else timezone.localdate()
        edition = self._reporting_edition(options, today)
        period = self._period(edition, options.get("period"))
        if period is None:
            period = selectors.current_period(edition, today) or selectors.periods_of(edition).first()
        assert period is not None  # a started reporting has its periods
        report = status.build(edition, period, today)
        self.emit(options, status.as_dict(report), status.as_text(report))

    def _start(self, options: dict[str, Any]) -> None:
        edition = self._edition(self._region(options["code"]), options.get("edition"), timezone.localdate())
        reporting = services.start_reporting(
            actor=None,
            edition=edition,
            cadence=options["cadence"],
            grace_days=options["grace_days"],
            rollup=options["rollup"],
        )
        periods = list(selectors.periods_of(edition).values_list("key", "due_on"))
        payload = {
            "region": edition.region.code,
            "edition": edition.year,
            "cadence": reporting.cadence,
            "grace_days": reporting.grace_days,
            "rollup": reporting.rollup,
            "periods": [{"key": key, "due_on": due.isoformat()} for key, due in periods],
        }
        text = f"Reporting of {edition.region.code} edition {edition.year} started: "
        text += f"{len(periods)} {reporting.cadence} periods"
        if periods:
            text += f", {periods[0][0]} (due {periods[0][1].isoformat()}) to {periods[-1][0]}."
        self.emit(options, payload, text)

    def _template(self, options: dict[str, Any]) -> None:
        edition = self._reporting_edition(options, timezone.localdate())
        period = self._period(edition, options.get("period"))
        path = Path(options["output"])
        if path.suffix.lower() == ".csv":
            content = files.export_csv(edition, options["sheet"], period).encode("utf-8")
        elif path.suffix.lower() == ".xlsx":
            content = files.export_workbook(edition, period)
        else:
            raise bad(_("--output: write a .xlsx or a .csv file."))
        path.write_bytes(content)
        self.emit(options, {"file": str(path), "bytes": len(content)}, f"Wrote {path} ({len(content)} bytes).")

    def _import(self, options: dict[str, Any]) -> None:
        edition = self._reporting_edition(options, timezone.localdate())
        path = Path(options["file"])
        if not path.is_file():
            raise bad(_("FILE: there is no file %(path)s.") % {"path": path})
        if path.stat().st_size > files.MAX_BYTES:
            raise bad(_("FILE: %(path)s is larger than %(mb)s MB.") % {"path": path, "mb": files.MAX_BYTES // 2**20})
        try:
            result = files.import_updates(
                actor=None, edition=edition, data=path.read_bytes(), name=path.name, submit=options["submit"]
            )
        except UnreadableFile as error:
            raise bad(error.message) from None
        if not result.ok:
            if options.get("json"):
                self.emit(options, result.as_dict(), "")
            lines = result.problem_lines()
            raise bad("\n".join([_("Nothing was imported:"), *lines]))
        text = (
            f"Updates: {result.created} created, {result.changed} changed, {result.unchanged} unchanged, "
            f"{result.submitted} submitted, {result.skipped} empty rows skipped. "
            f"Actuals: {result.actuals_created} created, {result.actuals_changed} changed, "
            f"{result.actuals_unchanged} unchanged."
        )
        self.emit(options, result.as_dict(), text)

    def _remind(self, options: dict[str, Any]) -> None:
        today = _date(options["today"]) if options.get("today") else timezone.localdate()
        if options["days"] < 0:
            raise bad(_("--days: give zero or more days."))
        sent = reminders.send_reminders(today=today, days_before=options["days"], dry_run=options["dry_run"])
        verb = "would send" if options["dry_run"] else "sent"
        lines = [
            f"{r.region}  {r.period}  {r.kind:<20}  "
            + (f"skipped ({r.skipped})" if r.skipped else f"{verb} to {r.to}")
            + f"  {', '.join(r.programmes)}"
            for r in sent
        ]
        self.emit(
            options,
            {"today": today.isoformat(), "dry_run": options["dry_run"], "reminders": [r.as_dict() for r in sent]},
            "\n".join(lines) or "No reminder due.",
        )

    def _indicators_export(self, options: dict[str, Any]) -> None:
        """The same table as the edition's ``indikator-satu-data.csv`` (an adopted edition)."""
        edition = self._edition(self._region(options["code"]), options.get("edition"), timezone.localdate())
        if edition.status != EditionStatus.ADOPTED:
            raise bad(_("--edition: edition %(year)s is not adopted.") % {"year": edition.year})
        table = satudata.export(edition)
        if options.get("json"):
            self.emit(options, table, "")
            return
        text = csv_text(table)
        if options.get("output"):
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Written to {options['output']}.")
        else:
            self.stdout.write(text, ending="")
