"""People and their roles in the admin. Roles are granted and revoked through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pregon.accounts.http import admin_actor
from pregon.accounts.models import Membership, User
from pregon.accounts.permissions import is_platform_admin
from pregon.accounts.services import membership_grant, membership_revoke
from pregon.core.admin_base import ReadOnlyTabularInline, ServiceAdmin


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "language")


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(ReadOnlyTabularInline):
    model = Membership
    fk_name = "user"
    fields = ("organization", "role", "created_at")
    readonly_fields = fields
    verbose_name_plural = _("roles (grant and revoke them under Memberships)")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "language")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "mfa_waived",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    # The MFA waiver belongs to the demo's accounts only; it is never granted by hand.
    readonly_fields = ("mfa_waived", "last_login", "date_joined")
    list_display = ("email", "full_name", "is_active", "is_staff", "mfa_waived", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser", "mfa_waived")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    """Granted with `membership_grant` and revoked with `membership_revoke`, never edited."""

    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role", "organization__kind", "organization__country")
    search_fields = ("user__email", "user__full_name", "organization__legal_name")
    autocomplete_fields = ("user", "organization")
    list_select_related = ("user", "organization")
    fields = ("user", "organization", "role")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and is_platform_admin(request.user)  # type: ignore[arg-type]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and is_platform_admin(
            request.user  # type: ignore[arg-type]
        )

    def save_with_service(
        self, request: HttpRequest, obj: Any, form: ModelForm, change: bool
    ) -> Model:
        data = form.cleaned_data
        return membership_grant(
            actor=admin_actor(request),
            organization=data["organization"],
            user=data["user"],
            role=data["role"],
        )

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_revoke(actor=admin_actor(request), membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        actor = admin_actor(request)
        for membership in queryset.select_related("user"):
            membership_revoke(actor=actor, membership=membership)
