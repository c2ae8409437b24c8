"""The pages of the API: the token page (make, list, revoke) and the reference of the endpoints.

The reference is rendered on the server from the OpenAPI document, so it needs no script from a
CDN and keeps the strict Content-Security-Policy (decision 0010); the interactive part is the
OpenAPI document itself, which any client (curl, Postman, schemathesis) reads.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.api import problems, services
from kotacerdas.api.core import api
from kotacerdas.api.forms import TokenForm
from kotacerdas.api.models import ApiToken
from kotacerdas.lib.forms import submit


@login_required
@never_cache  # the answer to a POST shows the new token: no cache keeps it
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's tokens and the form that makes one (the secret is shown once, on this answer)."""
    user: Any = request.user
    form = TokenForm(request.POST or None)
    made = submit(request, form, lambda data: services.create_token(actor=user, user=user, data=data))
    if made:
        form = TokenForm()  # made: an empty form, so sending it again does not make a second token
    own = list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id")[:100])
    others: list[ApiToken] = []
    if access.is_ministry(user):
        others = list(
            ApiToken.objects.filter(revoked_at__isnull=True)
            .exclude(user=user)
            .select_related("user")
            .order_by("-created_at", "-id")[:200]
        )
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "made": made, "own": own, "others": others, "submit_label": _("Make the token")}
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    if not access.may_revoke_token(request.user, token):
        # Another person's token is not shown to people who may not revoke it.
        raise Http404("No such token.")
    services.revoke_token(actor=request.user, token=token)
    messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("api:tokens")


def reference(request: HttpRequest) -> HttpResponse:
    """Every endpoint with its parameters and answers, from the OpenAPI document."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    # The summaries are marked with gettext_noop where they are declared.
                    "summary": _(operation["summary"]) if operation.get("summary") else "",
                    "tag": (operation.get("tags") or [""])[0],
                    "parameters": [
                        {"name": p["name"], "in": p["in"], "required": p.get("required", False)}
                        for p in operation.get("parameters", [])
                    ],
                    "body": "requestBody" in operation,
                    "statuses": sorted(operation.get("responses", {})),
                }
            )
    return render(request, "api/reference.html", {"operations": operations, "info": schema["info"]})


@csrf_exempt  # it changes nothing; a page of CSRF failure would not be the API's problem document
def not_found(request: HttpRequest) -> HttpResponse:
    return problems.problem(request, 404, _("There is no such endpoint: see /api/v1/openapi.json."))
