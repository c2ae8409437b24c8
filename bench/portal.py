"""The public portal (issue 15 §4): server time of a public page built, cached, and answered 304.

Runs on a throwaway test database (in-memory SQLite, or ``test_<name>`` on PostgreSQL when
KOTACERDAS_DATABASE_URL is set) with one published region whose adopted 2025–2029 edition has
``--programmes`` programmes (quarterly accepted updates, ``--indicators`` indicators with targets
and actuals, 20 quick wins), every part published. For each page it prints, as the median of
``--repeat`` anonymous GETs through the test client:

- uncached: the page built from the database (the page cache emptied before each GET);
- cached: the same page from the cache (its stamp still matches: two small queries and a cache read);
- 304: a conditional GET with the page's ETag (the stamp only, no body).

    .venv/bin/python bench/portal.py [--programmes 300] [--indicators 100] [--repeat 15]

Exits with status 1 when a cached page takes 50 ms or more.
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

LIMIT_MS = 50.0


def build(programmes: int, indicators: int) -> Any:
    from kotacerdas.monitoring import services
    from kotacerdas.monitoring.tests.bulk import add_programmes
    from kotacerdas.plans.models import Edition, EditionStatus, QuickWinFlag
    from kotacerdas.plans.tests.factories import make_edition
    from kotacerdas.portal import services as portal_services
    from kotacerdas.portal.models import PARTS
    from kotacerdas.regions import services as region_services
    from kotacerdas.regions.models import Region

    region = region_services.create_region(
        actor=None,
        data={"code": "91.01", "name": "Bench", "kind": "kota", "province": "Provinsi Bench", "time_zone": "WIB"},
    )
    edition = make_edition(region, 2024, 2025, 2029)
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.ADOPTED, vision="Kota cerdas untuk semua")
    edition.refresh_from_db()
    services.start_reporting(actor=None, edition=edition, cadence="quarterly")
    made = add_programmes(edition, programmes=programmes, quarters=4, indicators=indicators, actuals=4, prefix="P")
    QuickWinFlag.objects.bulk_create(QuickWinFlag(region=region, programme=p, year=2025) for p in made[:20])
    Region.objects.filter(pk=region.pk).update(is_published=True)
    portal_services.set_publication(actor=None, region=region, parts=dict.fromkeys(PARTS, True), expected_version=0)
    return region


def _median_ms(get: Any, repeat: int, before: Any = None) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        get()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False)
    rows = []
    try:
        from kotacerdas.frameworks.loader import load_all

        load_all()
        region = build(args.programmes, args.indicators)
        client = Client()
        for page in ("", "rencana/", "quick-win/", "indikator/", "data/indicators.csv"):
            url = f"/publik/{region.code}/{page}"
            first = client.get(url)
            if first.status_code != 200:
                raise SystemExit(f"GET {url} answered {first.status_code}")
            uncached = _median_ms(lambda u=url: client.get(u), args.repeat, before=cache.clear)
            client.get(url)
            cached = _median_ms(lambda u=url: client.get(u), args.repeat)
            etag = client.get(url)["ETag"]
            not_modified = _median_ms(lambda u=url, e=etag: client.get(u, headers={"If-None-Match": e}), args.repeat)
            rows.append((url, len(first.content), uncached, cached, not_modified))
    finally:
        teardown_databases(old_config, verbosity=0)

    engine = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
    cache_backend = str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]
    print(f"Database: {engine}; cache: {cache_backend}; {args.programmes} programmes, {args.indicators} indicators.")
    print(f"Median of {args.repeat} anonymous GETs through the test client (server time, ms).")
    print(f"{'page':32} {'bytes':>8} {'uncached':>9} {'cached':>7} {'304':>6}")
    worst = 0.0
    for url, size, uncached, cached, not_modified in rows:
        print(f"{url:32} {size:>8} {uncached:>9.1f} {cached:>7.1f} {not_modified:>6.1f}")
        worst = max(worst, cached)
    if worst >= LIMIT_MS:
        print(f"FAIL: a cached page took {worst:.1f} ms (limit {LIMIT_MS:.0f} ms)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
