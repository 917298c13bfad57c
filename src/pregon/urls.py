"""URLs. Pages live under a language prefix (/es/, /pt/, ...); the API and data do not."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import JavaScriptCatalog, set_language

from pregon.api import api
from pregon.core.problems import route_not_found

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("api/ocds/", include("pregon.publication.api_urls")),
    # Any other address under /api/ answers a 404 problem (JSON), never the HTML page.
    re_path(r"^api/", route_not_found, name="api-not-found"),
    path("data/", include("pregon.publication.urls")),
    path("log/", include("pregon.ledger.urls")),
    # Choosing a language needs no CSRF token (ADR 0021): the switcher on every page has none,
    # so the public pages are the same for every visitor and can be kept whole.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
]

urlpatterns += i18n_patterns(
    path("", include("pregon.web.urls")),
    path("tenders/", include("pregon.web.tender_urls")),
    path("tenders/", include("pregon.bids.urls_opening")),
    path("tenders/", include("pregon.evaluation.urls")),
    path("rules/", include("pregon.tenders.rule_urls")),
    path("plans/", include("pregon.planning.urls")),
    path("alerts/", include("pregon.alerts.urls")),
    path("contracts/", include("pregon.contracts.urls")),
    path("quotes/", include("pregon.quotes.urls")),
    path("subcontracting/", include("pregon.subcontracting.urls")),
    path("suppliers/", include("pregon.catalogue.urls")),
    path("figures/", include("pregon.figures.urls")),
    path("buyer/", include("pregon.workspace.buyer.urls")),
    path("supplier/", include("pregon.workspace.supplier.urls")),
    path("committee/", include("pregon.workspace.committee.urls")),
    path("platform/", include("pregon.workspace.platform.urls")),
    path("organizations/", include("pregon.web.organization_urls")),
    path("audit/", include("pregon.audit.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    prefix_default_language=True,
)

# The project's 404 page, which also leads /pt/… to /pt-br/… (and other spellings of a language).
handler404 = "pregon.web.views.page_not_found"

# Uploaded documents are never served from MEDIA_ROOT, not even with DEBUG on: a draft's
# documents are private, and their stored names (content hashes) are no secret. They are served
# only by the views that check who may read them.
