"""The unread count in the header: one query, only on pages that show it, none for visitors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kotacerdas.notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counted = getattr(request, "unread_notifications", None)  # lib/pagecache.py counted already
    if counted is not None:
        return {"unread_notifications": counted}
    # Lazy: a partial (htmx) or a page that does not extend the layout asks nothing.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
