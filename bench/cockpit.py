"""The region cockpit (the region home, issue 15 §1) at 300 programmes and 50 sessions.

Runs on a throwaway test database (in-memory SQLite, or ``test_<name>`` on PostgreSQL when
KOTACERDAS_DATABASE_URL is set), signed in as the region admin, and prints for a small region
(3 programmes, 4 sessions) and a large one (``--programmes`` programmes with 4 quarters of
accepted updates, ``--sessions`` sessions, an open action per session) the query count of
GET /wilayah/<code>/ and its median server time over ``--repeat`` GETs through the test client.

    .venv/bin/python bench/cockpit.py [--programmes 300] [--sessions 50] [--repeat 9]

Exits with status 1 when the query count grows with the data.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.test_settings")

from bench.monitoring_page import measure


def build(code: str, name: str, programmes: int, sessions: int) -> Any:
    """A region with an adopted 2025–2029 edition, quarterly reporting, an engagement of
    ``sessions`` sessions (the first four the Bimtek stages) and an overdue action per session."""
    from kotacerdas.engagements.models import Action, Cohort, Engagement, Session
    from kotacerdas.monitoring import services
    from kotacerdas.monitoring.tests.bulk import add_programmes
    from kotacerdas.plans.models import Edition, EditionStatus
    from kotacerdas.plans.tests.factories import make_edition
    from kotacerdas.regions import services as region_services
    from kotacerdas.regions.models import OPD

    region = region_services.create_region(
        actor=None,
        data={"code": code, "name": name, "kind": "kota", "province": "Provinsi Bench", "time_zone": "WIB"},
    )
    edition = make_edition(region, 2024, 2025, 2029)
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.ADOPTED)
    edition.refresh_from_db()
    services.start_reporting(actor=None, edition=edition, cadence="quarterly", rollup="budget")
    add_programmes(edition, programmes=programmes, quarters=4, indicators=0, actuals=0, prefix=code)
    cohort, _ = Cohort.objects.get_or_create(year=2025, defaults={"name": "Bench 2025", "ministry_name": "Komdigi"})
    engagement = Engagement.objects.create(region=region, cohort=cohort, purpose="Bench")
    owner = OPD.objects.create(
        region=region,
        name="Dinas Komunikasi",
        abbreviation="Kominfo",
        kind="dinas",
        valid_from=datetime.date(2017, 1, 1),
    )
    first = datetime.date(2025, 6, 2)
    made = Session.objects.bulk_create(
        Session(
            region=region,
            engagement=engagement,
            stage=n + 1 if n < 4 else None,
            title=f"Sesi {n + 1}",
            starts_on=first + datetime.timedelta(days=7 * n),
            ends_on=first + datetime.timedelta(days=7 * n),
            status="closed" if n < 4 else "planned",
        )
        for n in range(sessions)
    )
    Action.objects.bulk_create(
        Action(
            region=region,
            engagement=engagement,
            session=s,
            title=f"Tindak lanjut {s.title}",
            owner_opd=owner,
            owner_name="Budi",
            due_on=s.starts_on + datetime.timedelta(days=14),
        )
        for s in made
    )
    return region


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=50)
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
        small = build("91.01", "Bench kecil", 3, 4)
        large = build("91.02", "Bench besar", args.programmes, args.sessions)
        admin = User.objects.create_user(username="bench-admin", password="x")
        for region in (small, large):
            Membership.objects.create(user=admin, region=region, role=Role.ADMIN)
        client = Client()
        client.force_login(admin)
        results = {
            label: measure(client, f"/wilayah/{r.code}/", args.repeat)
            for label, r in (("small", small), ("large", large))
        }
    finally:
        teardown_databases(old_config, verbosity=0)

    engine = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
    (q_small, ms_small), (q_large, ms_large) = results["small"], results["large"]
    print(f"Database: {engine}; large region: {args.programmes} programmes, {args.sessions} sessions.")
    print(f"Median of {args.repeat} GETs of the cockpit through the test client, signed in as the region admin.")
    print(f"small: {q_small} queries, {ms_small:.0f} ms   large: {q_large} queries, {ms_large:.0f} ms")
    if q_small != q_large:
        print("FAIL: the cockpit's query count depends on the amount of data", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
