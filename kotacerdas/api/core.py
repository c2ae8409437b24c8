"""The API object of ``/api/v1/``: authentication, problem details, ETags, the OpenAPI document.

Resources live in ``kotacerdas/api/resources/``, one router per domain area, each reaching a
region only through ``accounts.access.region_for`` (outsider 404, missing capability 403).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from ninja import NinjaAPI

from kotacerdas.api import problems
from kotacerdas.api.auth import SessionAuth, TokenAuth

READ_METHODS = frozenset({"GET", "HEAD"})


def _matches(header: str, etag: str) -> bool:
    wanted = [part.strip().removeprefix("W/") for part in header.split(",")]
    return "*" in wanted or etag in wanted


class KotaCerdasAPI(NinjaAPI):
    """ninja's API with strong ETags on reads (``If-None-Match`` → 304) and problem+json errors
    documented as such in the OpenAPI document."""

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if request.method in READ_METHODS and response.status_code == 200:
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = etag
            response["Cache-Control"] = "private, no-cache"
            patch_vary_headers(response, ["Authorization", "Cookie", "Accept-Language"])
            if _matches(request.headers.get("If-None-Match", ""), etag):
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = etag
                not_modified["Cache-Control"] = response["Cache-Control"]
                patch_vary_headers(not_modified, ["Authorization", "Cookie", "Accept-Language"])
                return not_modified
        return response

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for item in schema.get("paths", {}).values():
            for method, operation in item.items():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        answer["content"] = {problems.PROBLEM_TYPE: content["application/json"]}
                    if int(status) == 200 and method == "get":
                        answer.setdefault("headers", {})["ETag"] = {
                            "description": "Strong validator of the body; send it back in If-None-Match.",
                            "schema": {"type": "string"},
                        }
        return schema


DESCRIPTION = """The KotaCerdas REST API: the data of the workbench under the same rules as its pages.

Authenticate with a personal access token (`Authorization: Bearer kc_…`, made on the page
"API tokens" or with `kotacerdas api token create`), or from the browser with the signed-in
session and its CSRF token. A region you hold no grant for answers 404, a missing capability
403. Every error is a problem document (RFC 9457). Lists are paged (`page`, `page_size` ≤ 100)
in a stable order; reads carry an `ETag` (send `If-None-Match` for a 304). Writes take the
`version` you read: a stale one answers 409. See docs/api.md."""


def build() -> KotaCerdasAPI:
    from kotacerdas.api.resources import (
        assessments,
        documents,
        engagements,
        evaluations,
        frameworks,
        monitoring,
        plans,
        quickwins,
        regions,
    )

    api = KotaCerdasAPI(
        title="KotaCerdas API",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api-v1",
        auth=[TokenAuth(), SessionAuth(csrf=True)],
        docs_url=None,
        openapi_url="/openapi.json",
    )
    problems.install(api)
    api.add_router("/", regions.router)
    api.add_router("/", assessments.router)
    api.add_router("/", plans.router)
    api.add_router("/", monitoring.router)
    api.add_router("/", quickwins.router)
    api.add_router("/", engagements.router)
    api.add_router("/", documents.router)
    api.add_router("/", evaluations.router)
    api.add_router("/", frameworks.router)
    return api


api = build()
