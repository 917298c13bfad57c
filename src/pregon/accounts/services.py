"""Every change to people's roles goes through these functions (the admin, commands, the demo).

Each checks permission, writes inside one transaction with its audit row, and refuses with a
`DomainError`, changing nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from pregon.accounts.choices import ROLES_BY_KIND, Role
from pregon.accounts.models import Membership, User
from pregon.accounts.permissions import OrganizationRef, require_platform_admin
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import ValidationFailed


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
