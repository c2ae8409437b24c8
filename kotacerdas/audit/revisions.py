"""Data revisions: a count per region (and one for shared data) raised with every audit entry.

Every change to region or reference data writes an audit entry in its own transaction
(services.record); raising the count in the same place means a revision cannot miss a change
that the trail records, and it becomes visible exactly when the change commits. Pages built from
the data may therefore be kept under the revisions they read (lib/pagecache.py).

Work that changes what pages show without an audit entry (a background job finishing a
document, an import's progress) raises the count itself with :func:`bump`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import connection
from django.db.models import F

from kotacerdas.audit.models import Revision
from kotacerdas.lib import sql

SHARED = 0  # the scope of data every region shows: frameworks, accounts, cohorts


def bump(region_ids: Iterable[int | None]) -> None:
    """Raise the revision of each region in ``region_ids`` (``None``: the shared data) by one,
    in one statement, creating the count on first use."""
    scopes = sorted({SHARED if rid is None else int(rid) for rid in region_ids})
    if not scopes:
        return
    table = connection.ops.quote_name(Revision._meta.db_table)
    rows = ", ".join(["(%s, 1)"] * len(scopes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, value) VALUES {rows} "  # noqa: S608 - names are ours
            f"ON CONFLICT (scope) DO UPDATE SET value = {table}.value + 1",
            scopes,
        )


def bump_everything() -> None:
    """Move every revision past any value it held before, e.g. after the database was restored
    from a backup (which brings old counts back): a random jump, so no earlier count recurs."""
    jump = secrets.randbelow(2**40) + 2**20
    Revision.objects.update(value=F("value") + jump)
    bump([None])


def current(region_id: int) -> tuple[int, int]:
    """(the region's revision, the shared revision), in one query; 0 before the first change."""
    # A plain statement: this runs on every kept page, where building the ORM query cost 8x (lib/sql.py).
    values = dict(sql.all_rows(_both_revisions(), [SHARED, region_id]))
    return values.get(region_id, 0), values.get(SHARED, 0)


@sql.statement
def _both_revisions() -> str:
    return (
        f"SELECT {sql.column(Revision, 'scope')}, {sql.column(Revision, 'value')} "  # noqa: S608 - names are ours
        f"FROM {sql.table(Revision)} WHERE {sql.column(Revision, 'scope')} IN (%s, %s)"
    )
