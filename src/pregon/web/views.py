"""The public portal's shared pages: home, organizations, the sign-in landing, the 429 page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pregon.accounts.choices import BUYER_WORKSPACE_ROLES, OrganizationKind, Role
from pregon.accounts.http import user_of
from pregon.accounts.models import Membership
from pregon.core.errors import NotFound
from pregon.organizations.selectors import organization_public_get
from pregon.tenders.selectors import TenderFilters, tenders_open, tenders_public

HOME_OPPORTUNITIES = 8
BUYER_TENDERS_SHOWN = 20


def home(request: HttpRequest) -> HttpResponse:
    """What Pregón is, the open opportunities closing soonest, and where to start."""
    return render(
        request,
        "web/home.html",
        {"opportunities": list(tenders_open(limit=HOME_OPPORTUNITIES))},
    )


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An organization's public profile; a buyer's page lists its published tenders."""
    try:
        organization = organization_public_get(pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    tenders, tender_count = [], 0
    if organization.kind == OrganizationKind.BUYER:
        published = tenders_public(filters=TenderFilters(buyer=organization.pk, order="newest"))
        tenders = list(published[:BUYER_TENDERS_SHOWN])
        tender_count = len(tenders) if len(tenders) < BUYER_TENDERS_SHOWN else published.count()
    return render(
        request,
        "web/organization.html",
        {
            "organization": organization,
            "is_buyer": organization.kind == OrganizationKind.BUYER,
            "is_supplier": organization.kind == OrganizationKind.SUPPLIER,
            "tenders": tenders,
            "tender_count": tender_count,
        },
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send a signed-in person to the workspace of their role."""
    user = user_of(request)
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    if roles & BUYER_WORKSPACE_ROLES:
        return redirect("workspace:home")
    if Role.SUPPLIER_USER in roles:
        return redirect("supplier:home")
    if Role.AUDITOR in roles:
        return redirect("audit:audit")
    return redirect("web:home")


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Too many requests (django-ratelimit's RATELIMIT_VIEW): a translated 429 page."""
    return render(request, "429.html", status=429)
