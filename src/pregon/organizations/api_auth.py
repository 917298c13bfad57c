"""Who calls the JSON API, what they may do there, and how often.

Actions need either an organization API key (`Authorization: Bearer pk_<prefix>_<secret>`)
whose scopes are checked per endpoint, or a signed-in session with its CSRF token. Both become
an `Actor` with channel "api" acting for one organization: the key's, or the signed-in
person's. The services then check roles and states exactly as for the pages.

Endpoints declare what they need with `acting(scope, ...)` (actions) or `public(...)` (open
reads); both also document the problem responses the endpoint can give in the OpenAPI document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from pregon.accounts.middleware import mfa_required
from pregon.accounts.models import User
from pregon.accounts.permissions import roles_in
from pregon.core.actor import Actor
from pregon.core.errors import NotFound, PermissionDenied
from pregon.core.problems import PROBLEM_MEDIA_TYPE
from pregon.core.request import client_ip
from pregon.organizations.choices import ApiScope
from pregon.organizations.models import Organization
from pregon.organizations.services import api_key_authenticate

# Names the organization a signed-in person acts for, when they belong to several.
ORGANIZATION_HEADER = "X-Pregon-Organization"
# An organization's id as the header may name it: ASCII digits (str.isdigit also takes "²"),
# few enough to fit a database integer.
_ORGANIZATION_ID = re.compile(r"[0-9]{1,18}")
# Extension keys in the OpenAPI document, read back when the document is assembled (api.py).
SCOPE_EXTENSION = "x-pregon-scope"


class InvalidCredentials(AuthenticationError):
    """A credential was presented and refused (malformed, unknown, revoked or expired key)."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=401, message=message)


class OrganizationApiKey(HttpBearer):
    """An organization API key in the `Authorization: Bearer` header, holding `scope`."""

    def __init__(self, scope: ApiScope | None = None) -> None:
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Actor:
        """The actor for a valid key; 401 for a bad key, 403 for a key without the scope."""
        try:
            key = api_key_authenticate(token)
        except NotFound as error:
            raise InvalidCredentials(str(error.message)) from None
        if self.scope is not None and not key.has_scope(self.scope):
            raise PermissionDenied(
                _("This API key does not have the scope %(scope)s needed here.")
                % {"scope": self.scope.value},
                code="insufficient_scope",
            )
        return Actor(
            user=None,
            organization=key.organization,
            api_key=key,
            channel="api",
            ip_address=client_ip(request),
        )


class SignedInSession(SessionAuth):
    """The session of a person signed in to the site; unsafe methods need the CSRF token."""

    def __call__(self, request: HttpRequest) -> Actor | None:
        # Anonymous callers are told to authenticate (401), not that a CSRF token is missing.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        """The actor for the signed-in person, acting for their organization."""
        user = request.user
        if not isinstance(user, User) or not user.is_active:
            return None
        if mfa_required(user):
            raise PermissionDenied(
                _("Set up multi-factor sign-in before acting for your organization."),
                code="mfa_required",
            )
        return Actor(
            user=user,
            organization=acting_organization(request, user),
            channel="api",
            ip_address=client_ip(request),
        )


def acting_organization(request: HttpRequest, user: User) -> Organization | None:
    """The organization a signed-in person acts for through the API.

    Their only organization, or the one named in the X-Pregon-Organization header when they
    belong to several. None when they belong to none (services then refuse what needs one).
    """
    memberships = Organization.objects.filter(memberships__user=user).distinct().order_by("pk")
    wanted = request.headers.get(ORGANIZATION_HEADER, "").strip()
    if wanted:
        organization = (
            memberships.filter(pk=int(wanted)).first()
            if _ORGANIZATION_ID.fullmatch(wanted)
            else None
        )
        if organization is None:
            raise PermissionDenied(
                _("You are not a member of the organization named in %(header)s.")
                % {"header": ORGANIZATION_HEADER},
                code="not_a_member",
            )
        return organization
    candidates = list(memberships[:2])
    if len(candidates) > 1:
        raise PermissionDenied(
            _(
                "You belong to several organizations; name the one you act for in the "
                "%(header)s header."
            )
            % {"header": ORGANIZATION_HEADER},
            code="organization_ambiguous",
        )
    return candidates[0] if candidates else None


