"""Multi-factor sign-in for everyone who acts for a buyer, where the instance requires it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from pregon.accounts.choices import OFFICIAL_ROLES
from pregon.accounts.models import Membership, User
from pregon.core.errors import PermissionDenied

#: The only pages a person who must set up MFA may still reach, by URL name: signing in and
#: out, confirming the password (allauth asks before a security change) and setting up TOTP,
#: and switching the language. Named routes, never path fragments: a fragment such as
#: "/accounts/" also matches the admin's pages of the accounts app.
ALLOWED_WITHOUT_MFA = frozenset(
    {
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "mfa_activate_totp",
        "set_language",
        "javascript-catalog",
    }
)


def mfa_required(user: User) -> bool:
    """Whether this person must set up MFA before acting (officials without an authenticator)."""
    if not settings.PREGON_REQUIRE_MFA_FOR_OFFICIALS or not user.is_authenticated:
        return False
    if user.mfa_waived and not settings.PRODUCTION:
        return False
    # Staff reach the admin site, which can change anything: they count as officials too.
    if not (
        user.is_staff
        or user.is_superuser
        or Membership.objects.filter(user=user, role__in=OFFICIAL_ROLES).exists()
    ):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireMFAMiddleware:
    """Sends a person who must set up MFA to the set-up page, whatever page they asked for.

    It decides in `process_view`, once the URL is resolved, so that the pages let through are
    named routes. Addresses that resolve to no view answer 404 as they would anyway; static
    files are served before any middleware runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_WITHOUT_MFA:
            return None
        if not request.user.is_authenticated or not mfa_required(request.user):
            return None
        if request.path.startswith("/api/"):
            # An API client cannot follow a redirect to a set-up page; tell it why instead. (API
            # keys carry no session, so they never meet this check; a signed-in session does.)
            error = PermissionDenied(
                _("Set up multi-factor sign-in before acting for a buyer."), code="mfa_required"
            )
            return JsonResponse(
                error.as_problem(instance=request.path),
                status=error.status,
                content_type="application/problem+json",
            )
        return redirect("mfa_activate_totp")
