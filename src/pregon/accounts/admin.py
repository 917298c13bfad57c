"""People and their roles in the admin. Every change goes through the services, audited.

People are deactivated, never deleted (the audit trail points at them); roles are granted and
revoked under Memberships. The admin sets no password of an existing account: a person sets
their own with "Forgot your password?", so no administrator can sign in as someone else.
The third-party models that hold a person's sign-in (e-mail addresses, authenticators) are
shown read-only, and Django's groups and permissions are not used: roles are memberships.
"""

from __future__ import annotations

from typing import Any

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from pregon.accounts.http import admin_actor
from pregon.accounts.models import Membership, User
from pregon.accounts.permissions import is_platform_admin
from pregon.accounts.services import (
    UserData,
    membership_grant,
    membership_revoke,
    user_create,
    user_deactivate,
    user_reactivate,
    user_update,
    user_update_flags,
)
from pregon.core.admin_base import ReadOnlyAdmin, ReadOnlyTabularInline, ServiceAdmin
from pregon.core.errors import DomainError


def _language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Preferred language"),
        choices=[("", "—"), *settings.LANGUAGES],
        required=False,
        help_text=_("The language of the e-mails the platform sends."),
    )


class UserCreationForm(AdminUserCreationForm):
    language = _language_field()

    class Meta:
        model = User
        fields = ("email", "full_name", "language")


class UserChangeForm(forms.ModelForm):
    language = _language_field()

    class Meta:
        model = User
        fields = ("email", "full_name", "language", "is_active", "is_staff", "is_superuser")


class MembershipInline(ReadOnlyTabularInline):
    model = Membership
    fk_name = "user"
    fields = ("organization", "role", "created_at")
    readonly_fields = fields
    verbose_name_plural = _("roles (grant and revoke them under Memberships)")


@admin.register(User)
class UserAdmin(ServiceAdmin, DjangoUserAdmin):
    """Opened with `user_create`; changed with `user_update`, `user_update_flags`,
    `user_deactivate` and `user_reactivate`; never deleted."""

    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email",)}),
        (_("Profile"), {"fields": ("full_name", "language")}),
        (
            _("Access"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "mfa_waived",
                    "groups",
                    "user_permissions",
                ),
                "description": _(
                    "Deactivate an account instead of deleting it. People set their own "
                    "password with “Forgot your password?” on the sign-in page."
                ),
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
    # Django's groups and permissions are shown, not granted here: the platform grants roles.
    readonly_fields = ("mfa_waived", "groups", "user_permissions", "last_login", "date_joined")
    list_display = ("email", "full_name", "is_active", "is_staff", "mfa_waived", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser", "mfa_waived")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    filter_horizontal = ()
    inlines = (MembershipInline,)
    actions = ("deactivate_selected", "reactivate_selected")

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        # A new account has no roles yet (they are granted under Memberships).
        return self.inlines if obj is not None else ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and is_platform_admin(request.user)  # type: ignore[arg-type]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and is_platform_admin(
            request.user  # type: ignore[arg-type]
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        raise DjangoPermissionDenied

    def save_with_service(
        self, request: HttpRequest, obj: Any, form: ModelForm, change: bool
    ) -> Model:
        actor = admin_actor(request)
        data = form.cleaned_data
        profile = UserData(
            email=data["email"], full_name=data["full_name"], language=data["language"]
        )
        if not change:
            password = data["password1"] if data.get("set_usable_password") else None
            return user_create(actor=actor, data=profile, password=password)
        user = user_update(actor=actor, user=User.objects.get(pk=obj.pk), data=profile)
        user = user_update_flags(
            actor=actor, user=user, is_staff=data["is_staff"], is_superuser=data["is_superuser"]
        )
        if data["is_active"] != user.is_active:
            activate = user_reactivate if data["is_active"] else user_deactivate
            user = activate(actor=actor, user=user)
        return user

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(request, queryset, user_deactivate)

    @admin.action(description=_("Reactivate the selected accounts"), permissions=["change"])
    def reactivate_selected(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(request, queryset, user_reactivate)

    def _each(self, request: HttpRequest, queryset: QuerySet[User], service: Any) -> None:
        actor = admin_actor(request)
        for user in queryset.order_by("email"):
            try:
                service(actor=actor, user=user)
            except DomainError as error:
                self.message_user(request, f"{user.email}: {error.message}", level=messages.ERROR)


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


# A person's sign-in, as allauth keeps it: visible, changed only by the person (their e-mail
# pages, their two-step sign-in pages). Groups are not how the platform grants anything.
admin.site.unregister(EmailAddress)
admin.site.unregister(Authenticator)
admin.site.unregister(Group)


@admin.register(EmailAddress)
class ReadOnlyEmailAddressAdmin(ReadOnlyAdmin, EmailAddressAdmin):
    actions = ()


@admin.register(Authenticator)
class ReadOnlyAuthenticatorAdmin(ReadOnlyAdmin, AuthenticatorAdmin):
    # The authenticator's data holds its secret (the TOTP seed, the recovery codes' seed).
    exclude = ("data",)
