"""Master plan at scale: an edition of 300 programmes and 1,000 indicators (issue 4's figures).

Runs on a throwaway test database (in-memory SQLite, or ``test_<name>`` on PostgreSQL when
KOTACERDAS_DATABASE_URL is set), signed in as a region editor, and prints:

- queries and server time of the outline, programme table, programme detail, check, roadmap and
  budget pages, for a 10-programme edition and a 300-programme one (the query counts must be
  equal): a read of the stored summary, and the first read after a change, which recomputes it
  (``kotacerdas.plans.summaries``);
- the time of the plan check alone (pure rules on the document) and with the export it reads;
- the time to read and import the edition's XLSX workbook (all or nothing, with checks).

    .venv/bin/python bench/plans_scale.py [--programmes 300] [--indicators 1000] [--repeat 10]

Exits with status 1 when a query count grows with the data or a target is missed
(pages 300 ms, check 1 s, XLSX import 5 s).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.test_settings")

DIMS = {"GOV": 3, "BRD": 3, "ECO": 3, "LIV": 3, "SOC": 3, "ENV": 3}
# Programme names from three word lists (17 × 13 × 7 combinations), so names differ the way real ones do.
KINDS = [
    "Aplikasi",
    "Sistem informasi",
    "Gerakan",
    "Pusat",
    "Portal",
    "Program",
    "Layanan",
    "Jaringan",
    "Sekolah",
    "Pasar",
    "Bank",
    "Kampung",
    "Festival",
    "Forum",
    "Dashboard",
    "Inkubator",
    "Klinik",
]
TOPICS = [
    "perizinan",
    "kesehatan ibu dan anak",
    "sampah",
    "wisata halal",
    "UMKM",
    "pajak daerah",
    "bencana",
    "transportasi",
    "air bersih",
    "energi surya",
    "literasi digital",
    "pertanian",
    "kependudukan",
]
PLACES = ["terpadu", "berbasis kelurahan", "untuk warga", "kota", "daring", "bersama komunitas", "sekolah"]


def document(region: Any, year: int, programmes: int, indicators: int, opds: list[str]) -> dict[str, Any]:
    """A plausible edition document: every dimension and element, budgets for every year, yearly targets."""
    start, end = 2025, 2034
    rows = []
    per = [indicators // programmes + (1 if n < indicators % programmes else 0) for n in range(programmes)]
    for n in range(programmes):
        dim = list(DIMS)[n % 6]
        first = start + n % 6
        last = min(end, first + 1 + n % 4)
        name = f"{KINDS[n % 17]} {TOPICS[(n // 17) % 13]} {PLACES[(n // 221 + n) % 7]}"
        rows.append(
            {
                "code": f"{dim}-{n:03d}",
                "dimension": dim,
                "element": f"{dim}-{1 + n % 3}",
                "strategy": None,
                "name": name,
                "description": "Bench",
                "problem": "",
                "innovation_kind": "ict",
                "lead_opd": opds[n % len(opds)],
                "supporting_opds": [opds[(n + 1) % len(opds)]],
                "partners": [],
                "horizon": "medium" if last - first < 5 else "long",
                "start_year": first,
                "end_year": last,
                "status": "planned",
                "rpjmd_programme": "RPJMD" if n % 3 else "",
                "renstra_ref": "",
                "permendagri_code": "2.16.02",
                "spbe_indicator": "",
                "quick_win_years": [],
                "dependencies": [rows[n - 7]["code"]] if n >= 7 and n % 5 == 0 else [],
                "budgets": [
                    {"year": y, "source": "apbd", "amount": 250_000_000, "note": ""} for y in range(first, last + 1)
                ],
                "indicators": [
                    {
                        "name": f"Indikator {k}",
                        "kind": "output",
                        "unit": "%",
                        "direction": "higher",
                        "baseline": "10",
                        "baseline_year": 2024,
                        "data_producer": opds[n % len(opds)],
                        "targets": [
                            {"year": y, "value": str(10 + 5 * (y - first + 1))} for y in range(first, last + 1)
                        ],
                    }
                    for k in range(per[n])
                ],
                "action_items": [
                    {
                        "activity": "Pelaksanaan",
                        "starts_on": f"{first}-02-01",
                        "ends_on": f"{last}-11-30",
                        "person_in_charge": "",
                        "opd": None,
                        "output": "",
                    }
                ],
            }
        )
    return {
        "format": "kotacerdas.masterplan-edition",
        "format_version": 1,
        "region": {"code": region.code},
        "edition": {"year": year, "title": f"Bench {year}", "start_year": start, "end_year": end},
        "taxonomy": {"code": "kominfo-6", "version": 1},
        "sections": [],
        "swot": [],
        "missions": [{"number": 1, "text": "Misi"}],
        "goals": [],
        "strategies": [{"code": f"S-{d}", "dimension": d, "text": "Strategi"} for d in DIMS],
        "waivers": [],
        "programmes": rows,
        "dispositions": [],
    }


def _get(client: Any, url: str) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return len(queries), elapsed


def measure(client: Any, url: str, repeat: int, edition: Any) -> tuple[int, float, int, float]:
    """Queries and ms of a read of the stored summary, then of the first read after a change."""
    from kotacerdas.plans.summaries import touch

    _get(client, url)
    count = 0
    started = time.perf_counter()
    for _ in range(repeat):
        count, _ms = _get(client, url)
    warm = (time.perf_counter() - started) * 1000 / repeat
    cold_count, cold = 0, 0.0
    for _ in range(max(1, repeat // 5)):
        touch(edition)
        cold_count, ms = _get(client, url)
        cold += ms
    return count, warm, cold_count, cold / max(1, repeat // 5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False)
    failures = []
    try:
        from kotacerdas.accounts.models import Membership, User
        from kotacerdas.frameworks.loader import load_all
        from kotacerdas.plans.checks import run_checks
        from kotacerdas.plans.interchange.export import edition_document
        from kotacerdas.plans.interchange.importer import import_document
        from kotacerdas.plans.interchange.xlsx import read_workbook, write_workbook
        from kotacerdas.regions.models import OPD, Region

        load_all()
        region = Region.objects.create(code="99.01", name="Bench", kind="kota", province="Bench", time_zone="WIB")
        opds = [f"OPD{n}" for n in range(30)]
        OPD.objects.bulk_create(
            OPD(region=region, name=f"Dinas {a}", abbreviation=a, kind="dinas", valid_from=datetime.date(2017, 1, 1))
            for a in opds
        )
        editor = User.objects.create_user(username="bench-editor", password="x")
        Membership.objects.create(user=editor, region=region, role="editor")
        client = Client()
        client.force_login(editor)

        small_edition = import_document(actor=None, region=region, doc=document(region, 2023, 10, 30, opds))
        started = time.perf_counter()
        big = import_document(
            actor=None, region=region, doc=document(region, 2024, args.programmes, args.indicators, opds)
        )
        json_import = time.perf_counter() - started
        pages = {
            "outline": "/wilayah/99.01/masterplan/{year}/",
            "programme table": "/wilayah/99.01/masterplan/{year}/program/",
            "programme detail": "/wilayah/99.01/masterplan/{year}/program/GOV-000/",
            "plan check": "/wilayah/99.01/masterplan/{year}/pemeriksaan/",
            "roadmap": "/wilayah/99.01/masterplan/{year}/peta-jalan/",
            "budgets": "/wilayah/99.01/masterplan/{year}/anggaran/",
        }
        small = {k: measure(client, u.format(year=2023), args.repeat, small_edition) for k, u in pages.items()}
        large = {k: measure(client, u.format(year=2024), args.repeat, big) for k, u in pages.items()}

        started = time.perf_counter()
        doc = edition_document(big)
        exported = time.perf_counter() - started
        started = time.perf_counter()
        report = run_checks(doc)
        checked = time.perf_counter() - started

        workbook = write_workbook(doc)
        started = time.perf_counter()
        read = read_workbook(workbook)
        assert not read.problems, read.problems[:3]
        import_document(actor=None, region=region, doc=read.doc, replace=True)
        xlsx_import = time.perf_counter() - started
        indicator_count = sum(len(p["indicators"]) for p in doc["programmes"])
    finally:
        teardown_databases(old_config, verbosity=0)

    engine = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
    print(
        f"Database: {engine}. Edition of {len(doc['programmes'])} programmes, {indicator_count} indicators, "
        f"30 agencies; signed in as a region editor; {args.repeat} requests averaged."
    )
    print(f"{'page':<18}{'10 programmes':>24}{f'{args.programmes} programmes':>26}   first read after a change")
    for name in pages:
        (q1, ms1, c1, cms1), (q2, ms2, c2, cms2) = small[name], large[name]
        print(
            f"{name:<18}{f'{q1} queries, {ms1:.0f} ms':>24}{f'{q2} queries, {ms2:.0f} ms':>26}"
            f"   {c1} q, {cms1:.0f} ms / {c2} q, {cms2:.0f} ms"
        )
        if q1 != q2 or c1 != c2:
            failures.append(f"{name}: {q1}/{c1} queries at 10 programmes, {q2}/{c2} at {args.programmes}")
        if ms2 > 300:
            failures.append(f"{name}: {ms2:.0f} ms > 300 ms")
    print(
        f"plan check: rules {checked * 1000:.0f} ms, with the export {(exported + checked) * 1000:.0f} ms "
        f"({len(report.findings)} findings)"
    )
    print(
        f"import: JSON document {json_import:.2f} s; XLSX workbook ({len(workbook) // 1024} KiB) read + "
        f"checked + written {xlsx_import:.2f} s"
    )
    if exported + checked > 1:
        failures.append(f"plan check {exported + checked:.2f} s > 1 s")
    if xlsx_import > 5:
        failures.append(f"XLSX import {xlsx_import:.2f} s > 5 s")
    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
