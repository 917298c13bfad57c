"""The audit log's pages, mounted at /<lang>/audit/."""

from django.urls import path

from pregon.core import views

app_name = "core"
urlpatterns = [
    path("", views.audit, name="audit"),
    path("export.csv", views.audit_export, name="audit_export"),
]
