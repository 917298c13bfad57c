"""Organizations in the admin. New ones are registered through `organization_create`.

Profiles are then kept by their own members in the workspace (`organization_update`), so the
admin shows an existing organization without editing it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.db.models.fields import Field
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pregon.accounts.choices import OrganizationKind
from pregon.accounts.http import admin_actor
from pregon.accounts.models import Membership
from pregon.accounts.permissions import is_platform_admin
from pregon.core.admin_base import ReadOnlyAdmin, ReadOnlyTabularInline, ServiceAdmin
from pregon.core.time_zones import zone_choices
from pregon.organizations.models import ApiKey, Organization
from pregon.organizations.services import OrganizationData, organization_create

# Suppliers register themselves (with their first user); the admin registers everyone else.
_ADMIN_KINDS = (OrganizationKind.BUYER, OrganizationKind.OVERSIGHT, OrganizationKind.OPERATOR)
_ADD_FIELDS = (
    "kind",
    "identifier_scheme",
    "identifier_id",
    "legal_name",
    "name",
    "buyer_type",
    "street_address",
    "locality",
    "region",
    "postal_code",
    "country",
    "time_zone",
    "email",
    "telephone",
    "website",
    "description",
)


class MembershipInline(ReadOnlyTabularInline):
    model = Membership
    fk_name = "organization"
    fields = ("user", "role", "created_at")
    readonly_fields = fields
    verbose_name_plural = _("people (grant and revoke roles under Memberships)")


class ApiKeyInline(ReadOnlyTabularInline):
    model = ApiKey
    fields = ("name", "prefix", "scopes", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields


@admin.register(Organization)
class OrganizationAdmin(ServiceAdmin):
    list_display = (
        "legal_name",
        "name",
        "kind",
        "party_id",
        "country",
        "scale",
        "is_cooperative",
        "created_at",
    )
    list_filter = (
        "kind",
        "country",
        "buyer_type",
        "scale",
        "is_cooperative",
        "women_owned",
        "indigenous_owned",
        "is_local",
    )
    search_fields = ("legal_name", "name", "identifier_id", "email", "locality", "region")
    date_hierarchy = "created_at"
    inlines = (MembershipInline, ApiKeyInline)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return _ADD_FIELDS
        return super().get_fields(request, obj)

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return self.inlines if obj is not None else ()

    def formfield_for_dbfield(self, db_field: Field, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "time_zone":
            # A list rather than a free text box: the zones of the Americas and of the other
            # countries served, empty for the country's main zone.
            return forms.ChoiceField(
                label=db_field.verbose_name,
                help_text=db_field.help_text,
                required=False,
                choices=zone_choices(),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_choice_field(
        self, db_field: Field, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "kind":
            kwargs["choices"] = [
                (value, label) for value, label in OrganizationKind.choices if value in _ADMIN_KINDS
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and is_platform_admin(request.user)  # type: ignore[arg-type]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_with_service(
        self, request: HttpRequest, obj: Any, form: ModelForm, change: bool
    ) -> Model:
        text = {name: str(form.cleaned_data.get(name) or "") for name in _ADD_FIELDS}
        data = OrganizationData(
            identifier_scheme=text["identifier_scheme"],
            identifier_id=text["identifier_id"],
            legal_name=text["legal_name"],
            country=text["country"],
            name=text["name"],
            street_address=text["street_address"],
            locality=text["locality"],
            region=text["region"],
            postal_code=text["postal_code"],
            email=text["email"],
            telephone=text["telephone"],
            website=text["website"],
            description=text["description"],
            time_zone=text["time_zone"],
            buyer_type=text["buyer_type"],
        )
        return organization_create(actor=admin_actor(request), kind=text["kind"], data=data)


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    """Keys are issued and revoked by the organization's own members; only a hash is stored."""

    list_display = (
        "name",
        "organization",
        "prefix",
        "scopes",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("organization__kind", "revoked_at")
    search_fields = ("name", "prefix", "organization__legal_name")
    list_select_related = ("organization",)
    exclude = ("secret_hash",)
