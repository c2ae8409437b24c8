"""Destructive actions ask first, on a page of their own that works without JavaScript.

A "Remove" button posts to its view as before; the view checks access, finds the row and calls
:func:`ask_first`. The first POST answers with the question (what goes, and a way back); the
confirming POST carries ``confirmed=yes`` and the fields of the first one (a version, a revision),
and only then does the view call its service.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"
NOT_CARRIED = frozenset({"csrfmiddlewaretoken", CONFIRMED})


def ask_first(
    request: HttpRequest,
    *,
    what: str,
    cancel_url: str,
    consequences: Sequence[str] = (),
    extra: dict[str, object] | None = None,
) -> HttpResponse | None:
    """None once the person confirmed; otherwise the page asking whether to remove ``what``."""
    if request.method == "POST" and request.POST.get(CONFIRMED) == "yes":
        return None
    carried = [
        (name, value) for name in request.POST if name not in NOT_CARRIED for value in request.POST.getlist(name)
    ]
    context = {
        "what": what,
        "consequences": consequences,
        "cancel_url": cancel_url,
        "carried": carried,
        "action": request.path,
        **(extra or {}),
    }
    return render(request, "web/confirm_remove.html", context)


# What a confirming POST carries (also for scripts and tests that post to a removal URL).
YES = {CONFIRMED: "yes"}
