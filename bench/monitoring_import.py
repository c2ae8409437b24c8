"""Import of a year of progress updates from one workbook (issue 13 §7's figure).

Runs on a throwaway test database (in-memory SQLite, or ``test_<name>`` on PostgreSQL when
KOTACERDAS_DATABASE_URL is set): an adopted edition with ``--programmes`` programmes reporting
quarterly, and one XLSX with an update per programme for each quarter of 2025 (status, progress,
comment, realised budget from two sources). It prints the time of
:func:`kotacerdas.monitoring.files.import_updates` end to end (reading the workbook, every row
through the services with their validation and audit entries, one transaction), then the time
of importing the same file again (every row found unchanged) and of exporting it.

    .venv/bin/python bench/monitoring_import.py [--programmes 300] [--submit]

Exits with status 1 when the import takes 5 s or more.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.test_settings")

TARGET_S = 5.0
DIMENSIONS = ["GOV", "BRD", "ECO", "LIV", "SOC", "ENV"]
STATUSES = ["on_track", "on_track", "at_risk", "off_track", "achieved", "not_started"]


def build(programmes: int) -> object:
    from kotacerdas.frameworks.loader import load_all
    from kotacerdas.monitoring import services as monitoring
    from kotacerdas.plans.models import Edition
    from kotacerdas.plans.models.plan import EditionStatus
    from kotacerdas.plans.tests.factories import make_edition, make_programme
    from kotacerdas.regions import services as regions

    load_all()
    region = regions.create_region(
        actor=None,
        data={"code": "13.72", "name": "Solok", "kind": "kota", "province": "Sumatera Barat", "time_zone": "WIB"},
    )
    opd = regions.create_opd(
        actor=None,
        region=region,
        data={
            "name": "Diskominfo",
            "abbreviation": "Diskominfo",
            "kind": "dinas",
            "valid_from": datetime.date(2017, 1, 1),
        },
    )
    edition = make_edition(region)
    for n in range(programmes):
        dimension = DIMENSIONS[n % len(DIMENSIONS)]
        make_programme(edition, f"{dimension}-{n:03d}", dimension=dimension, lead_opd=opd)
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.ADOPTED)
    edition = Edition.objects.select_related("region").get(pk=edition.pk)
    monitoring.start_reporting(actor=None, edition=edition)
    return edition


def workbook(edition: object) -> bytes:
    from kotacerdas.lib.spreadsheets import append_row, new_workbook, workbook_bytes
    from kotacerdas.monitoring.files import ACTUALS, COLUMNS, UPDATES
    from kotacerdas.plans.models import Programme

    book = new_workbook(None)
    sheet = book.create_sheet(UPDATES)
    append_row(sheet, COLUMNS[UPDATES])
    for n, code in enumerate(Programme.objects.filter(edition=edition).values_list("code", flat=True)):
        for quarter in range(1, 5):
            values = {
                "programme": code,
                "period": f"2025-Q{quarter}",
                "reported_on": datetime.date(2025, quarter * 3, 28),
                "status": STATUSES[(n + quarter) % len(STATUSES)],
                "progress": min(100, quarter * 25),
                "comment": f"Triwulan {quarter}: kegiatan berjalan sesuai rencana kerja OPD.",
                "budget_apbd": 25_000_000 * quarter,
                "budget_dak": 5_000_000,
            }
            append_row(sheet, [values.get(column) for column in COLUMNS[UPDATES]])
    actuals = book.create_sheet(ACTUALS)
    append_row(actuals, COLUMNS[ACTUALS])
    return workbook_bytes(book)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--programmes", type=int, default=300)
    parser.add_argument("--submit", action="store_true", help="Also submit every imported update.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False)
    failures = []
    try:
        from kotacerdas.monitoring import files
        from kotacerdas.monitoring.models import ProgrammeUpdate

        started = time.perf_counter()
        edition = build(args.programmes)
        data = workbook(edition)
        built_s = time.perf_counter() - started
        today = datetime.date(2026, 1, 15)

        started = time.perf_counter()
        result = files.import_updates(
            actor=None, edition=edition, data=data, name="pembaruan.xlsx", submit=args.submit, today=today
        )
        import_s = time.perf_counter() - started
        if not result.ok:
            print("\n".join(result.problem_lines()[:20]))
            return 1
        started = time.perf_counter()
        again = files.import_updates(actor=None, edition=edition, data=data, name="pembaruan.xlsx", today=today)
        again_s = time.perf_counter() - started
        started = time.perf_counter()
        exported = files.export_workbook(edition)
        export_s = time.perf_counter() - started

        rows = args.programmes * 4
        print(
            f"{args.programmes} programmes × 4 quarters = {rows} updates, file {len(data) / 1024:.0f} KB "
            f"(set-up {built_s:.1f} s)"
        )
        print(
            f"import{' + submit' if args.submit else ''}: {import_s:.2f} s "
            f"({result.created} created, {ProgrammeUpdate.objects.count()} stored) — target under {TARGET_S:.0f} s"
        )
        print(f"import again (all unchanged): {again_s:.2f} s ({again.unchanged} unchanged)")
        print(f"export of every update: {export_s:.2f} s ({len(exported) / 1024:.0f} KB)")
        if result.created != rows:
            failures.append(f"{result.created} updates created, expected {rows}")
        if import_s >= TARGET_S:
            failures.append(f"import took {import_s:.2f} s, target under {TARGET_S:.0f} s")
    finally:
        teardown_databases(old_config, verbosity=0)
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
