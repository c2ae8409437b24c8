"""The ministry's escalated-obstacle view at programme scale (issue 7's figure).

Builds 500 regions × 4 sessions × 20 obstacles (40,000 obstacles; a share of them escalated)
on a throwaway test database (in-memory SQLite, or ``test_<name>`` on PostgreSQL when
KOTACERDAS_DATABASE_URL is set), signed in as ministry staff, and prints the query count and
server time (Django test client, so the whole request/response cycle without the network) of:

- GET /pendampingan/kendala-eskalasi/ (every category, the oldest 25 of each, with totals);
- GET /pendampingan/kendala-eskalasi/?kategori=regulation (one category, 100 rows a page; and its page 5);

at a small size (20 regions) and at full size; the query counts must be equal.

    .venv/bin/python bench/engagements_obstacles.py [--regions 500] [--sessions 4] [--obstacles 20]
        [--escalated 0.1] [--repeat 10]

Exits with status 1 when a query count grows with the data or a page takes 300 ms or more.
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

CATEGORIES = ["regulation", "budget", "hr", "infrastructure", "data", "coordination", "other"]
STATUSES = ["open", "in_progress", "resolved"]
TARGET_MS = 300.0


def build(first: int, regions: int, sessions: int, obstacles: int, escalated_share: float) -> None:
    """Bulk inserts (the shape matters here, not the audit trail): regions, an OPD each, one
    engagement with ``sessions`` sessions, ``obstacles`` obstacles per session."""
    from kotacerdas.engagements.models import Cohort, Engagement, Obstacle, Session
    from kotacerdas.regions.models import OPD, Region

    D = datetime.date
    cohort, _ = Cohort.objects.get_or_create(year=2024, name="Bench 2024", defaults={"ministry_name": "Bench"})
    every = max(1, round(1 / escalated_share)) if escalated_share > 0 else 0
    n = 0
    for index in range(first, first + regions):
        region = Region.objects.create(
            code=f"{10 + index // 100:02d}.{index % 100:02d}",
            name=f"Bench {index}",
            kind="kota",
            province="Bench",
            time_zone="WIB",
        )
        opd = OPD.objects.create(
            region=region, name="Dinas Bench", abbreviation="DB", kind="dinas", valid_from=D(2017, 1, 1)
        )
        engagement = Engagement.objects.create(region=region, cohort=cohort)
        rows = Session.objects.bulk_create(
            Session(
                region=region,
                engagement=engagement,
                stage=k + 1,
                title=f"Bimtek {k + 1}",
                starts_on=D(2024, 6 + k, 10),
                ends_on=D(2024, 6 + k, 11),
                status="closed",
            )
            for k in range(sessions)
        )
        batch = []
        for session in rows:
            for j in range(obstacles):
                n += 1
                escalated = every and n % every == 0
                batch.append(
                    Obstacle(
                        region=region,
                        engagement=engagement,
                        raised_in=session,
                        description=f"Kendala {n} di {region.name}: uraian singkat yang cukup panjang untuk realistis.",
                        category=CATEGORIES[(n + j) % len(CATEGORIES)],
                        opd=opd,
                        owner_name="Kepala Dinas",
                        proposed_solution="Usulan solusi bench.",
                        status="escalated" if escalated else STATUSES[n % len(STATUSES)],
                        opened_on=session.starts_on,
                        escalated_on=session.ends_on if escalated else None,
                    )
                )
        Obstacle.objects.bulk_create(batch)


def measure(client: Any, url: str, repeat: int) -> tuple[int, float]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the query log is a bounded deque: a full one would hide this request's queries
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # now: the next request's request_started signal clears the query log
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return count, timings[len(timings) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--regions", type=int, default=500)
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--obstacles", type=int, default=20)
    parser.add_argument("--escalated", type=float, default=0.1, help="Share of obstacles escalated (0–1).")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False)
    failures = []
    try:
        from kotacerdas.accounts.models import User
        from kotacerdas.engagements.models import Obstacle

        ministry = User.objects.create_user(username="bench-ministry", password="x", is_ministry=True)
        client = Client()
        client.force_login(ministry)
        pages = {
            "all categories": "/pendampingan/kendala-eskalasi/",
            "one category": "/pendampingan/kendala-eskalasi/?kategori=regulation",
            "one category, p. 5": "/pendampingan/kendala-eskalasi/?kategori=regulation&halaman=5",
        }
        small_n = min(20, args.regions)
        build(0, small_n, args.sessions, args.obstacles, args.escalated)
        small = {k: measure(client, u, args.repeat) for k, u in pages.items()}
        started = time.perf_counter()
        build(small_n, args.regions - small_n, args.sessions, args.obstacles, args.escalated)
        load_s = time.perf_counter() - started
        total = Obstacle.objects.count()
        escalated = Obstacle.objects.filter(status="escalated").count()
        big = {k: measure(client, u, args.repeat) for k, u in pages.items()}
        print(
            f"{args.regions} regions × {args.sessions} sessions × {args.obstacles} obstacles = {total} obstacles, "
            f"{escalated} escalated (built in {load_s:.1f} s)"
        )
        print(f"{'page':<16} {'queries small':>13} {'queries full':>12} {'ms small':>9} {'ms full':>8}")
        for name in pages:
            (qs, ms_small), (qb, ms_big) = small[name], big[name]
            print(f"{name:<16} {qs:>13} {qb:>12} {ms_small:>9.1f} {ms_big:>8.1f}")
            if qs != qb:
                failures.append(f"{name}: query count grows with the data ({qs} → {qb})")
            if ms_big >= TARGET_MS:
                failures.append(f"{name}: {ms_big:.0f} ms, target under {TARGET_MS:.0f} ms")
    finally:
        teardown_databases(old_config, verbosity=0)
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
