"""The base classes of every app's admin: a window for platform administrators, never a side door.

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

from pregon.core.errors import DomainError


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
        # `change` by keyword: Django's UserAdmin.get_form takes it only that way.
        form_class = super().get_form(request, obj, change=change, **kwargs)
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
