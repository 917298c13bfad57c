"""The platform administrators' pages, mounted at /<lang>/platform/: verifying the evidence of
suppliers' scales."""

from django.urls import path

from pregon.workspace.platform import views

app_name = "platform"
urlpatterns = [
    path("scales/", views.scales_pending, name="scales"),
    path("scales/<int:pk>/", views.scale_review, name="scale_review"),
    path("scales/<int:pk>/evidence/", views.scale_evidence, name="scale_evidence"),
]
