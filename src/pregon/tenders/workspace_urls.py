"""The buyer workspace, mounted at /<lang>/buyer/."""

from django.urls import path

from pregon.tenders import workspace_views as views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("switch/", views.switch, name="switch"),
    path("tenders/new/", views.tender_create, name="tender_create"),
    path("tenders/<int:pk>/", views.tender_detail, name="tender"),
    path("tenders/<int:pk>/edit/", views.tender_edit, name="tender_edit"),
    path("tenders/<int:pk>/lots/add/", views.lot_add, name="lot_add"),
    path("tenders/<int:pk>/lots/<int:lot_pk>/edit/", views.lot_edit, name="lot_edit"),
    path("tenders/<int:pk>/lots/<int:lot_pk>/delete/", views.lot_delete, name="lot_delete"),
    path("tenders/<int:pk>/lots/<int:lot_pk>/items/add/", views.item_add, name="item_add"),
    path("tenders/<int:pk>/items/<int:item_pk>/delete/", views.item_delete, name="item_delete"),
    path("tenders/<int:pk>/documents/add/", views.document_add, name="document_add"),
    path(
        "tenders/<int:pk>/documents/<int:document_pk>/",
        views.document_download,
        name="document",
    ),
    path(
        "tenders/<int:pk>/documents/<int:document_pk>/delete/",
        views.document_delete,
        name="document_delete",
    ),
    path("tenders/<int:pk>/publish/", views.tender_publish, name="tender_publish"),
    path("tenders/<int:pk>/amend/", views.tender_amend, name="tender_amend"),
    path("tenders/<int:pk>/cancel/", views.tender_cancel, name="tender_cancel"),
    path("tenders/<int:pk>/questions/", views.questions, name="questions"),
    path(
        "tenders/<int:pk>/questions/<int:question_pk>/answer/",
        views.question_answer,
        name="question_answer",
    ),
    path("api-keys/", views.api_keys, name="api_keys"),
    path("api-keys/<int:key_pk>/revoke/", views.api_key_revoke, name="api_key_revoke"),
]
