"""The JSON API at /api/v1/: one NinjaAPI, with the routers of each app mounted on it.

Errors are RFC 7807 problem details with a message in the caller's language
(Accept-Language), whatever raised them: a domain error, a schema error or an unknown route.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from pregon.core.errors import DomainError

api = NinjaAPI(
    title="Pregón API",
    version="1.0.0",
    description=(
        "Public procurement data and actions. Read endpoints are open; actions need an "
        "organization API key in the `Authorization: Bearer <key>` header, or a signed-in "
        "session with its CSRF token."
    ),
    urls_namespace="api",
)

PROBLEM = "application/problem+json"


def problem(request: HttpRequest, status: int, body: dict[str, object]) -> HttpResponse:
    """Render a problem-details document."""
    body.setdefault("instance", request.path)
    return api.create_response(request, body, status=status, content_type=PROBLEM)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return problem(request, error.status, error.as_problem())


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for detail in error.errors:
        location = ".".join(str(part) for part in detail.get("loc", [])[1:]) or "__all__"
        errors.setdefault(location, []).append(str(detail.get("msg", "")))
    return problem(
        request,
        422,
        {
            "type": "urn:pregon:error:validation_failed",
            "title": _("Some values are not valid"),
            "status": 422,
            "detail": _("The request body or parameters do not match the schema."),
            "code": "validation_failed",
            "errors": errors,
        },
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return problem(
        request,
        401,
        {
            "type": "urn:pregon:error:not_authenticated",
            "title": _("Authentication required"),
            "status": 401,
            "detail": _("Send a valid organization API key as 'Authorization: Bearer <key>'."),
            "code": "not_authenticated",
        },
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return problem(
        request,
        error.status_code,
        {
            "type": f"urn:pregon:error:http_{error.status_code}",
            "title": str(error),
            "status": error.status_code,
            "detail": str(error),
            "code": f"http_{error.status_code}",
        },
    )
