"""The Django admin: a window for platform administrators, never a side door.

Whatever the admin may change goes through the same service as the pages and the API (with
its permission check and audit row); what has no service here (tenders, the audit log) is
read-only. `ServiceAdmin` turns a refused action into an error on the form, with nothing
written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

from pregon.accounts.choices import Role
from pregon.accounts.models import Membership
from pregon.core.actor import Actor
from pregon.core.errors import DomainError
from pregon.core.models import AuditEvent
from pregon.core.request import client_ip
from pregon.organizations.choices import OrganizationKind


def admin_actor(request: HttpRequest) -> Actor:
    """The person using the admin, acting for the platform operator when they administer it."""
    membership = (
        Membership.objects.filter(
            user=request.user,  # type: ignore[misc]
            role=Role.ADMINISTRATOR,
            organization__kind=OrganizationKind.OPERATOR,
        )
        .select_related("organization")
        .first()
    )
    return Actor(
        user=request.user,  # type: ignore[arg-type]
        organization=membership.organization if membership else None,
        ip_address=client_ip(request),
        channel="admin",
    )


class _Refused(Exception):
    def __init__(self, error: DomainError) -> None:
        super().__init__(str(error))
        self.error = error


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose `save_model` calls a service.

    Subclasses implement `save_with_service`, which may raise a DomainError. The admin wraps
    each save in a transaction; on refusal that transaction is rolled back and the same POST
    is shown again with the service's message on the field it concerns (or on the form).
    """

    def save_with_service(
        self, request: HttpRequest, obj: Any, form: ModelForm, change: bool
    ) -> Model:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        try:
            saved = self.save_with_service(request, obj, form, change)
        except DomainError as error:
            raise _Refused(error) from error
        # The admin goes on to log and redirect with `obj`: make it the saved row.
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        form_class = super().get_form(request, obj, change, **kwargs)
        found: DomainError | None = getattr(request, "_pregon_refusal", None)
        if found is None:
            return form_class
        refusal = found

        class RefusedForm(form_class):  # type: ignore[valid-type,misc]
            def clean(self) -> dict[str, Any]:
                cleaned = super().clean()
                field = refusal.field if refusal.field in self.fields else None
                self.add_error(field, str(refusal.message))
                return cleaned

        return RefusedForm

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            # The admin's transaction rolled back. Show the form again, with the reason.
            request._pregon_refusal = refused.error  # type: ignore[attr-defined]
            return super().changeform_view(request, object_id, form_url, extra_context)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to administrators, changed only where the domain changes it (its services)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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


class ReadOnlyTabularInline(admin.TabularInline):
    """Rows shown beside their parent, changed only through services."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
