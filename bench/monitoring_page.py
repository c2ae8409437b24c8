"""The region's monitoring page at scale (issue 13 §7): 300 programmes × 20 quarters of updates
and 1,000 indicators × 20 actuals.

Runs on a throwaway test database (in-memory SQLite, or ``test_<name>`` on PostgreSQL when
KOTACERDAS_DATABASE_URL is set), signed in as the region admin, and prints for a small region
(3 programmes × 2 quarters, 5 indicators × 2 actuals) and the large one:

- the query count of GET /wilayah/<code>/pemantauan/ (it must not grow with the data);
- the median server time over ``--repeat`` GETs through the test client;
- the same for the indicator actuals table of the year.

    .venv/bin/python bench/monitoring_page.py [--programmes 300] [--indicators 1000] [--quarters 20] [--repeat 9]

Exits with status 1 when a query count grows with the data or the monitoring page misses 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.test_settings")

TARGET_MS = 300


def measure(client: Any, url: str, repeat: int) -> tuple[int, float]:
    """(queries of one GET, median milliseconds of ``repeat`` GETs)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (session, translations, templates)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    count = len(queries)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return count, statistics.median(times)


def build(code: str, name: str, programmes: int, quarters: int, indicators: int, actuals: int) -> Any:
    """A region with an adopted 2025–2029 edition, quarterly reporting and bulk-built programmes."""
    from kotacerdas.monitoring import services
    from kotacerdas.monitoring.tests.bulk import add_programmes
    from kotacerdas.plans.models import Edition, EditionStatus
    from kotacerdas.plans.tests.factories import make_edition
    from kotacerdas.regions import services as region_services

    region = region_services.create_region(
        actor=None,
        data={"code": code, "name": name, "kind": "kota", "province": "Provinsi Bench", "time_zone": "WIB"},
    )
    edition = make_edition(region, 2024, 2025, 2029)
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.ADOPTED)
    edition.refresh_from_db()
    services.start_reporting(actor=None, edition=edition, cadence="quarterly", rollup="budget")
    add_programmes(
        edition, programmes=programmes, quarters=quarters, indicators=indicators, actuals=actuals, prefix=code
    )
    return region


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--quarters", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from kotacerdas.accounts.models import Membership, Role, User
        from kotacerdas.frameworks.loader import load_all

        load_all()
        small = build("91.01", "Bench kecil", 3, 2, 5, 2)
        started = time.perf_counter()
        large = build("91.02", "Bench besar", args.programmes, args.quarters, args.indicators, args.quarters)
        built = time.perf_counter() - started
        admin = User.objects.create_user(username="bench-admin", password="x")
        for region in (small, large):
            Membership.objects.create(user=admin, region=region, role=Role.ADMIN)
        client = Client()
        client.force_login(admin)
        results = {}
        for label, region in (("small", small), ("large", large)):
            results[label] = {
                "monitoring page": measure(client, f"/wilayah/{region.code}/pemantauan/", args.repeat),
                "actuals table": measure(
                    client, f"/wilayah/{region.code}/pemantauan/edisi/2024/indikator/?tahun=2025", args.repeat
                ),
            }
    finally:
        teardown_databases(old_config, verbosity=0)

    engine = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
    print(
        f"Database: {engine}; large region: {args.programmes} programmes × {args.quarters} quarters of accepted "
        f"updates, {args.indicators} indicators × {args.quarters} actuals (built in {built:.1f} s)."
    )
    print(f"Median of {args.repeat} GETs through the test client, signed in as the region admin.")
    failures = []
    for page in ("monitoring page", "actuals table"):
        (q_small, ms_small), (q_large, ms_large) = results["small"][page], results["large"][page]
        print(f"{page:<16} small: {q_small} queries, {ms_small:.0f} ms   large: {q_large} queries, {ms_large:.0f} ms")
        if q_small != q_large:
            failures.append(f"the {page} query count depends on the amount of data")
    if results["large"]["monitoring page"][1] > TARGET_MS:
        failures.append(f"the monitoring page took more than {TARGET_MS} ms")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
