"""How many database queries the region home page and the agency list cost, at two data sizes.

Runs on a throwaway test database (in-memory SQLite, or ``test_<name>`` on PostgreSQL when
KOTACERDAS_DATABASE_URL is set), signed in as ministry staff, who can see every region:

1. one region with 40 agencies (OPD), population figures, kecamatan with kelurahan, and two
   governance bodies with members;
2. fifty such regions.

It prints the query count of GET /wilayah/<code>/ and /wilayah/<code>/opd/ for both, with the
time per request, and exits with status 1 if a count differs between the two sizes.

    make bench        # or: .venv/bin/python bench/region_home_queries.py [--regions 50] [--opds 40]
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

OPD_KINDS = ["dinas", "badan", "sekretariat", "inspektorat", "kecamatan", "bagian"]
ROLES = ["pembina", "pengarah", "ketua", "sekretaris", "anggota"]


def build_region(index: int, opds: int = 40, members: int = 12) -> Any:
    """One region the size of a real kota: ``opds`` agencies (a tenth of them former ones, merged
    into successors), 3 population figures, 4 kecamatan × 5 kelurahan, a Dewan and a Tim Pelaksana
    with ``members`` members each. Bulk inserts: the shape matters here, not the audit trail."""
    from kotacerdas.regions.models import OPD, BodyMember, GovernanceBody, Kecamatan, Kelurahan, Population, Region

    D = datetime.date
    region = Region.objects.create(
        code=f"{90 + index // 100:02d}.{index % 100:02d}",
        name=f"Bench {index}",
        kind="kota",
        province="Provinsi Bench",
        time_zone="WIB",
        area_km2=100,
    )
    Population.objects.bulk_create(
        Population(region=region, year=year, population=50_000 + 1_000 * n, source="Bench")
        for n, year in enumerate((2010, 2020, 2022))
    )
    kecamatan = Kecamatan.objects.bulk_create(Kecamatan(region=region, name=f"Kecamatan {k}") for k in range(4))
    Kelurahan.objects.bulk_create(
        Kelurahan(region=region, kecamatan=kec, name=f"Kelurahan {kec.name} {n}") for kec in kecamatan for n in range(5)
    )
    former = max(1, opds // 10)
    agencies = OPD.objects.bulk_create(
        OPD(
            region=region,
            name=f"Dinas Bench {n}",
            abbreviation=f"DB{n}",
            kind=OPD_KINDS[n % len(OPD_KINDS)],
            head_name=f"Kepala {n}" if n % 2 else "",
            valid_from=D(2017, 1, 1) if n < opds - former else D(2025, 1, 1),
            valid_to=D(2024, 12, 31) if n < former else None,
        )
        for n in range(opds)
    )
    # Each of the newest agencies succeeds one of the former ones.
    through = OPD.predecessors.through
    through.objects.bulk_create(
        through(from_opd_id=agencies[opds - former + n].pk, to_opd_id=agencies[n].pk) for n in range(former)
    )
    for kind, label in (("dewan", "Dewan Smart City"), ("tim_pelaksana", "Tim Pelaksana")):
        body = GovernanceBody.objects.create(region=region, kind=kind, name=f"{label} {region.name}")
        BodyMember.objects.bulk_create(
            BodyMember(
                region=region,
                body=body,
                person_name=f"Anggota {n}",
                role=ROLES[min(n, len(ROLES) - 1)],
                opd=agencies[n % opds] if n % 3 else None,
                order=n,
            )
            for n in range(members)
        )
    return region


def measure(client: Any, url: str, repeat: int) -> tuple[int, float]:
    """(queries of one GET, milliseconds per GET averaged over ``repeat`` GETs)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # now: the next request clears the log the context reads from
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    start = time.perf_counter()
    for _ in range(repeat):
        client.get(url)
    return count, (time.perf_counter() - start) * 1000 / repeat


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=50)
    parser.add_argument("--opds", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=20, help="GETs to average the time over")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)  # like production; and DEBUG's query log is capped at 9000
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from kotacerdas.accounts.models import User
        from kotacerdas.frameworks.loader import load_all

        load_all()  # the size classes on the home page come from the reference frameworks
        ministry = User.objects.create_user(username="bench-ministry", password="x", is_ministry=True)
        client = Client()
        client.force_login(ministry)

        first = build_region(0, args.opds)
        pages = {"region home": f"/wilayah/{first.code}/", "agencies": f"/wilayah/{first.code}/opd/"}
        small = {name: measure(client, url, args.repeat) for name, url in pages.items()}

        started = time.perf_counter()
        last = first
        for index in range(1, args.regions):
            last = build_region(index, args.opds)
        built = time.perf_counter() - started
        large = {name: measure(client, url, args.repeat) for name, url in pages.items()}
        # The newest region must cost the same as the first one, and so must a tiny one (this
        # catches a query per agency or member, which equal-sized regions alone would not show).
        large_last = {
            "region home": measure(client, f"/wilayah/{last.code}/", args.repeat),
            "agencies": measure(client, f"/wilayah/{last.code}/opd/", args.repeat),
        }
        tiny = build_region(args.regions, opds=2, members=1)
        tiny_counts = {
            "region home": measure(client, f"/wilayah/{tiny.code}/", args.repeat),
            "agencies": measure(client, f"/wilayah/{tiny.code}/opd/", args.repeat),
        }
    finally:
        teardown_databases(old_config, verbosity=0)

    engine = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
    print(f"Database: {engine}; {args.opds} agencies, 3 population figures, 4 kecamatan × 5 kelurahan,")
    print("2 governance bodies × 12 members per region; signed in as ministry staff.")
    print(f"Building the other {args.regions - 1} regions took {built:.1f} s.")
    headers = [
        "1 region",
        f"{args.regions} regions (first)",
        f"{args.regions} regions (last)",
        "tiny (2 OPD, 1 member)",
    ]
    widths = (20, 24, 24, 24)
    print(f"{'page':<12} " + " ".join(f"{h:>{w}}" for h, w in zip(headers, widths, strict=True)))
    differs = False
    for name in pages:
        cells = [small[name], large[name], large_last[name], tiny_counts[name]]
        print(
            f"{name:<12} "
            + " ".join(f"{f'{q} queries, {ms:.1f} ms':>{w}}" for (q, ms), w in zip(cells, widths, strict=True))
        )
        if len({q for q, _ms in cells}) != 1:
            differs = True
            print(f"FAIL: the {name} query count depends on the amount of data", file=sys.stderr)
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main())
