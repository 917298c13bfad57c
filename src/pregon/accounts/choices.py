from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person may do for an organization."""

    BUYER_OFFICIAL = "buyer_official", _("Buyer official")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    SUPPLIER_USER = "supplier_user", _("Supplier user")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that act for a buyer and therefore must use multi-factor sign-in in production.
OFFICIAL_ROLES = frozenset({Role.BUYER_OFFICIAL, Role.COMMITTEE_MEMBER, Role.ADMINISTRATOR})
