"""The public portal's shared pages: home, the sign-in landing, and the 429 page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pregon.accounts.choices import Role
from pregon.accounts.models import Membership
from pregon.tenders.selectors import tenders_open
from pregon.web.workspace import user_of

HOME_OPPORTUNITIES = 8


def home(request: HttpRequest) -> HttpResponse:
    """What Pregón is, the open opportunities closing soonest, and where to start."""
    return render(
        request,
        "web/home.html",
        {"opportunities": list(tenders_open(limit=HOME_OPPORTUNITIES))},
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send a signed-in person to the workspace of their role."""
    user = user_of(request)
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    if roles & {Role.BUYER_OFFICIAL, Role.COMMITTEE_MEMBER}:
        return redirect("workspace:home")
    if Role.SUPPLIER_USER in roles:
        return redirect("supplier:home")
    if Role.AUDITOR in roles:
        return redirect("core:audit")
    return redirect("web:home")


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Too many requests (django-ratelimit's RATELIMIT_VIEW): a translated 429 page."""
    return render(request, "429.html", status=429)
