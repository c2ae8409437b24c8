"""What notifications cost: the fan-out of one event, the header's unread count and the list page.

Runs on a throwaway test database (in-memory SQLite, or ``test_<name>`` on PostgreSQL when
KOTACERDAS_DATABASE_URL is set). One region with ``--members`` members; one user who already has
``--backlog`` notifications (a year of a busy mentor). It prints, with queries and time:

1. ``notify`` of one event to every member (the fan-out), and the same event again (no rows);
2. the unread count of the header for the user with the backlog (one query);
3. GET /notifikasi/ (first page) and /pekerjaan-saya/ for that user.

    .venv/bin/python bench/notifications.py [--members 300] [--backlog 20000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.test_settings")


def timed(work: Any, repeat: int = 1) -> tuple[int, float, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = None
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(repeat):
            result = work()
    return len(queries) // repeat, (time.perf_counter() - started) / repeat * 1000, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--backlog", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from kotacerdas.accounts.models import Membership, User
        from kotacerdas.notifications.models import Kind, Notification
        from kotacerdas.notifications.selectors import unread_count
        from kotacerdas.notifications.services import notify
        from kotacerdas.regions.models import Region

        region = Region.objects.create(code="90.01", name="Bench", kind="kota", province="Sumatera Barat")
        people = User.objects.bulk_create(
            [User(username=f"m{i}", email=f"m{i}@example.go.id") for i in range(args.members)]
        )
        Membership.objects.bulk_create([Membership(user=u, region=region, role="editor") for u in people])
        reader = people[0]
        Notification.objects.bulk_create(
            [
                Notification(
                    region=region,
                    recipient=reader,
                    kind=Kind.THREAD_REPLY,
                    event_key=f"bench:{i}",
                    label=f"Programme {i}",
                    url="/",
                    actor_name="bench",
                    read_at=None if i % 10 == 0 else region.created_at,
                )
                for i in range(args.backlog)
            ],
            batch_size=2000,
        )

        def fan_out() -> int:
            return notify(
                Kind.ACTION_ASSIGNED,
                [u.pk for u in people],
                actor=None,
                region=region,
                label="Lengkapi data",
                url="/",
                event_key="bench:event",
            )

        rows: list[tuple[str, int, float, Any]] = []
        rows.append(("notify to every member (first time)", *timed(fan_out)))
        rows.append(("notify the same event again", *timed(fan_out)))
        rows.append(("unread count (header)", *timed(lambda: unread_count(reader), args.repeat)))
        client = Client()
        client.force_login(reader)
        client.get("/notifikasi/")  # warm
        rows.append(("GET /notifikasi/", *timed(lambda: client.get("/notifikasi/").status_code, args.repeat)))
        rows.append(("GET /pekerjaan-saya/", *timed(lambda: client.get("/pekerjaan-saya/").status_code, args.repeat)))
        print(f"{args.members} members, {args.backlog} notifications in the reader's backlog")
        for name, queries, ms, result in rows:
            print(f"  {name:40} {queries:3} queries {ms:8.1f} ms  ({result})")
        return 0
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    raise SystemExit(main())
