"""Multi-factor sign-in for everyone who acts for a buyer, where the instance requires it."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from pregon.accounts.choices import OFFICIAL_ROLES
from pregon.accounts.models import Membership, User
from pregon.core.errors import PermissionDenied

# Paths a person without MFA may still reach: setting it up, signing out, static files.
# The API is not among them: a signed-in session reaches it too (API keys carry no session,
# so they never meet this check).
_ALLOWED_PREFIXES = ("/static/", "/media/", "/favicon")
_ALLOWED_PARTS = ("/accounts/", "/i18n/")


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
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if (
            request.user.is_authenticated
            and not path.startswith(_ALLOWED_PREFIXES)
            and not any(part in path for part in _ALLOWED_PARTS)
            and mfa_required(request.user)
        ):
            if path.startswith("/api/"):
                # An API client cannot follow a redirect to a set-up page; tell it why instead.
                error = PermissionDenied(
                    _("Set up multi-factor sign-in before acting for a buyer."), code="mfa_required"
                )
                return JsonResponse(
                    error.as_problem(instance=path),
                    status=error.status,
                    content_type="application/problem+json",
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
