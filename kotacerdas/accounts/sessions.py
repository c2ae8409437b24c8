"""Sessions in the database, read with one plain statement (decision 0018, lib/sql.py).

Django's database store, except that reading a session (on every signed-in request) does not
build an ORM query: the statement costs a tenth of building it. Saving, creating and deleting
sessions are Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session

from kotacerdas.lib import sql


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        row = sql.first_row(_one_session(), [self.session_key, sql.now()])
        if row is None:  # unknown or expired: a new session, as Django's store does
            self._session_key = None
            return {}
        return self.decode(row[0])


@sql.statement
def _one_session() -> str:
    return (
        f"SELECT {sql.column(Session, 'session_data')} FROM {sql.table(Session)} "  # noqa: S608 - names are ours
        f"WHERE {sql.column(Session, 'session_key')} = %s AND {sql.column(Session, 'expire_date')} > %s"
    )
