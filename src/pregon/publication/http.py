"""HTTP for public data: CORS open to every origin, validators and conditional GET, problems.

Everything under /api/ocds/ and /data/ is public data: any web page may read it from the
browser (`Access-Control-Allow-Origin: *`), caches may keep it (`Cache-Control`), and a
client that already has the current version gets `304 Not Modified` (`ETag`,
`Last-Modified`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from pregon.core.errors import DomainError

PROBLEM_MEDIA_TYPE = "application/problem+json"
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Link, Content-Length",
}
_PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}

type View = Callable[..., HttpResponseBase]


def with_cors(response: HttpResponseBase) -> HttpResponseBase:
    """Let any origin read the response."""
    for name, value in _CORS.items():
        response[name] = value
    return response


def problem(request: HttpRequest, error: DomainError) -> HttpResponse:
    """An RFC 7807 problem details response for a refused request."""
    body = orjson.dumps(error.as_problem(instance=request.path))
    return HttpResponse(body, status=error.status, content_type=PROBLEM_MEDIA_TYPE)


def public_data(view: View) -> View:
    """Serve a read-only public view: GET and HEAD, CORS, preflight, domain errors as problems."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "OPTIONS":
            response: HttpResponseBase = HttpResponse(status=204)
            for name, value in _PREFLIGHT.items():
                response[name] = value
        elif request.method not in {"GET", "HEAD"}:
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD, OPTIONS"
        else:
            try:
                response = view(request, *args, **kwargs)
            except DomainError as error:
                response = problem(request, error)
        return with_cors(response)

    # Reading public data changes nothing, so cross-site requests need no CSRF token.
    wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapper


def strong_etag(data: bytes) -> str:
    """A strong validator for a response body: part of its SHA-256."""
    return f'"{hashlib.sha256(data).hexdigest()[:40]}"'


def conditional(
    request: HttpRequest,
    response_factory: Callable[[], HttpResponseBase],
    *,
    etag: str,
    last_modified: dt.datetime | None,
    cache_control: str,
) -> HttpResponseBase:
    """Answer 304 when the client's copy is current, else the response; both with validators."""
    timestamp = int(last_modified.timestamp()) if last_modified is not None else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    response: HttpResponseBase = not_modified if not_modified is not None else response_factory()
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = cache_control
    return response


def json_response(
    request: HttpRequest,
    body: bytes,
    *,
    last_modified: dt.datetime | None,
    cache_control: str,
    headers: dict[str, str] | None = None,
) -> HttpResponseBase:
    """A JSON body with an ETag of its bytes, Last-Modified and Cache-Control; 304 if current."""
    response = conditional(
        request,
        lambda: HttpResponse(body, content_type="application/json"),
        etag=strong_etag(body),
        last_modified=last_modified,
        cache_control=cache_control,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response
