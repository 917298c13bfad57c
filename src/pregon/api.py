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

from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, re_path, reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Router, Schema
from ninja import Path as PathParam
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser

from pregon.alerts.api import router as alerts_router
from pregon.bids.api import router as bids_router
from pregon.bids.api_opening import router as opening_router
from pregon.catalogue.api import router as catalogue_router
from pregon.contracts.api import router as contracts_router
from pregon.core import classifications, uploads
from pregon.core.api_pagination import paginated
from pregon.core.errors import DomainError, PermissionDenied, RateLimited, ValidationFailed
from pregon.core.problems import (
    PROBLEM_MEDIA_TYPE,
    HttpProblem,
    MalformedRequest,
    NotAuthenticated,
    UnsupportedMediaType,
    catch_all,
    method_not_allowed,
    not_found,
    preflight,
    problem_response,
    public_read,
    with_cors,
)
from pregon.evaluation.api import router as evaluation_router
from pregon.figures.api import router as figures_router
from pregon.organizations.api import router as organizations_router
from pregon.organizations.api_auth import (
    ORGANIZATION_HEADER,
    SCOPE_EXTENSION,
    OrganizationApiKey,
    SignedInSession,
    public,
)
from pregon.planning.api import router as planning_router
from pregon.quotes.api import router as quotes_router
from pregon.search.api import router as search_router
from pregon.subcontracting.api import router as subcontracting_router
from pregon.tenders.api import router as tenders_router
from pregon.tenders.choices import ClassificationScheme

SNAPSHOT = Path(__file__).parent / "openapi.json"

DESCRIPTION = f"""\
Public procurement data and actions of a Pregón instance.

**Reading** tenders, questions, organizations and classifications needs no key.

**Acting** (drafting, publishing, amending and cancelling tenders, asking and answering
questions, submitting sealed bids) needs either an organization API key, sent as `Authorization: Bearer
pk_<prefix>_<secret>` and holding the scope each operation names, or a signed-in session with
its CSRF token (`X-CSRFToken`). A person who belongs to several organizations names the one
they act for in the `{ORGANIZATION_HEADER}` header.

**Lists** answer `{{"count": N, "items": [...]}}` and take `limit` (1 to 100, default 20) and
`offset`.

**Errors** are RFC 7807 problem details (`application/problem+json`) with `type`, `title`,
`status`, `detail`, a stable `code`, the `instance` path and, for invalid input, `errors` by
field. Messages follow `Accept-Language` (en, es, pt, fr). A body over the size limit answers
413 (uploads: the platform's file limit), a body in another format than the operation reads 415.

**Public reads** (every `GET` that needs no key, and this document) may be fetched from any web
page: they answer CORS requests and preflights, without credentials.

The same description, readable by people, is at `/api/v1/docs`.
"""

