"""The public portal's shared pages: home, organizations, the sign-in landing, the error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import get_language_from_path
from django.views import defaults

from pregon.accounts.choices import BUYER_WORKSPACE_ROLES, OrganizationKind, Role
from pregon.accounts.http import user_of
from pregon.accounts.models import Membership
from pregon.core.errors import NotFound
from pregon.core.page_cache import page_cached, page_generations_bump
from pregon.evaluation.selectors import complaint_figures_of_buyer
from pregon.organizations.models import Organization
from pregon.organizations.selectors import (
    consortia_of,
    consortium_members,
    organization_countries_public,
    organization_public_get,
    organizations_public,
)
from pregon.publication.models import Record
from pregon.tenders.models import Tender
from pregon.tenders.selectors import TenderFilters, tenders_open, tenders_public
from pregon.web.forms import OrganizationFilterForm

HOME_OPPORTUNITIES = 8
#: How long the home page's opportunities are kept in the site's cache.
HOME_CACHE_SECONDS = 30
BUYER_TENDERS_SHOWN = 20
ORGANIZATIONS_PER_PAGE = 50


@page_cached(seconds=HOME_CACHE_SECONDS)
def home(request: HttpRequest) -> HttpResponse:
    """What Pregón is, the open opportunities closing soonest, and where to start.

    A visitor who is not signed in gets the whole page as kept for `HOME_CACHE_SECONDS`
    (`page_cached`). For everyone else the opportunities are read (the query set is lazy) and
    rendered only when the site's cache has not kept them, per language, for as long (the
    template's `{% cache %}`; they are the same for every visitor). A publication drops both
    (`public_pages_forget`); only "closes in …" may lag the clock by that long.
    """
    return render(
        request,
        "web/home.html",
        {
            "opportunities": tenders_open(limit=HOME_OPPORTUNITIES),
            "cache_seconds": HOME_CACHE_SECONDS,
        },
    )


def public_pages_forget(record: Record) -> None:
    """A record changed (a record observer, registered in `apps.py`): the kept public pages are
    rendered again at their next visit (every list, search and home page, and the process's
    own tender page), and the home page's opportunities are dropped once the publication
    commits. A new, amended or closed tender shows at once."""
    tender = Tender.objects.filter(ocid=record.ocid).values_list("pk", flat=True).first()
    scopes = [f"tender:{tender}"] if tender is not None else []
    keys = [
        make_template_fragment_key("home_opportunities", [code])
        for code, _name in settings.LANGUAGES
    ]
    page_generations_bump(*scopes)

    def committed() -> None:
        page_generations_bump(*scopes)
        cache.delete_many(keys)

    transaction.on_commit(committed)


def organization_list(request: HttpRequest) -> HttpResponse:
    """The directory of buyers, suppliers and oversight bodies, filtered by the GET form."""
    form = OrganizationFilterForm(request.GET, countries_present=organization_countries_public())
    page: Page[Organization] | None = None
    if form.is_valid():
        chosen = form.cleaned_data
        organizations = organizations_public(
            kind=chosen["kind"], country=chosen["country"], scale=chosen["scale"]
        )
        paginator = Paginator(organizations, ORGANIZATIONS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
    return render(request, "web/organizations.html", {"form": form, "page": page})


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An organization's public profile; a buyer's page lists its published tenders."""
    try:
        organization = organization_public_get(pk=pk)
    except NotFound as error:
        raise Http404(str(error.message)) from None
    tenders, tender_count = [], 0
    complaints = None
    if organization.kind == OrganizationKind.BUYER:
        complaints = complaint_figures_of_buyer(buyer=organization)
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
            "complaints": complaints,
            "consortium": getattr(organization, "consortium", None)
            if organization.is_consortium
            else None,
            "consortium_members": consortium_members(organization),
            # The formed consortia a firm belongs to.
            "member_of": [
                consortium
                for consortium in consortia_of(organization=organization)
                if consortium.may_bid and consortium.organization_id != organization.pk
            ]
            if organization.kind == OrganizationKind.SUPPLIER and not organization.is_consortium
            else [],
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


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page (handler404), in the visitor's language.

    An address under a language code the platform spells otherwise (`/pt/…`, `/es-mx/…`,
    `/FR/…`) leads to the same address under the code it uses (`/pt-br/…`, `/es/…`, `/fr/…`).
    """
    target = _language_code_corrected(request.path_info)
    if target is not None:
        script_prefix = request.path.removesuffix(request.path_info)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(f"{script_prefix}{target}" + (f"?{query}" if query else ""))
    return defaults.page_not_found(request, exception)


def _language_code_corrected(path: str) -> str | None:
    """``path`` under the platform's own spelling of its language code, or None if it has it."""
    first = path.split("/")[1]
    code = get_language_from_path(path)
    if code is None:
        return None
    code = code.lower()  # Django matches /PT-BR/ to its pt-br but answers in the path's case
    if first == code:
        return None
    return f"/{code}{path[len(first) + 1 :] or '/'}"
