from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kotacerdas.accounts import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Nothing per-request that costs a query: the region picker loads on its own page."""
    return {"is_ministry": access.is_ministry(request.user)}
