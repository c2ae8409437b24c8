"""Reading notifications: always the recipient's own, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from kotacerdas.lib import sql
from kotacerdas.notifications.models import Notification

PER_PAGE = 25


def shown_to(user: Any) -> QuerySet[Notification]:
    """The notifications ``user`` sees in KotaCerdas, newest first (nobody sees another's)."""
    if not (user.is_authenticated and user.is_active):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, in_app=True).order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    """One query: the number in the header, i.e. ``shown_to(user).filter(read_at=None).count()``
    as a plain statement (it runs on every signed-in page; building the ORM query cost 15x
    running it, lib/sql.py). The tests compare the two."""
    if not (user.is_authenticated and user.is_active):
        return 0
    row = sql.first_row(_count_unread(), [user.pk])
    return int(row[0]) if row else 0


@sql.statement
def _count_unread() -> str:
    return (
        f"SELECT COUNT(*) FROM {sql.table(Notification)} WHERE {sql.column(Notification, 'recipient')} = %s "  # noqa: S608
        f"AND {sql.column(Notification, 'in_app')} AND {sql.column(Notification, 'read_at')} IS NULL"
    )


def page_of(user: Any, number: Any) -> Page[Notification]:
    """One page of ``user``'s notifications (two queries: the count and the rows with their regions)."""
    return Paginator(shown_to(user).select_related("region"), PER_PAGE).get_page(number)


def listed(user: Any, *, unread: bool = False, limit: int = 200) -> list[Notification]:
    rows = shown_to(user).select_related("region")
    if unread:
        rows = rows.filter(read_at=None)
    return list(rows[:limit])
