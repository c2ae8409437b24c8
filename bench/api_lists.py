"""The API's list endpoints at 300 programmes: a fixed query count, and their time beside the page.

Runs on a throwaway test database (in-memory SQLite, or ``test_<name>`` on PostgreSQL when
KOTACERDAS_DATABASE_URL is set). Builds a small region (3 programmes) and a large one
(``--programmes`` programmes, 4 quarters of accepted updates, ``--indicators`` indicators with
actuals), then prints, for each list endpoint, the queries of one GET in both regions and the
median time of ``--repeat`` GETs through the test client with a bearer token. The programme list
is compared with its page (``/wilayah/<code>/masterplan/2024/program/``, every programme on one
page): one API page of 100, and all programmes read as pages of 100. Then the ministry's region list
before and after ``--regions`` more regions are added.

    .venv/bin/python bench/api_lists.py [--programmes 300] [--indicators 300] [--regions 514] [--repeat 9]

Exits with status 1 when a query count grows with the data, or when the API's p50 for the
programmes of the edition (all pages) is more than twice the page's.
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

from bench.monitoring_page import build, measure


def timed(client: Any, urls: list[str], repeat: int) -> float:
    """Median milliseconds of reading all ``urls`` one after the other."""
    for url in urls:
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for url in urls:
            client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=300)
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--regions", type=int, default=514)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    settings.API_RATE = 1_000_000
    old_config = setup_databases(verbosity=0, interactive=False)
    failed = False
    try:
        from kotacerdas.accounts.models import Membership, Role, User
        from kotacerdas.api import services
        from kotacerdas.frameworks.loader import load_all
        from kotacerdas.regions.models import Region

        load_all()
        small = build("91.01", "Bench kecil", 3, 4, 3, 4)
        large = build("91.02", "Bench besar", args.programmes, 4, args.indicators, 4)
        admin = User.objects.create_user(username="bench-admin", password="x")
        for region in (small, large):
            Membership.objects.create(user=admin, region=region, role=Role.ADMIN)
        token = services.create_token(actor=None, user=admin, data={"name": "bench", "scope": "read"}).secret
        api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        page = Client()
        page.force_login(admin)

        lists = [
            "/api/v1/regions",
            "/api/v1/regions/{code}",
            "/api/v1/regions/{code}/editions",
            "/api/v1/regions/{code}/programmes?edition=2024&page_size=100",
            "/api/v1/regions/{code}/updates?page_size=100",
            "/api/v1/regions/{code}/actuals?page_size=100",
            "/api/v1/regions/{code}/editions/2024/findings?page_size=100",
        ]
        print(f"Median of {args.repeat} GETs through the test client; large region: {args.programmes} programmes,")
        print(f"4 quarters of updates each, {args.indicators} indicators with 4 actuals each.")
        print(f"{'endpoint':<62} {'queries small/large':>20} {'p50 large':>10}")
        for template in lists:
            q_small, _ms = measure(api, template.format(code=small.code), 1)
            q_large, ms_large = measure(api, template.format(code=large.code), args.repeat)
            flag = "" if q_small == q_large else "  GROWS"
            failed |= q_small != q_large
            print(f"{template:<62} {q_small:>9} / {q_large:<8} {ms_large:>8.0f} ms{flag}")

        # The ministry's region list, before and after the country's regions are added.
        ministry = User.objects.create_user(username="bench-ministry", password="x", is_ministry=True)
        national = Client(
            HTTP_AUTHORIZATION="Bearer "
            + services.create_token(actor=None, user=ministry, data={"name": "bench", "scope": "read"}).secret
        )
        q_few, _ms = measure(national, "/api/v1/regions?page_size=100", 1)
        Region.objects.bulk_create(
            Region(code=f"{90 - n // 100:02d}.{n % 100:02d}", name=f"Bench {n}", kind="kota", province="Bench")
            for n in range(args.regions)
        )
        q_many, ms_many = measure(national, "/api/v1/regions?page_size=100", args.repeat)
        total = national.get("/api/v1/regions").json()["count"]
        flag = "" if q_few == q_many else "  GROWS"
        failed |= q_few != q_many
        label = f"/api/v1/regions?page_size=100 (ministry, {total} regions)"
        print(f"{label:<62} {q_few:>9} / {q_many:<8} {ms_many:>8.0f} ms{flag}")

        pages = -(-args.programmes // 100)
        api_urls = [
            f"/api/v1/regions/{large.code}/programmes?edition=2024&page_size=100&page={n}" for n in range(1, pages + 1)
        ]
        page_url = f"/wilayah/{large.code}/masterplan/2024/program/"
        q_page, ms_page = measure(page, page_url, args.repeat)
        ms_api_one = timed(api, api_urls[:1], args.repeat)
        ms_api_all = timed(api, api_urls, args.repeat)
        print()
        print(f"programme page {page_url}: {q_page} queries, p50 {ms_page:.0f} ms (all {args.programmes} programmes)")
        print(f"API, one page of 100 (budgets, indicators, targets): p50 {ms_api_one:.0f} ms")
        print(f"API, all {pages} pages of 100: p50 {ms_api_all:.0f} ms = {ms_api_all / ms_page:.2f} × the page")
        if ms_api_all > 2 * ms_page:
            print("FAIL: the API takes more than twice the page's time", file=sys.stderr)
            failed = True
    finally:
        teardown_databases(old_config, verbosity=0)
    if failed:
        print("FAIL: see above", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
