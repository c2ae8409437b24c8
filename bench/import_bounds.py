"""Bounded plan imports (issue 14 §1's figure): the time of a refused XLSX grows linearly.

The audit's file was a plan workbook whose programmes sheet repeats one programme row 100,000
times: every row is a problem ("Programme code … is used twice"), and locating each problem in
the workbook used to cost time proportional to the number of problems (1k rows 0.42 s, 2k 1.40 s,
4k 6.0 s, 100k about an hour). This script builds such workbooks for ``--rows`` (1k, 2k, 4k and
100k by default), and times the whole refusal the web import and ``kotacerdas plan import`` do:
reading the workbook, checking the document, locating every problem at its cell and keeping the
first ``IMPORT_MAX_PROBLEMS``. It prints seconds, seconds per 1,000 rows and the ratio to the
previous size; linear time shows as a constant time per 1,000 rows (a ratio near the ratio of
the sizes). The row limit is raised for the run (100k rows are over the default
``KOTACERDAS_IMPORT_MAX_ROWS``, which refuses such a file at once: that time is printed last).

Runs on a throwaway test database (in-memory SQLite, or ``test_<name>`` on PostgreSQL when
KOTACERDAS_DATABASE_URL is set).

    .venv/bin/python bench/import_bounds.py [--rows 1000 2000 4000 100000]

Figures on the 2-core development machine (2026-12-05, SQLite): 1k rows 0.62 s, 2k 0.90 s, 4k
2.01 s, 100k 34.5 s (0.35 s per 1,000 rows; before: 0.42 s, 1.40 s, 6.0 s and about an hour), and
with the default limits the 100k-row file is refused in 0.03 s.

Exits with status 1 when the time per 1,000 rows of the largest size is more than three times
that of the smallest (quadratic growth would make it 100 times for 1k → 100k).
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.test_settings")


def base_document() -> dict[str, Any]:
    """A small valid edition document of region 13.72 with one programme, as exported."""
    from kotacerdas.frameworks.loader import load_all
    from kotacerdas.plans.interchange.export import edition_document
    from kotacerdas.plans.tests.factories import make_edition, make_programme
    from kotacerdas.regions import services as regions

    load_all()
    region = regions.create_region(
        actor=None,
        data={"code": "13.72", "name": "Solok", "kind": "kota", "province": "Sumatera Barat", "time_zone": "WIB"},
    )
    edition = make_edition(region)
    make_programme(edition, "GOV-001")
    doc = edition_document(edition)
    doc["edition"]["year"] = 2030  # a new edition, so only the duplicates are problems
    return doc


def duplicated(doc: dict[str, Any], rows: int) -> bytes:
    from kotacerdas.plans.interchange.xlsx import write_workbook

    copy_ = copy.deepcopy(doc)
    programme = copy_["programmes"][0]
    programme.pop("lineage", None)
    copy_["programmes"] = [dict(programme) for _ in range(rows)]
    return write_workbook(copy_)


def refuse(data: bytes) -> tuple[int, int]:
    """What the web import does with the file: (problems found, lines shown)."""
    from kotacerdas.lib.uploads import capped, more_problems
    from kotacerdas.plans.interchange.files import read_document
    from kotacerdas.plans.interchange.importer import ImportFailed, import_document
    from kotacerdas.regions.models import Region

    read = read_document(data, "plan.xlsx")
    if read.problems:
        return len(read.problems), len(capped(read.problems, more_problems))
    try:
        import_document(actor=None, region=Region.objects.get(code="13.72"), doc=read.doc)
    except ImportFailed as failed:
        lines = capped([f"{read.locate(p.path)}: {p.message}" for p in failed.problems], more_problems)
        return len(failed.problems), len(lines)
    return 0, 0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 2000, 4000, 100_000])
    args = parser.parse_args()

    import django

    django.setup()
    from django.test.utils import override_settings, setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        doc = base_document()
        per_thousand: list[float] = []
        previous: tuple[int, float] | None = None
        print(f"{'rows':>8} {'file KB':>8} {'problems':>9} {'shown':>6} {'seconds':>8} {'s/1k rows':>10} {'ratio':>12}")
        biggest = b""
        for rows in args.rows:
            data = duplicated(doc, rows)
            biggest = data
            with override_settings(IMPORT_MAX_ROWS=max(rows + 10, 20_000), IMPORT_MAX_CELLS=50_000_000):
                started = time.perf_counter()
                found, shown = refuse(data)
                seconds = time.perf_counter() - started
            per_thousand.append(seconds / rows * 1000)
            ratio = ""
            if previous is not None:
                ratio = f"×{seconds / previous[1]:.2f} (rows ×{rows / previous[0]:g})"
            print(
                f"{rows:>8} {len(data) / 1024:>8.0f} {found:>9} {shown:>6} {seconds:>8.2f} "
                f"{per_thousand[-1]:>10.3f} {ratio:>12}"
            )
            previous = (rows, seconds)
        from django.conf import settings

        from kotacerdas.plans.interchange.files import read_document

        if max(args.rows) > settings.IMPORT_MAX_ROWS:
            started = time.perf_counter()
            read = read_document(biggest, "plan.xlsx")
            seconds = time.perf_counter() - started
            print(f"with the default row limit the largest file is refused in {seconds:.2f} s: {read.problems[0][1]}")
    finally:
        teardown_databases(old_config, verbosity=0)
    if per_thousand and per_thousand[-1] > 3 * per_thousand[0]:
        print("FAIL: the time per row grows with the number of rows")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
