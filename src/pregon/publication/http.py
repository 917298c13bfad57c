"""HTTP for public data: validators and conditional GET.

Everything under /api/ocds/ and /data/ is public data: any web page may read it from the
browser (`pregon.core.problems.public_read`, which also turns refusals into problem details),
caches may keep it (`Cache-Control`), and a client that already has the current version gets
`304 Not Modified` (`ETag`, `Last-Modified`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date


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
