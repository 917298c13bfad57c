"""URLs. Pages live under a language prefix (/es/, /pt/, ...); the API and data do not."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import JavaScriptCatalog

from pregon.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("api/ocds/", include("pregon.publication.api_urls")),
    path("data/", include("pregon.publication.urls")),
    path("log/", include("pregon.ledger.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", include("pregon.web.urls")),
    path("tenders/", include("pregon.tenders.urls")),
    path("buyer/", include("pregon.workspace.buyer.urls")),
    path("supplier/", include("pregon.workspace.supplier.urls")),
    path("organizations/", include("pregon.web.organization_urls")),
    path("audit/", include("pregon.audit.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
