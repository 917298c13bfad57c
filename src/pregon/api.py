"""The JSON API at /api/v1/: one NinjaAPI, with the routers of each app mounted on it.

Errors are RFC 7807 problem details with a message in the caller's language
(Accept-Language), whatever raised them: a domain error, a schema error, a refused credential,
a spent rate limit, an unknown route or a method the route does not take.

The OpenAPI document is served at /api/v1/openapi.json and committed as
src/pregon/openapi.json; `pregon openapi --check` (and a test) fails when they drift apart.
"""

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import Resolver404, URLPattern, URLResolver, re_path, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Router, Schema
from ninja import Path as PathParam
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from pregon.core import classifications
from pregon.core.api_pagination import paginated
from pregon.core.errors import DomainError
from pregon.organizations.api import router as organizations_router
from pregon.organizations.api_auth import (
    ORGANIZATION_HEADER,
    PROBLEM_MEDIA_TYPE,
    SCOPE_EXTENSION,
    OrganizationApiKey,
    SignedInSession,
    public,
)
from pregon.tenders.api import router as tenders_router
from pregon.tenders.choices import ClassificationScheme

SNAPSHOT = Path(__file__).parent / "openapi.json"
PROBLEM = PROBLEM_MEDIA_TYPE

DESCRIPTION = f"""\
Public procurement data and actions of a Pregón instance.

**Reading** tenders, questions, organizations and classifications needs no key.

**Acting** (drafting, publishing, amending and cancelling tenders, asking and answering
questions) needs either an organization API key, sent as `Authorization: Bearer
pk_<prefix>_<secret>` and holding the scope each operation names, or a signed-in session with
its CSRF token (`X-CSRFToken`). A person who belongs to several organizations names the one
they act for in the `{ORGANIZATION_HEADER}` header.

**Lists** answer `{{"count": N, "items": [...]}}` and take `limit` (1 to 100, default 20) and
`offset`.

**Errors** are RFC 7807 problem details (`application/problem+json`) with `type`, `title`,
`status`, `detail`, a stable `code`, the `instance` path and, for invalid input, `errors` by
field. Messages follow `Accept-Language` (en, es, pt, fr).
"""

TAGS = [
    {"name": "tenders", "description": "Published tenders, their documents and questions."},
    {
        "name": "buyer",
        "description": "A buyer's own tenders: drafting, documents, transitions, answers.",
    },
    {"name": "questions", "description": "Clarification questions and their public answers."},
    {"name": "organizations", "description": "The directory of buyers and suppliers."},
    {"name": "classifications", "description": "CPV and UNSPSC codes with their names."},
]


class Problem(Schema):
    """An RFC 7807 problem details document."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str
    errors: dict[str, list[str]] | None = None


class PregonAPI(NinjaAPI):
    """NinjaAPI with problem details everywhere and a few additions to the OpenAPI document."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # View names are unique across the routers; they read better than module paths.
        return str(operation.view_func.__name__)

    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
    ) -> OpenAPISchema:
        """The document as ninja builds it, plus tags, scopes and the Problem schema."""
        # The document is the same whatever language the request asked for.
        with translation.override("en"):
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            schema["tags"] = TAGS
            schema["components"]["schemas"]["Problem"] = Problem.model_json_schema()
        for operations in schema["paths"].values():
            for operation in operations.values():
                scope = operation.get(SCOPE_EXTENSION)
                if scope:
                    # OpenAPI 3.1 lets non-OAuth schemes list the roles (here: scopes) needed.
                    operation["security"] = [
                        {OrganizationApiKey.__name__: [scope]},
                        {SignedInSession.__name__: []},
                    ]
        return schema

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                if pattern.name == "api-root":
                    pattern.callback = api_index
                else:
                    pattern.callback = _problem_for_405(pattern.callback)
        # Anything else under /api/v1/ is a 404 problem, not the site's HTML page.
        urls.append(re_path(r"^.*$", route_not_found, name="not-found"))
        return urls


api = PregonAPI(
    title="Pregón API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    # The interactive page loads scripts that the Content-Security-Policy refuses.
    docs_url=None,
)


