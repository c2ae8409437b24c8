"""Documents at scale: Buku 1 and Buku 2 of an edition with 300 programmes (issue 6's figures).

Builds the edition of ``bench/plans_scale.py`` (300 programmes, 1,000 indicators, 30 agencies,
budgets for every year, an action plan per programme, a quick win every 25 programmes) on a
throwaway test database, then generates each book as PDF and DOCX and prints the time, pages,
file size and the process's peak memory.

    .venv/bin/python bench/reports_books.py [--programmes 300] [--indicators 1000] [--keep DIR]

Exits with status 1 when a target is missed: PDF 10 s, DOCX 5 s (wall clock), peak memory 500 MB.
The CPU seconds are printed too: on a shared machine the wall clock also counts other processes.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.test_settings")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--keep", help="Folder to write the four files to.")
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False)
    results = []
    try:
        from plans_scale import document

        from kotacerdas.frameworks.loader import load_all
        from kotacerdas.plans.interchange.importer import import_document
        from kotacerdas.regions.models import OPD, Region
        from kotacerdas.reports.generate import generate

        load_all()
        region = Region.objects.create(code="99.01", name="Bench", kind="kota", province="Bench", time_zone="WIB")
        opds = [f"OPD{n}" for n in range(30)]
        OPD.objects.bulk_create(
            OPD(region=region, name=f"Dinas {a}", abbreviation=a, kind="dinas", valid_from=datetime.date(2017, 1, 1))
            for a in opds
        )
        doc = document(region, 2024, args.programmes, args.indicators, opds)
        for n, p in enumerate(doc["programmes"]):
            if n % 25 == 0:
                p["quick_win_years"] = [p["start_year"]]
        edition = import_document(actor=None, region=region, doc=doc)
        before = peak_mb()
        for kind in ("buku2", "buku1"):
            for fmt in ("pdf", "docx"):
                cpu = time.process_time()
                generated = generate(kind, fmt, region, edition)
                results.append((kind, fmt, generated, time.process_time() - cpu))
                if args.keep:
                    Path(args.keep).mkdir(parents=True, exist_ok=True)
                    (Path(args.keep) / generated.filename).write_bytes(generated.content)
        peak = peak_mb()
    finally:
        teardown_databases(old_config, verbosity=0)

    print(
        f"Edition of {args.programmes} programmes, {args.indicators} indicators, 30 agencies "
        f"(peak memory before generating: {before:.0f} MB)."
    )
    print(f"{'document':<10}{'format':<8}{'seconds':>9}{'cpu s':>7}{'build':>8}{'render':>8}{'pages':>7}{'size':>11}")
    failures = []
    for kind, fmt, g, cpu in results:
        pages = str(g.pages) if g.pages else "–"
        size = f"{len(g.content) / 1024:.0f} KiB"
        print(
            f"{kind:<10}{fmt:<8}{g.seconds:>9.2f}{cpu:>7.2f}{g.timings['build']:>8.2f}{g.timings['render']:>8.2f}{pages:>7}{size:>11}"
        )
        limit = 10 if fmt == "pdf" else 5
        if g.seconds > limit:
            failures.append(f"{kind} {fmt}: {g.seconds:.2f} s > {limit} s")
    print(f"peak memory of the process: {peak:.0f} MB")
    if peak > 500:
        failures.append(f"peak memory {peak:.0f} MB > 500 MB")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
