"""Signing in with a user name and password, and finding the signed-in user on each request.

Django's ModelBackend, except that the user of a session is read with one plain statement
(decision 0018, lib/sql.py): it runs on every signed-in request, where building the ORM query
cost twice as much as this read.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from kotacerdas.accounts.models import User
from kotacerdas.lib import sql


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        found = sql.objects(User, _one_user(), [pk])
        if not found:
            return None
        user = found[0][0]
        return user if self.user_can_authenticate(user) else None


@sql.statement
def _one_user() -> str:
    return f"SELECT {sql.columns(User, 'u')} FROM {sql.table(User)} u WHERE u.{sql.column(User, 'id')} = %s"  # noqa: S608
