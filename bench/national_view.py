"""The ministry's national view (issue 15 §3) at the full national data set.

Runs on a throwaway test database (in-memory SQLite, or ``test_<name>`` on PostgreSQL when
KOTACERDAS_DATABASE_URL is set). Generates the national sample (``kotacerdas demo --national``:
``--regions`` regions × 4 sessions × 20 obstacles × ``--programmes`` programmes, with the
reporting and evaluations it makes) and prints how long that took, then, signed in as ministry
staff, the query count and the median server time over ``--repeat`` GETs through the test client
of: the whole table, the table filtered to one province and sorted by index, the XLSX export, and
one heat-map drill-down; first with 10 regions, then with all of them.

    .venv/bin/python bench/national_view.py [--regions 514] [--programmes 300] [--repeat 7]

Exits with status 1 when a query count grows with the data or the whole page takes 500 ms or more.
(bench/national.py is another benchmark: the whole install under load.)

Measured on the development machine (2 cores shared with other work, SQLite in memory,
5 December 2026), 514 regions = 10 + the 504 of the generator:

    Generator (demo --national), 504 regions: 47.7 s (130 s when the machine was busiest).
      It wrote 504 regions, 2016 sessions, 10080 obstacles, 151200 programmes, 79288 updates,
      79288 realised_budgets, 140 evaluations.
    Median of 7 GETs through the test client, signed in as ministry staff:
      page        10 regions: 20 queries, 62 ms   514 regions: 20 queries, 415 ms
      province    10 regions: 20 queries, 31 ms   514 regions: 20 queries, 265 ms
      export      10 regions: 20 queries, 19 ms   514 regions: 20 queries, 354 ms
      drill-down  10 regions: 21 queries, 17 ms   514 regions: 21 queries, 225 ms

About 250 ms of the page is the grouped queries over 150 000 programmes and 80 000 updates
(SQLite; two indexes added for them: programmes by edition and status, updates by period, state
and programme), the rest writing 514 rows. Before the table body was written as escaped strings
instead of template nodes, the page took 941 ms.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.test_settings")

from bench.monitoring_page import measure

TODAY = datetime.date(2026, 12, 5)
URLS = {
    "page": "/nasional/",
    "province": "/nasional/?province=32&sort=index&order=desc",
    "export": "/nasional/ekspor.xlsx",
}
BUDGET_MS = 500


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=514)
    parser.add_argument("--programmes", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from unittest import mock

        from kotacerdas.accounts.models import User
        from kotacerdas.demo.national import generate
        from kotacerdas.frameworks.loader import load_all
        from kotacerdas.web import national

        load_all()
        ministry = User.objects.create_user(username="bench-ministry", password="x", is_ministry=True)
        client = Client()
        client.force_login(ministry)
        with mock.patch("django.utils.timezone.localdate", lambda *a, **k: TODAY):
            generate(regions=10, programmes=args.programmes, today=TODAY, name="Bench kecil")
            # The fullest heat-map cell of the small set: its list is not empty at either size.
            heat = national.national(TODAY, national.Filters()).heat.counts
            province, category = max(heat, key=lambda cell: heat[cell])
            URLS["drill-down"] = f"/nasional/hambatan/?category={category}&province={province}"
            small = {label: measure(client, url, args.repeat) for label, url in URLS.items()}
            made = generate(regions=args.regions - 10, programmes=args.programmes, today=TODAY)
            large = {label: measure(client, url, args.repeat) for label, url in URLS.items()}
    finally:
        teardown_databases(old_config, verbosity=0)

    engine = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
    rows = ", ".join(f"{n} {what}" for what, n in made.rows.items())
    print(f"Database: {engine}. Generator (demo --national), {args.regions - 10} regions: {made.seconds:.1f} s.")
    print(f"  It wrote {rows}.")
    print(f"Median of {args.repeat} GETs through the test client, signed in as ministry staff:")
    failed = False
    for label in URLS:
        (q_small, ms_small), (q_large, ms_large) = small[label], large[label]
        print(
            f"  {label:<11} 10 regions: {q_small} queries, {ms_small:.0f} ms   "
            f"{args.regions} regions: {q_large} queries, {ms_large:.0f} ms"
        )
        if q_small != q_large:
            print(f"FAIL: the query count of {label} depends on the amount of data", file=sys.stderr)
            failed = True
    if large["page"][1] >= BUDGET_MS:
        print(f"FAIL: the national view took {large['page'][1]:.0f} ms (budget {BUDGET_MS} ms)", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
