"""SIPD code lists at national size (issue 16 §2): load time, a refused load, search latency.

The national Permendagri 90 list has about 15,000 rows with its sub kegiatan. This script builds a
list of that shape (``--rows``, default 15,000: urusan, bidang urusan, programs, kegiatan, sub
kegiatan in the real proportions), and times on a throwaway test database:

- loading it from CSV and from XLSX (``frameworks.sipd.load_sipd``: read, check every row, write);
- refusing a copy in which every sub kegiatan row has a malformed code (all problems collected,
  the first 200 kept, nothing written);
- the search the programme form asks for while a person types (p50 and p95 of 200 queries);
- the plan check's reading of the list for an edition (``plans.selectors.sipd_context``) with
  300 programmes and 1,200 coded budget lines, in queries and milliseconds.

    .venv/bin/python bench/sipd_codes.py [--rows 15000]

Figures on the 2-core development machine (2026-12-05, SQLite, 14,884 rows): load CSV 0.55 s,
XLSX 0.84 s; a list with 12,800 bad codes refused in 0.21 s (200 problems kept, nothing written);
search p50 0.7 ms, p95 3.2 ms; the plan check reads the list in 3 queries, 9.7 ms, whatever the
number of programmes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.test_settings")


def national(rows: int) -> list[tuple[str, str]]:
    """(code, name) rows in the shape of the national list, about ``rows`` of them."""
    out: list[tuple[str, str]] = []
    subs_per_kegiatan, kegiatan_per_program, programs_per_bidang = 8, 4, 5
    per_bidang = 1 + programs_per_bidang * (1 + kegiatan_per_program * (1 + subs_per_kegiatan))
    bidang_count = max(1, rows // per_bidang)
    for b in range(bidang_count):
        urusan = str(1 + b // 25)
        if not out or (out[-1][0].split(".")[0] != urusan and not any(c == urusan for c, _n in out[-50:])):
            out.append((urusan, f"URUSAN {urusan}"))
        bidang = f"{urusan}.{b % 25 + 1:02d}"
        out.append((bidang, f"BIDANG {bidang}"))
        for p in range(programs_per_bidang):
            program = f"{bidang}.{p + 1:02d}"
            out.append((program, f"PROGRAM {program} pelayanan informasi"))
            for k in range(kegiatan_per_program):
                kegiatan = f"{program}.2.{k + 1:02d}"
                out.append((kegiatan, f"Kegiatan {kegiatan} pengelolaan aplikasi"))
                for s in range(subs_per_kegiatan):
                    out.append((f"{kegiatan}.{s + 1:04d}", f"Sub kegiatan {s + 1} pusat data dan layanan {kegiatan}"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=15_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from kotacerdas.frameworks import sipd
        from kotacerdas.lib import spreadsheets

        rows = national(args.rows)
        text = spreadsheets.csv_text([("code", "name"), *rows]).encode()
        book = spreadsheets.new_workbook("Kode")
        sheet = spreadsheets.first_sheet(book)
        for row in [("code", "name"), *rows]:
            spreadsheets.append_row(sheet, row)
        xlsx = spreadsheets.workbook_bytes(book)
        print(f"list: {len(rows):,} rows; CSV {len(text) / 1024:.0f} KB, XLSX {len(xlsx) / 1024:.0f} KB")

        started = time.perf_counter()
        result = sipd.load_sipd(actor=None, data=text, name="kode.csv", label="2024")
        print(f"load CSV : {time.perf_counter() - started:6.2f} s  ok={result.ok} counts={result.counts}")
        started = time.perf_counter()
        result = sipd.load_sipd(actor=None, data=xlsx, name="kode.xlsx", label="2025")
        print(f"load XLSX: {time.perf_counter() - started:6.2f} s  ok={result.ok}")

        broken = [(c + "x" if c.count(".") == 5 else c, n) for c, n in rows]
        started = time.perf_counter()
        refused = sipd.load_sipd(
            actor=None, data=spreadsheets.csv_text([("code", "name"), *broken]).encode(), name="b.csv", label="2026"
        )
        print(
            f"refuse   : {time.perf_counter() - started:6.2f} s  problems kept {len(refused.problems)}, "
            f"more {refused.more_problems}; lists now {sipd.tables().count()}"
        )

        table = sipd.table_for_year(2025)
        queries = ["2.16", "pusat data", "aplikasi", "1.01.02.2", "layanan informasi", "x"] * 34
        times = []
        for q in queries[:200]:
            started = time.perf_counter()
            sipd.search(table, q)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(f"search   : p50 {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms")

        subs = [c for c, _n in rows if c.count(".") == 5]
        doc = {
            "edition": {"year": 2025},
            "programmes": [
                {
                    "permendagri_code": subs[n * 7 % len(subs)].rsplit(".", 3)[0],
                    "budgets": [{"sub_activity_code": subs[(n * 4 + k) % len(subs)]} for k in range(4)],
                }
                for n in range(300)
            ],
        }
        from kotacerdas.plans.selectors import sipd_context

        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            context = sipd_context(doc, 0)
            took = (time.perf_counter() - started) * 1000
        print(
            f"check    : {len(captured.captured_queries)} queries, {took:.1f} ms, {len(context['known'])} codes known"
        )
    finally:
        teardown_databases(old_config, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
