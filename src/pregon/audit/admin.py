"""The audit log in the Django admin: read-only, like everywhere else."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pregon.core.admin_base import ReadOnlyAdmin
from pregon.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log is append-only: no one adds, edits or deletes a row, here or anywhere."""

    list_display = (
        "created_at",
        "actor_label",
        "organization",
        "action",
        "object_type",
        "object_repr",
        "channel",
        "ip_address",
    )
    list_filter = ("action", "channel", "object_type", "created_at")
    search_fields = ("actor_label", "action", "object_repr", "object_id", "ip_address")
    date_hierarchy = "created_at"
    list_select_related = ("organization",)
    readonly_fields = tuple(field.name for field in AuditEvent._meta.fields)
    show_full_result_count = False
    ordering = ("-created_at", "-id")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("organization", "actor")
