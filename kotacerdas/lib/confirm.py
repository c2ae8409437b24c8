"""Destructive actions ask first, on a page of their own that works without JavaScript.

A "Remove" button posts to its view as before; the view checks access, finds the row and calls
:func:`ask_first`. The first POST answers with the question (what goes, and a way back); the
confirming POST carries ``confirmed=yes`` and the fields of the first one (a version, a revision),
and only then does the view call its service.

A row that carries a version is removed only at the version the person saw: the Remove button
posts it, the question carries it, and the view passes :func:`posted_version` to its service,
which refuses a stale or missing one (lib/concurrency.py). :func:`refuse_stale` then answers 409
on the same page, with the conflict message and a way back.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kotacerdas.lib.concurrency import EditConflict, posted_version

CONFIRMED = "confirmed"
NOT_CARRIED = frozenset({"csrfmiddlewaretoken", CONFIRMED})


def ask_first(
    request: HttpRequest,
    *,
    what: str,
    cancel_url: str,
    consequences: Sequence[str] = (),
    extra: dict[str, object] | None = None,
    version: int | None = None,
) -> HttpResponse | None:
    """None once the person confirmed; otherwise the page asking whether to remove ``what``.

    With ``version`` (the row's current one), a POST that carries another version or none is
    refused at once (:func:`refuse_stale`) instead of asking a question about a changed row.
    """
    if version is not None and posted_version(request) != version:
        return refuse_stale(request, what=what, cancel_url=cancel_url)
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


def refuse_stale(request: HttpRequest, *, what: str, cancel_url: str) -> HttpResponse:
    """The removal page again, saying the row changed (or the form carried no version): 409."""
    context = {
        "what": what,
        "cancel_url": cancel_url,
        "conflict": str(EditConflict()),
        "carried": [],
        "action": request.path,
    }
    return render(request, "web/confirm_remove.html", context, status=409)


# What a confirming POST carries (also for scripts and tests that post to a removal URL).
YES = {CONFIRMED: "yes"}