def problem(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    """Render a problem-details document."""
    body.setdefault("instance", request.path)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    return response


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return problem(request, error.status, error.as_problem())


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for detail in error.errors:
        location = list(detail.get("loc", []))
        # ("body", "payload", "lots", 0, "title") -> "lots.0.title"; ("query", "limit") -> "limit"
        if location[:1] and location[0] in {"body", "form"} and len(location) > 2:
            location = location[2:]
        else:
            location = location[1:]
        name = ".".join(str(part) for part in location) or "__all__"
        errors.setdefault(name, []).append(str(detail.get("msg", "")))
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
    response = problem(
        request,
        401,
        {
            "type": "urn:pregon:error:not_authenticated",
            "title": _("Authentication required"),
            "status": 401,
            # A refused key says why; a missing credential says what to send.
            "detail": error.message
            if error.message != AuthenticationError().message
            else _("Send a valid organization API key as 'Authorization: Bearer <key>'."),
            "code": "not_authenticated",
        },
    )
    response["WWW-Authenticate"] = 'Bearer realm="pregon"'
    return response


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, error: Throttled) -> HttpResponse:
    return problem(
        request,
        429,
        {
            "type": "urn:pregon:error:rate_limited",
            "title": _("Too many requests"),
            "status": 429,
            "detail": _("You sent too many requests; wait a moment and try again."),
            "code": "rate_limited",
        },
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    status = error.status_code
    code, title, detail = f"http_{status}", str(error), str(error)
    if status == 400:
        # ninja raises this when the body is not JSON (or form data) at all.
        code = "malformed_request"
        title = _("The request could not be read")
        detail = _("Send the body as JSON, or as multipart form data for uploads.")
    elif status == 403 and "CSRF" in str(error):
        code = "csrf_failed"
        title = _("You may not do this")
        detail = _("Send the CSRF token (X-CSRFToken header) with a signed-in session.")
    return problem(
        request,
        status,
        {
            "type": f"urn:pregon:error:{code}",
            "title": title,
            "status": status,
            "detail": detail,
            "code": code,
        },
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _not_found(request)


def _not_found(request: HttpRequest) -> HttpResponse:
    detail = _("There is nothing at this address. The API is described at %(url)s.") % {
        "url": reverse("api:openapi-json")
    }
    if not request.path.endswith("/"):
        # Transitions end with a slash (…/actions/publish/); say so rather than only "no".
        try:
            match = resolve(request.path + "/")
        except Resolver404:  # pragma: no cover - the catch-all matches everything
            match = None
        if match is not None and match.url_name != "not-found":
            detail = _("There is nothing at this address; did you mean %(path)s?") % {
                "path": request.path + "/"
            }
    return problem(
        request,
        404,
        {
            "type": "urn:pregon:error:not_found",
            "title": _("Not found"),
            "status": 404,
            "detail": detail,
            "code": "not_found",
        },
    )


@csrf_exempt
def route_not_found(request: HttpRequest) -> HttpResponse:
    """Any address under /api/v1/ that no endpoint serves."""
    return _not_found(request)


def api_index(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """/api/v1/ itself: where the description of the API is."""
    return api.create_response(
        request,
        {
            "title": api.title,
            "version": api.version,
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        },
        status=200,
    )


def _problem_for_405(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn ninja's plain-text "method not allowed" into a problem, keeping `Allow`."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = problem(
                request,
                405,
                {
                    "type": "urn:pregon:error:method_not_allowed",
                    "title": _("Method not allowed"),
                    "status": 405,
                    "detail": _("This address accepts only: %(methods)s.") % {"methods": allowed},
                    "code": "method_not_allowed",
                },
            )
            response["Allow"] = allowed
        return response

    return wrapper


# ---------------------------------------------------------------------------------------------
# classifications (the shared kernel has no router of its own)


classifications_router = Router(tags=["classifications"])


class ClassificationNamesOut(Schema):
    en: str
    es: str
    pt: str
    fr: str


class ClassificationCodeOut(Schema):
    scheme: ClassificationScheme
    code: str
    name: str
    names: ClassificationNamesOut


@classifications_router.get(
    "/classifications/{scheme}",
    response=list[ClassificationCodeOut],
    url_name="classification_list",
    summary="List the top-level codes of a classification scheme",
    **public(errors=(422,)),
)
@paginated
def classification_list(
    request: HttpRequest, scheme: PathParam[ClassificationScheme]
) -> list[dict[str, Any]]:
    """The codes items can be classified under (CPV divisions, UNSPSC segments), with their
    names in English, Spanish, Portuguese and French; `name` is in the request's language.
    Deeper codes of the same groups are accepted on items."""
    return [
        {"scheme": entry.scheme, "code": entry.code, "name": entry.name(), "names": entry.names}
        for entry in classifications.top_level(scheme)
    ]


api.add_router("", tenders_router)
api.add_router("", organizations_router)
api.add_router("", classifications_router)


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document as served at /api/v1/openapi.json, as plain JSON data."""
    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


def openapi_text() -> str:
    """The document as committed in src/pregon/openapi.json (stable, readable diffs)."""
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"