def actor_of(request: HttpRequest) -> Actor:
    """The actor the authentication of this request produced."""
    actor = getattr(request, "auth", None)
    if not isinstance(actor, Actor):  # pragma: no cover - only reachable on a mis-declared route
        raise PermissionDenied(_("Sign in to do this."))
    return actor


def acting_for(actor: Actor) -> Organization:
    """The organization the actor acts for, or a refusal when there is none."""
    if actor.organization is None:
        raise PermissionDenied(
            _("Your account does not act for any organization."), code="no_organization"
        )
    return actor.organization


def require_reader(actor: Actor, organization: Organization, roles: Iterable[str]) -> None:
    """Refuse a signed-in person without one of `roles` (an API key's scope already decided)."""
    if actor.api_key is not None:
        return
    if not roles_in(actor.user, organization) & set(roles):
        raise PermissionDenied(_("Your role in this organization does not allow this action."))


class WriteThrottle(SimpleRateThrottle):
    """At most the rate in `settings.<setting>` (e.g. "60/m") per API key or signed-in person.

    With `per_organization`, the count is shared by every key and member of an organization,
    so that adding keys does not raise the limit (clarification questions).
    """

    def __init__(self, setting: str, *, per_organization: bool = False) -> None:
        self.setting = setting
        self.scope = setting.lower()
        self.per_organization = per_organization
        # The rate is read per request (see allow_request), so that settings can change.
        self.rate = None
        self.num_requests, self.duration = None, None

    def allow_request(self, request: HttpRequest) -> bool:
        """Count this request against the caller's budget; False when it is spent."""
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        """One budget per key (or person, or organization), else per address."""
        actor = getattr(request, "auth", None)
        ident = f"ip:{client_ip(request)}"
        if isinstance(actor, Actor):
            if self.per_organization and actor.organization is not None:
                ident = f"org:{actor.organization.pk}"
            elif actor.api_key is not None:
                ident = f"key:{actor.api_key.prefix}"
            elif actor.user is not None:
                ident = f"user:{actor.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


def _responses(statuses: Iterable[int]) -> dict[str, Any]:
    return {
        "responses": {
            status: {
                "description": HTTPStatus(status).phrase,
                "content": {
                    PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            }
            for status in sorted(set(statuses))
        }
    }


def public(*, errors: Iterable[int] = (), extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Keyword arguments of an open read endpoint: no authentication, its problem responses.

    `extra` adds to the operation's OpenAPI description (e.g. a binary success response).
    """
    openapi = _responses(errors)
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(openapi.get(key), dict):
            openapi[key] = {**value, **openapi[key]}
        else:
            openapi[key] = value
    return {"auth": None, "openapi_extra": openapi}


def acting(
    scope: ApiScope,
    *,
    errors: Iterable[int] = (),
    write: bool = True,
    throttles: Iterable[SimpleRateThrottle] = (),
) -> dict[str, Any]:
    """Keyword arguments of an endpoint that acts for an organization.

    An API key must hold `scope`; a signed-in session acts within its roles. Writes count
    against the caller's write budget (PREGON_API_WRITE_RATE); a spent budget answers 429.
    """
    statuses = {401, 403, *errors}
    throttle = list(throttles)
    if write:
        throttle.insert(0, WriteThrottle("PREGON_API_WRITE_RATE"))
        statuses |= {400, 429}
    extra = _responses(statuses)
    extra[SCOPE_EXTENSION] = scope.value
    return {
        "auth": [OrganizationApiKey(scope), SignedInSession()],
        "throttle": throttle,
        "openapi_extra": extra,
    }
