"""The contracts' pages, mounted under /<lang>/contracts/."""

from django.urls import path

from pregon.contracts import views

app_name = "contracts"
urlpatterns = [
    path("buyer/", views.buyer_home, name="buyer"),
    path("supplier/", views.supplier_home, name="supplier"),
    path("awards/<int:award_pk>/new/", views.contract_new, name="new"),
    path(
        "awards/<int:award_pk>/evidence/<int:doc>/",
        views.award_evidence_document,
        name="evidence_document",
    ),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/manage/", views.contract_manage, name="manage"),
    path("<int:pk>/mine/", views.contract_mine, name="mine"),
    path("<int:pk>/documents/<int:doc>/", views.contract_document, name="document"),
    path("<int:pk>/invoices/<int:number>/file/", views.invoice_file, name="invoice_file"),
]
