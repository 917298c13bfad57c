"""The tender page, its documents and questions. The list at "" is the portal's search,
routed with these by `pregon.web.tender_urls` (search is a layer above tenders)."""

from django.urls import path

from pregon.tenders import views

app_name = "tenders"
urlpatterns = [
    path("<int:pk>/", views.tender_detail, name="detail"),
    path("<int:pk>/ask/", views.tender_ask, name="ask"),
    path("<int:pk>/documents/<int:doc>/", views.tender_document, name="document"),
]
