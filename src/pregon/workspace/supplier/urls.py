"""The supplier workspace, mounted at /<lang>/supplier/."""

from django.urls import path

from pregon.workspace.supplier import awards, bids, consortia, documents, views

app_name = "supplier"
urlpatterns = [
    path("", views.home, name="home"),
    path("switch/", views.switch, name="switch"),
    path("profile/", views.profile, name="profile"),
    path("documents/", documents.documents, name="documents"),
    path("documents/scale/", documents.scale_declare, name="scale_declare"),
    path("documents/upload/", documents.document_upload, name="document_upload"),
    path("documents/<int:pk>/file/", documents.document_file, name="document_file"),
    path("documents/<int:pk>/remove/", documents.document_remove, name="document_remove"),
    path("consortia/", consortia.consortia, name="consortia"),
    path("consortia/new/", consortia.consortium_new, name="consortium_new"),
    path(
        "consortia/invitations/<int:pk>/accept/",
        consortia.invitation_answer,
        {"accept": True},
        name="consortium_accept",
    ),
    path(
        "consortia/invitations/<int:pk>/decline/",
        consortia.invitation_answer,
        {"accept": False},
        name="consortium_decline",
    ),
    path("consortia/<int:pk>/cancel/", consortia.consortium_cancel_view, name="consortium_cancel"),
    path("api-keys/", views.api_keys, name="api_keys"),
    path("api-keys/<int:key_pk>/revoke/", views.api_key_revoke, name="api_key_revoke"),
    path("bids/", bids.bids_list, name="bids"),
    path("bids/<uuid:bid_id>/", bids.bid_receipt, name="bid_receipt"),
    path("bids/<uuid:bid_id>/receipt.json", bids.bid_receipt_download, name="bid_receipt_file"),
    path(
        "bids/<uuid:bid_id>/withdrawal-receipt.json",
        bids.bid_receipt_download,
        {"withdrawal": True},
        name="bid_withdrawal_receipt_file",
    ),
    path("bids/<uuid:bid_id>/withdraw/", bids.bid_withdraw, name="bid_withdraw"),
    path("tenders/<int:pk>/bid/", bids.bid_page, name="bid"),
    path("awards/", awards.award_notices, name="awards"),
]
