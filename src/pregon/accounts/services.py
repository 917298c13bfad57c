"""Every change to people and their roles goes through these functions (the admin, commands,
the demo).

Each checks permission, writes inside one transaction with its audit row, and refuses with a
`DomainError`, changing nothing. People are deactivated, never deleted: the audit trail keeps
pointing at them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pregon.accounts.choices import ROLES_BY_KIND, Role
from pregon.accounts.models import Membership, User
from pregon.accounts.permissions import OrganizationRef, require_platform_admin
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import PermissionDenied, ValidationFailed


def membership_grant(
    *, actor: Actor, organization: OrganizationRef, user: User, role: str
) -> Membership:
    """A platform administrator gives a person a role in an organization."""
    require_platform_admin(actor)
    if role not in ROLES_BY_KIND.get(organization.kind, frozenset()):
        raise ValidationFailed(
            _("The role %(role)s does not exist in this kind of organization.")
            % {"role": Role(role).label if role in Role.values else role},
            field="role",
        )
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organization_id=organization.pk, role=role
        )
        if created:
            audit_record(
                actor=actor,
                action="membership.grant",
                target=membership,
                summary={"user": user.email, "role": role},
            )
    return membership


def membership_revoke(*, actor: Actor, membership: Membership) -> None:
    """A platform administrator removes a role."""
    require_platform_admin(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="membership.revoke",
            target=membership,
            summary={"user": membership.user.email, "role": membership.role},
        )
        membership.delete()


# ---------------------------------------------------------------------------------------------
# People


@dataclass(kw_only=True)
class UserData:
    """Who a person is: the address they sign in with, their name, their language."""

    email: str
    full_name: str = ""
    language: str = ""


#: The audit summary's key for each field of `UserData` (keys are shared by every app's audit
#: rows, and "email" and "language" already name an organization's and a tender's fields).
_SUMMARY_KEYS = {
    "email": "sign_in_email",
    "full_name": "full_name",
    "language": "preferred_language",
}


def _clean_user_data(data: UserData, *, user: User | None) -> dict[str, str]:
    email = data.email.strip().lower()
    if not email:
        raise ValidationFailed(_("Give the e-mail address."), field="email")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationFailed(
            _("%(email)s is not a valid e-mail address.") % {"email": email}, field="email"
        ) from None
    taken = User.objects.filter(email__iexact=email)
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        raise ValidationFailed(
            _("Another account uses this e-mail address."), field="email", code="email_taken"
        )
    full_name = data.full_name.strip()
    limit = User._meta.get_field("full_name").max_length or 0
    if len(full_name) > limit:
        raise ValidationFailed(
            _("This text is too long (%(length)s characters); the limit is %(limit)s.")
            % {"length": len(full_name), "limit": limit},
            field="full_name",
        )
    if data.language not in {"", *(code for code, _name in settings.LANGUAGES)}:
        raise ValidationFailed(_("Choose one of the platform's languages."), field="language")
    return {"email": email, "full_name": full_name, "language": data.language}


def user_create(*, actor: Actor, data: UserData, password: str | None) -> User:
    """A platform administrator opens an account (without a password: the person sets one
    through "Forgot your password?"). Roles are granted afterwards with `membership_grant`."""
    require_platform_admin(actor)
    values = _clean_user_data(data, user=None)
    if password is not None:
        try:
            validate_password(password, User(email=values["email"]))
        except ValidationError as error:
            raise ValidationFailed(" ".join(error.messages), field="password1") from None
    try:
        with transaction.atomic():
            user = User.objects.create_user(values.pop("email"), password, **values)
            audit_record(
                actor=actor,
                action="user.create",
                target=user,
                summary={"user": user.email},
            )
    except IntegrityError:
        # Raced with another account of the same address.
        raise ValidationFailed(
            _("Another account uses this e-mail address."), field="email", code="email_taken"
        ) from None
    return user


def _locked(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


def user_update(*, actor: Actor, user: User, data: UserData) -> User:
    """A platform administrator corrects a person's address, name or language."""
    require_platform_admin(actor)
    values = _clean_user_data(data, user=user)
    with transaction.atomic():
        locked = _locked(user)
        changes = _apply(locked, values)
        if changes:
            try:
                with transaction.atomic():
                    locked.save(update_fields=list(values))
            except IntegrityError:
                raise ValidationFailed(
                    _("Another account uses this e-mail address."),
                    field="email",
                    code="email_taken",
                ) from None
            audit_record(
                actor=actor,
                action="user.update",
                target=locked,
                summary={"changes": {_SUMMARY_KEYS[name]: pair for name, pair in changes.items()}},
            )
    return locked


def user_update_flags(*, actor: Actor, user: User, is_staff: bool, is_superuser: bool) -> User:
    """A platform administrator opens or closes the admin site to a person (`is_staff`); only a
    superuser makes or unmakes another superuser, who may do everything."""
    require_platform_admin(actor)
    with transaction.atomic():
        locked = _locked(user)
        if is_superuser != locked.is_superuser and not (actor.user and actor.user.is_superuser):
            raise PermissionDenied(_("Only a superuser may make or unmake a superuser."))
        changes = _apply(locked, {"is_staff": is_staff, "is_superuser": is_superuser})
        if changes:
            locked.save(update_fields=["is_staff", "is_superuser"])
            audit_record(
                actor=actor,
                action="user.update_flags",
                target=locked,
                summary={"user": locked.email, "changes": changes},
            )
    return locked


def user_deactivate(*, actor: Actor, user: User) -> User:
    """A platform administrator closes an account: the person can no longer sign in, and their
    name stays on everything they did. Their roles are kept for a reactivation."""
    require_platform_admin(actor)
    if actor.user is not None and actor.user.pk == user.pk:
        raise ValidationFailed(_("You cannot deactivate your own account."), field="is_active")
    return _set_active(actor, user, active=False, action="user.deactivate")


def user_reactivate(*, actor: Actor, user: User) -> User:
    """A platform administrator opens a deactivated account again."""
    require_platform_admin(actor)
    return _set_active(actor, user, active=True, action="user.reactivate")


def _set_active(actor: Actor, user: User, *, active: bool, action: str) -> User:
    with transaction.atomic():
        locked = _locked(user)
        if locked.is_active != active:
            locked.is_active = active
            locked.save(update_fields=["is_active"])
            audit_record(actor=actor, action=action, target=locked, summary={"user": locked.email})
    return locked


def _apply(user: User, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the values that differ on `user`; return them as {field: [old, new]}."""
    changes: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = getattr(user, name)
        if old != new:
            changes[name] = [old, new]
            setattr(user, name, new)
    return changes
