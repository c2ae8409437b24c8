"""Plan import against openpyxl's bare read of the same workbook (issue 17 §4: goal ≤ 3×).

On a throwaway test database (in-memory SQLite, or ``test_<name>`` on PostgreSQL when
KOTACERDAS_DATABASE_URL is set): an edition of 300 programmes and 1,000 indicators is imported,
exported as the interchange workbook, and then timed, median of ``--repeat`` runs each:

- **bare read**: ``openpyxl.load_workbook(read_only=True, data_only=True)`` and every row's
  values, nothing else (the floor: the file has to be read);
- **re-import, unchanged**: read, check and write the same workbook into the draft
  (``replace=True``), as a region does after opening and saving the file;
- **re-import, edited**: the workbook with a tenth of the programmes edited (a name, a budget
  amount, a target value), a tenth of the budget lines added and one programme removed;
- **new edition**: the same workbook imported as a new edition year (every row inserted).

    .venv/bin/python bench/plan_import.py [--programmes 300] [--indicators 1000] [--repeat 5] [--profile]

Prints each time and its ratio to the bare read; exits 1 when the edited re-import's ratio
exceeds ``--goal`` (3).
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import datetime
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.test_settings")


def bare_read(data: bytes) -> int:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += len(row)
    book.close()
    return cells


def edited(doc: dict[str, Any], year: int | None = None) -> dict[str, Any]:
    """A tenth of the programmes edited, budget lines added, the last programme removed."""
    doc = copy.deepcopy(doc)
    if year is not None:
        doc["edition"]["year"] = year
    gone = doc["programmes"].pop()["code"]
    for p in doc["programmes"]:
        p["dependencies"] = [d for d in p.get("dependencies", []) if d != gone]
    for n, p in enumerate(doc["programmes"]):
        if n % 10:
            continue
        p["name"] = f"{p['name']} (diubah)"
        if p["budgets"]:
            p["budgets"][0]["amount"] = str(int(float(p["budgets"][0]["amount"])) + 1_000_000)
            last = max(b["year"] for b in p["budgets"])
            if last < doc["edition"]["end_year"]:
                p["budgets"].append({"year": last + 1, "source": "apbd", "amount": "5000000", "note": ""})
        for i in p["indicators"][:1]:
            if i["targets"]:
                i["targets"][0]["value"] = str(float(i["targets"][0]["value"]) + 1)
    return doc


def timed(fn: Any, repeat: int, before: Any = None) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--goal", type=float, default=3.0)
    parser.add_argument("--profile", action="store_true", help="Print the top functions of one edited re-import.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from plans_scale import document

        from kotacerdas.frameworks.loader import load_all
        from kotacerdas.plans.interchange.export import edition_document
        from kotacerdas.plans.interchange.importer import check_document, import_document
        from kotacerdas.plans.interchange.xlsx import read_workbook, write_workbook
        from kotacerdas.plans.models import Edition
        from kotacerdas.regions.models import OPD, Region

        load_all()
        region = Region.objects.create(code="99.01", name="Bench", kind="kota", province="Bench", time_zone="WIB")
        opds = [f"OPD{n}" for n in range(30)]
        OPD.objects.bulk_create(
            OPD(region=region, name=f"Dinas {a}", abbreviation=a, kind="dinas", valid_from=datetime.date(2017, 1, 1))
            for a in opds
        )
        source = document(region, 2024, args.programmes, args.indicators, opds)
        edition = import_document(actor=None, region=region, doc=source)
        original = edition_document(edition)
        same = write_workbook(original)
        changed = write_workbook(edited(original))
        fresh = write_workbook(edited(original, year=2030))

        def reimport(data: bytes) -> None:
            read = read_workbook(data)
            assert not read.problems, read.problems[:3]
            import_document(actor=None, region=region, doc=read.doc, replace=True)

        def restore() -> None:
            import_document(actor=None, region=region, doc=original, replace=True)

        def new_edition() -> None:
            read = read_workbook(fresh)
            assert not read.problems, read.problems[:3]
            import_document(actor=None, region=region, doc=read.doc)

        def drop_new() -> None:
            Edition.objects.filter(region=region, year=2030).delete()

        def read_and_check(data: bytes) -> None:
            read = read_workbook(data)
            problems, _resolved = check_document(region, read.doc, True, False)
            assert not problems, problems[:3]

        bare = timed(lambda: bare_read(same), args.repeat)
        ours = timed(lambda: read_workbook(changed), args.repeat)
        checked = timed(lambda: read_and_check(changed), args.repeat)
        unchanged = timed(lambda: reimport(same), args.repeat)
        edit = timed(lambda: reimport(changed), args.repeat, before=restore)
        new = timed(new_edition, args.repeat, before=drop_new)
        if args.profile:
            restore()
            profile = cProfile.Profile()
            profile.runcall(reimport, changed)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        indicators = sum(len(p["indicators"]) for p in original["programmes"])
    finally:
        teardown_databases(old_config, verbosity=0)

    engine = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
    print(
        f"Database: {engine}. Edition of {len(original['programmes'])} programmes, {indicators} indicators; "
        f"workbook {len(same) // 1024} KiB; median of {args.repeat} runs."
    )
    print(f"{'openpyxl bare read':<28}{bare:>8.3f} s   1.00×")
    rows = [
        ("read (ours, edited file)", ours),
        ("read + check (no write)", checked),
        ("re-import, unchanged", unchanged),
        ("re-import, edited", edit),
        ("new edition", new),
    ]
    for label, seconds in rows:
        print(f"{label:<28}{seconds:>8.3f} s   {seconds / bare:.2f}×")
    ratio = edit / bare
    print(f"ratio (edited re-import / bare read): {ratio:.2f} (goal ≤ {args.goal:g})")
    if ratio > args.goal:
        print(f"FAIL: edited re-import {ratio:.2f}× the bare read > {args.goal:g}×", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
