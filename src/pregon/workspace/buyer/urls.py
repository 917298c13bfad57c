"""The buyer workspace, mounted at /<lang>/buyer/."""

from django.urls import path

from pregon.workspace.buyer.views import (
    api_keys,
    committee,
    documents,
    items,
    lifecycle,
    lots,
    plans,
    questions,
    tenders,
)

app_name = "workspace"
urlpatterns = [
    path("", tenders.home, name="home"),
    path("switch/", tenders.switch, name="switch"),
    path("tenders/new/", tenders.tender_create, name="tender_create"),
    path("tenders/<int:pk>/", tenders.tender_detail, name="tender"),
    path("tenders/<int:pk>/edit/", tenders.tender_edit, name="tender_edit"),
    path("tenders/<int:pk>/lots/add/", lots.lot_add, name="lot_add"),
    path("tenders/<int:pk>/lots/<int:lot_pk>/edit/", lots.lot_edit, name="lot_edit"),
    path("tenders/<int:pk>/lots/<int:lot_pk>/delete/", lots.lot_delete, name="lot_delete"),
    path("tenders/<int:pk>/lots/<int:lot_pk>/items/add/", items.item_add, name="item_add"),
    path("tenders/<int:pk>/items/<int:item_pk>/delete/", items.item_delete, name="item_delete"),
    path("tenders/<int:pk>/documents/add/", documents.document_add, name="document_add"),
    path(
        "tenders/<int:pk>/documents/<int:document_pk>/",
        documents.document_download,
        name="document",
    ),
    path(
        "tenders/<int:pk>/documents/<int:document_pk>/delete/",
        documents.document_delete,
        name="document_delete",
    ),
    path("tenders/<int:pk>/committee/", committee.tender_committee, name="tender_committee"),
    path("tenders/<int:pk>/publish/", lifecycle.tender_publish, name="tender_publish"),
    path("tenders/<int:pk>/amend/", lifecycle.tender_amend, name="tender_amend"),
    path("tenders/<int:pk>/cancel/", lifecycle.tender_cancel, name="tender_cancel"),
    path("tenders/<int:pk>/questions/", questions.questions, name="questions"),
    path(
        "tenders/<int:pk>/questions/<int:question_pk>/answer/",
        questions.question_answer,
        name="question_answer",
    ),
    path("plans/", plans.plans, name="plans"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/publish/", plans.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/lines/add/", plans.line_add, name="plan_line_add"),
    path("plans/<int:pk>/lines/<int:line_pk>/edit/", plans.line_edit, name="plan_line_edit"),
    path("plans/<int:pk>/lines/<int:line_pk>/delete/", plans.line_delete, name="plan_line_delete"),
    path(
        "plans/<int:pk>/lines/<int:line_pk>/withdraw/",
        plans.line_withdraw,
        name="plan_line_withdraw",
    ),
    path("plans/<int:pk>/lines/<int:line_pk>/tender/", plans.line_tender, name="plan_line_tender"),
    path("api-keys/", api_keys.api_keys, name="api_keys"),
    path("api-keys/<int:key_pk>/revoke/", api_keys.api_key_revoke, name="api_key_revoke"),
]
