"""One way to refuse a request made to a JSON endpoint, and one way to serve public reads.

Every JSON endpoint (the API at /api/v1/, the OCDS data at /api/ocds/ and /data/, the
transparency log at /log/) answers a refused request with an RFC 7807 problem details document
(`application/problem+json`): `type`, `title`, `status`, `detail`, a stable `code`, the
`instance` path and, for invalid input, `errors` by field. The document is built by
`DomainError.as_problem`, whatever refused the request: a service (a domain error), or the
HTTP layer itself (the classes below: a missing credential, a method the address does not
take, a body too large or in the wrong format, an address that serves nothing). The messages
are in the language LocaleMiddleware chose from `Accept-Language` (these paths have no language
prefix), which `Content-Language` names. A problem is never cached.

Public read endpoints answer cross-origin requests and preflights alike (`public_read`, or
`with_cors` and `preflight` for the API, whose addresses also take authenticated writes): any
origin may read them, without credentials.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, Final

import orjson
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pregon.core.errors import DomainError, NotFound

PROBLEM_MEDIA_TYPE: Final = "application/problem+json"
# The methods a public read endpoint takes, as `Allow` and preflights name them.
READ_METHODS: Final = ("GET", "HEAD", "OPTIONS")
_CORS: Final = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Link, Content-Length, Content-Language, Pregon-Log-Leaf-Index"
    ),
}
_PREFLIGHT: Final = {
    "Access-Control-Allow-Methods": ", ".join(READ_METHODS),
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}
# Marks a view that answers every address nobody else serves, so that a suggested address
# ("did you mean …?") is one that really serves something.
_CATCH_ALL: Final = "pregon_catch_all"

type View = Callable[..., HttpResponseBase]


# ---------------------------------------------------------------------------------------------
# refusals of the HTTP layer (services raise the domain errors of pregon.core.errors)


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    title = gettext_lazy("Authentication required")


class MalformedRequest(DomainError):
    status = 400
    code = "malformed_request"
    title = gettext_lazy("The request could not be read")


class MethodNotAllowed(DomainError):
    status = 405
    code = "method_not_allowed"
    title = gettext_lazy("Method not allowed")


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"
    title = gettext_lazy("The request is too large")


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"
    title = gettext_lazy("The request body is not in a format this address reads")


class HttpProblem(DomainError):
    """Any other HTTP status, with its own title (e.g. a refusal raised by a library)."""

    def __init__(self, status: int, message: str | Promise, *, code: str = "") -> None:
        super().__init__(message, code=code or f"http_{status}")
        self.status = status

    def as_problem(self, *, instance: str = "") -> dict[str, Any]:
        """The problem, titled with the message itself."""
        problem = super().as_problem(instance=instance)
        problem["title"] = str(self.message)
        return problem


# ---------------------------------------------------------------------------------------------
# the response


def problem_response(
    request: HttpRequest, error: DomainError, *, headers: dict[str, str] | None = None
) -> HttpResponse:
    """The problem details response for a refused request, in the request's language."""
    body = orjson.dumps(error.as_problem(instance=request.path))
    response = HttpResponse(body, status=error.status, content_type=PROBLEM_MEDIA_TYPE)
    # A refusal says something about this request at this moment, not about the resource.
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def method_not_allowed(request: HttpRequest, allowed: Iterable[str]) -> HttpResponse:
    """405 naming the methods the address takes, in `Allow` and in the message."""
    methods = ", ".join(allowed)
    error = MethodNotAllowed(
        _("This address accepts only: %(methods)s.") % {"methods": methods},
    )
    return problem_response(request, error, headers={"Allow": methods})


def not_found(request: HttpRequest, *, detail: str | None = None) -> HttpResponse:
    """404 for an address that serves nothing; points to the address with or without the
    final slash when that one serves something (transitions end with one, data does not)."""
    path = request.path
    other = path[:-1] if path.endswith("/") else f"{path}/"
    if _serves(other):
        detail = _("There is nothing at this address; did you mean %(path)s?") % {"path": other}
    return problem_response(request, NotFound(detail or _("There is nothing at this address.")))


def _serves(path: str) -> bool:
    if path in {"", "/"}:
        return False
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return not getattr(match.func, _CATCH_ALL, False)


def catch_all(view: View) -> View:
    """Mark a view that answers the addresses no endpoint serves (see `not_found`)."""
    setattr(view, _CATCH_ALL, True)
    return view


@catch_all
def route_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any address under /api/ that no endpoint serves: a 404 problem, never the HTML page."""
    return not_found(request)


# Whatever method it was sent with: there is nothing here to protect.
route_not_found.csrf_exempt = True  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# public reads: CORS and preflight


def with_cors(response: HttpResponseBase) -> HttpResponseBase:
    """Let any origin read the response (without credentials: `*` never carries cookies)."""
    for name, value in _CORS.items():
        response[name] = value
    return response


def preflight() -> HttpResponse:
    """The answer to a CORS preflight (`OPTIONS`) of a public read endpoint."""
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(READ_METHODS)
    for name, value in _PREFLIGHT.items():
        response[name] = value
    with_cors(response)
    return response


def public_read(view: View) -> View:
    """Serve a read-only public view: GET and HEAD, CORS, preflight, refusals as problems."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "OPTIONS":
            return preflight()
        if request.method not in {"GET", "HEAD"}:
            response: HttpResponseBase = method_not_allowed(request, READ_METHODS)
        else:
            try:
                response = view(request, *args, **kwargs)
            except DomainError as error:
                response = problem_response(request, error)
            except Http404:
                response = not_found(request)
        return with_cors(response)

    # Reading public data changes nothing, so cross-site requests need no CSRF token.
    wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapper
