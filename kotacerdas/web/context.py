from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Nothing per-request that costs a query: the region picker loads on its own page."""
    return {"is_ministry": bool(getattr(request.user, "is_ministry", False))}
