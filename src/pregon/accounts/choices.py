"""People's roles, the kinds of organization they act for, and every set of roles the
platform checks: the one place where "who may" is spelled out as data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import AuditVocabulary


# What an organization is on the platform; it decides which roles its people may hold. (No
# docstring: it would become the schema's description in the committed OpenAPI document.)
class OrganizationKind(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    SUPPLIER = "supplier", _("Supplier")
    OVERSIGHT = "oversight", _("Oversight body")
    OPERATOR = "operator", _("Platform operator")


class Role(models.TextChoices):
    """What a person may do for an organization."""

    BUYER_OFFICIAL = "buyer_official", _("Buyer official")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    SUPPLIER_USER = "supplier_user", _("Supplier user")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


# ---------------------------------------------------------------------------------------------
# The role sets. Every check of "one of these roles" names one of these sets.

#: Roles that act for a buyer or the platform and so must use multi-factor sign-in in production.
OFFICIAL_ROLES = frozenset({Role.BUYER_OFFICIAL, Role.COMMITTEE_MEMBER, Role.ADMINISTRATOR})
#: Roles that change a buyer's tenders and answer its questions.
BUYER_WRITE_ROLES = frozenset({Role.BUYER_OFFICIAL})
#: Roles that read a buyer's tenders, drafts included (the buyer workspace, the API).
BUYER_READ_ROLES = frozenset({Role.BUYER_OFFICIAL, Role.COMMITTEE_MEMBER, Role.AUDITOR})
#: Roles whose sign-in lands in the buyer workspace.
BUYER_WORKSPACE_ROLES = frozenset({Role.BUYER_OFFICIAL, Role.COMMITTEE_MEMBER})
#: Roles that hold a personal opening key and may be named to a tender's opening committee.
COMMITTEE_ROLES = frozenset({Role.COMMITTEE_MEMBER})
#: Roles that act for a supplier.
SUPPLIER_ROLES = frozenset({Role.SUPPLIER_USER})
#: Roles that read their own buyer's audit trail.
BUYER_AUDIT_ROLES = frozenset({Role.AUDITOR, Role.BUYER_OFFICIAL})
#: Roles that may revoke an organization's API keys.
API_KEY_REVOKER_ROLES = frozenset({Role.SUPPLIER_USER, Role.BUYER_OFFICIAL})

#: Who may change an organization's profile and issue its API keys, by kind of organization.
MANAGER_ROLES_BY_KIND: dict[str, frozenset[str]] = {
    OrganizationKind.SUPPLIER: SUPPLIER_ROLES,
    OrganizationKind.BUYER: BUYER_WRITE_ROLES,
}
#: Managers of the kinds not listed above (oversight bodies, the operator).
OTHER_MANAGER_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR})
#: The roles a person may hold in an organization of each kind.
ROLES_BY_KIND: dict[str, frozenset[str]] = {
    OrganizationKind.BUYER: frozenset({Role.BUYER_OFFICIAL, Role.COMMITTEE_MEMBER, Role.AUDITOR}),
    OrganizationKind.SUPPLIER: SUPPLIER_ROLES,
    OrganizationKind.OVERSIGHT: frozenset({Role.AUDITOR}),
    OrganizationKind.OPERATOR: frozenset({Role.ADMINISTRATOR}),
}


#: What the accounts' audit rows mean (registered in `apps.py`, read by the audit page).
AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "membership.grant": _("Role granted"),
        "membership.revoke": _("Role removed"),
        "user.create": _("Account opened"),
        "user.update": _("Account details changed"),
        "user.update_flags": _("Access to the admin site changed"),
        "user.deactivate": _("Account deactivated"),
        "user.reactivate": _("Account reactivated"),
    },
    summary_keys={
        "user": _("Person (e-mail address)"),
        "role": _("Role"),
        "sign_in_email": _("E-mail address for signing in"),
        "full_name": _("Full name"),
        "preferred_language": _("Preferred language"),
        "is_staff": _("Staff (reaches the admin site)"),
        "is_superuser": _("Superuser (may do everything)"),
    },
    summary_choices={("accounts.membership", "role"): Role},
)