TAGS = [
    {"name": "tenders", "description": "Published tenders, their documents and questions."},
    {
        "name": "buyer",
        "description": "A buyer's own tenders: drafting, documents, transitions, answers.",
    },
    {"name": "questions", "description": "Clarification questions and their public answers."},
    {
        "name": "bids",
        "description": "Sealed bids: encrypted uploads, submission, replacement, withdrawal, "
        "signed receipts, and the platform's time.",
    },
    {"name": "organizations", "description": "The directory of buyers and suppliers."},
    {"name": "classifications", "description": "CPV and UNSPSC codes with their names."},
    {"name": "search", "description": "Full-text search with facets, and saved searches."},
    {
        "name": "plans",
        "description": "Published procurement plans and their lines coming soon.",
    },
    {
        "name": "suppliers",
        "description": "The supplier search by code, region, size and characteristics, and "
        "each supplier's catalogue.",
    },
    {
        "name": "figures",
        "description": "MSME participation: shares of contracts, value and bids by supplier "
        "size, and days to pay.",
    },
    {
        "name": "alerts",
        "description": "Subscriptions to new, amended and cancelled tenders; signed webhooks "
        "and their delivery log.",
    },
    {
        "name": "quick quotes",
        "description": "Small purchases quoted within days (Compra Ágil, dispensa, "
        "micro-purchase), and a supplier's quote.",
    },
    {
        "name": "subcontracting",
        "description": "Sub-opportunities: part of a tender's or a contract's work offered to "
        "other firms, and a supplier's answer.",
    },
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


_FORM_MEDIA_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


class StrictParser(Parser):
    """Ninja's parser, refusing a body sent in another format than the operation reads (415).

    Without this, a JSON body sent as `text/plain` (or anything else) is read as JSON.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        """The JSON body, when the request says it is JSON."""
        if not _is_json(request.content_type or ""):
            raise UnsupportedMediaType(
                _("Send the body as JSON, with the header Content-Type: application/json.")
            )
        return super().parse_body(request)

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        """Query parameters, or form fields and files when the request is a form."""
        if (
            data is not request.GET
            and request.content_type not in _FORM_MEDIA_TYPES
            # No body at all is not a body in the wrong format: the fields are missing (422).
            and request.META.get("CONTENT_LENGTH") not in {None, "", "0"}
        ):
            raise UnsupportedMediaType(
                _("Send this request as multipart form data (Content-Type: multipart/form-data).")
            )
        return super().parse_querydict(data, list_fields, request)


class PlatformDocs(DocsBase):
    """Swagger UI served from the platform's own static files (installed from npm and copied
    by scripts/copy_assets.py), started by a script of ours: nothing inline, nothing from
    another address, so the Content-Security-Policy holds."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        """The documentation page."""
        context = {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/docs.html", context)


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
                if "requestBody" in operation:
                    # Any operation that reads a body refuses one too large or in another format.
                    responses = {**operation["responses"], **_BODY_PROBLEMS}
                    operation["responses"] = dict(
                        sorted(responses.items(), key=lambda item: int(item[0]))
                    )
        return schema

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        urls = super()._get_urls()
        path_views = {
            operation.url_name: path_view
            for bound_router in self._get_bound_routers()
            for path_view in bound_router.path_operations.values()
            for operation in path_view.operations
        }
        for pattern in urls:
            if not isinstance(pattern, URLPattern):  # pragma: no cover - ninja adds none
                continue
            if pattern.name == "api-root":
                pattern.callback = public_read(api_index)
            elif pattern.name == "openapi-json":
                pattern.callback = public_read(pattern.callback)
            elif pattern.name == "openapi-view":
                pattern.callback = _edge(require_safe(pattern.callback), public=False)
            elif pattern.name in path_views:
                operations = path_views[pattern.name].operations
                public = any("GET" in op.methods and not op.auth_callbacks for op in operations)
                pattern.callback = _edge(pattern.callback, public=public)
        # Anything else under /api/v1/ is a 404 problem, not the site's HTML page.
        urls.append(re_path(r"^.*$", route_not_found, name="not-found"))
        return urls


api = PregonAPI(
    title="Pregón API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    parser=StrictParser(),
    docs=PlatformDocs(),
    docs_url="/docs",
)

# Named as RFC 9110 names them (Python's HTTPStatus phrases differ from one version to another).
_BODY_PROBLEMS = {
    status: {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for status, description in ((413, "Content Too Large"), (415, "Unsupported Media Type"))
}


def _edge(view: Callable[..., Any], *, public: bool) -> Callable[..., Any]:
    """What every address of the API does around ninja's view.

    A body over the size limit is refused before it is read, and an upload stops being read
    as soon as it passes the limit (413); a method the address does not take is a problem
    that keeps `Allow`; an address whose GET is public answers CORS, preflights and HEAD as
    the other public reads do.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if public and request.method == "OPTIONS":
            return preflight()
        if (too_large := uploads.request_too_large(request)) is not None:
            return problem_response(request, too_large)
        uploads.limit_uploads(request)
        if public and request.method == "HEAD":
            # As Django's own views do: the server sends the headers of the GET, no body.
            request.method = "GET"
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = [m.strip() for m in response["Allow"].split(",")]
            if public:
                allowed = [*allowed, "HEAD", "OPTIONS"]
            response = method_not_allowed(request, sorted(allowed))
        if public and request.method == "GET":
            with_cors(response)
        return response

    return wrapper


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return problem_response(request, error)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for detail in error.errors:
        location = list(detail.get("loc", []))
        message = str(detail.get("msg", ""))
        if location[:1] == ["body"] and len(location) == 2:
            # ("body", "payload"): the body as a whole; its parameter name means nothing outside.
            name = "body"
            if detail.get("type") == "missing":
                message = _("The request has no body; send a JSON object.")
        else:
            # ("body", "payload", "lots", 0, "title") -> "lots.0.title"; ("query", "limit") ->
            # "limit"
            if location[:1] and location[0] in {"body", "form"} and len(location) > 2:
                location = location[2:]
            else:
                location = location[1:]
            name = ".".join(str(part) for part in location) or "__all__"
        errors.setdefault(name, []).append(message)
    failure = ValidationFailed(
        _("The request body or parameters do not match the schema."), errors=errors
    )
    return problem_response(request, failure)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    # A refused key says why; a missing credential says what to send.
    detail = (
        error.message
        if error.message != AuthenticationError().message
        else _("Send a valid organization API key as 'Authorization: Bearer <key>'.")
    )
    return problem_response(
        request,
        NotAuthenticated(detail),
        headers={"WWW-Authenticate": 'Bearer realm="pregon"'},
    )


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, error: Throttled) -> HttpResponse:
    # ninja adds Retry-After to what this returns.
    return problem_response(
        request, RateLimited(_("You sent too many requests; wait a moment and try again."))
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    status = error.status_code
    refusal: DomainError
    if isinstance(error.__cause__, DomainError):
        # Raised by StrictParser, which ninja wraps in a 400 "cannot parse".
        refusal = error.__cause__
    elif status == 400:
        # ninja raises this when the body is not JSON (or form data) at all.
        refusal = MalformedRequest(
            _("Send the body as JSON, or as multipart form data for uploads.")
        )
    elif status == 403 and "CSRF" in str(error):
        refusal = PermissionDenied(
            _("Send the CSRF token (X-CSRFToken header) with a signed-in session."),
            code="csrf_failed",
        )
    else:
        refusal = HttpProblem(status, str(error))
    return problem_response(request, refusal)


@api.exception_handler(RequestDataTooBig)
def on_body_too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    return problem_response(request, uploads.body_too_large())


@api.exception_handler(BadRequest)
@api.exception_handler(MultiPartParserError)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def on_unreadable_body(request: HttpRequest, error: Exception) -> HttpResponse:
    return problem_response(
        request,
        MalformedRequest(
            _(
                "The form data could not be read. Send it as multipart form data, "
                "as an HTTP library or a browser writes it."
            )
        ),
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _not_found(request)


def _not_found(request: HttpRequest) -> HttpResponse:
    return not_found(
        request,
        detail=_("There is nothing at this address. The API is described at %(url)s.")
        % {"url": reverse("api:openapi-json")},
    )


@catch_all
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
            "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        },
        status=200,
    )


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
api.add_router("", bids_router)
api.add_router("", opening_router)
api.add_router("", evaluation_router)
api.add_router("", contracts_router)
api.add_router("", organizations_router)
api.add_router("", classifications_router)
api.add_router("", search_router)
api.add_router("", alerts_router)
api.add_router("", planning_router)
api.add_router("", figures_router)
api.add_router("", catalogue_router)
api.add_router("", quotes_router)
api.add_router("", subcontracting_router)


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document as served at /api/v1/openapi.json, as plain JSON data."""
    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


def openapi_text() -> str:
    """The document as committed in src/pregon/openapi.json (stable, readable diffs)."""
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"
