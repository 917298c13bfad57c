from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.accounts.choices import OrganizationKind
from pregon.core.audit_vocabulary import AuditVocabulary


class Scale(models.TextChoices):
    """Supplier size, as in the OCDS partyDetails_scale extension (plus self-employed)."""

    MICRO = "micro", _("Micro enterprise")
    SMALL = "small", _("Small enterprise")
    MEDIUM = "medium", _("Medium enterprise")
    LARGE = "large", _("Large enterprise")
    SELF_EMPLOYED = "selfEmployed", _("Self-employed")


class BuyerType(models.TextChoices):
    MINISTRY = "ministry", _("Ministry or national agency")
    MUNICIPALITY = "municipality", _("Municipality or regional government")
    HOSPITAL = "hospital", _("Hospital or health service")
    UNIVERSITY = "university", _("University or school")
    STATE_COMPANY = "state_company", _("State-owned company")
    OTHER = "other", _("Other public body")


class ApiScope(models.TextChoices):
    """What an organization API key may do on the organization's behalf."""

    TENDERS_READ = "tenders:read", _("Read the organization's tenders, drafts included")
    TENDERS_WRITE = "tenders:write", _("Draft, publish, amend and cancel tenders")
    QUESTIONS_ASK = "questions:ask", _("Ask clarification questions")
    QUESTIONS_ANSWER = "questions:answer", _("Answer clarification questions")
    BIDS_SUBMIT = "bids:submit", _("Upload, submit, replace and withdraw sealed bids")
    ALERTS_MANAGE = "alerts:manage", _("Manage the organization's alert subscriptions and webhooks")


# ---------------------------------------------------------------------------------------------
# The public profile: the one list of the fields an organization's members keep up to date (the
# kind, the identifier and the country are fixed when it is registered). The services, the
# workspace's form and the audit trail's "changes" all read it from here.

#: Text fields of every kind of organization, each as long as its column allows.
PROFILE_TEXT_FIELDS = (
    "legal_name",
    "name",
    "street_address",
    "locality",
    "region",
    "postal_code",
    "email",
    "telephone",
    "website",
)
#: What only a buyer says of itself.
BUYER_PROFILE_FIELDS = ("buyer_type",)
#: What only a supplier declares: its scale and its characteristics.
SUPPLIER_PROFILE_FIELDS = ("scale", "is_cooperative", "women_owned", "indigenous_owned", "is_local")
#: Every editable field of the profile, in the order forms and audit summaries list them.
PROFILE_FIELDS = (
    *PROFILE_TEXT_FIELDS,
    "description",
    "time_zone",  # the zone its dates are set and shown in (empty: its country's main one)
    *BUYER_PROFILE_FIELDS,
    *SUPPLIER_PROFILE_FIELDS,
)


def profile_fields(kind: str) -> tuple[str, ...]:
    """The profile fields an organization of this kind fills in."""
    own = {
        OrganizationKind.SUPPLIER: SUPPLIER_PROFILE_FIELDS,
        OrganizationKind.BUYER: BUYER_PROFILE_FIELDS,
    }
    foreign = {name for other, names in own.items() if other != kind for name in names}
    return tuple(name for name in PROFILE_FIELDS if name not in foreign)


#: What the organizations' audit rows mean (registered in `apps.py`, read by the audit page).
AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "organization.create": _("Organization created"),
        "organization.update": _("Organization profile changed"),
        "supplier.register": _("Supplier registered"),
        "api_key.issue": _("API key issued"),
        "api_key.revoke": _("API key revoked"),
    },
    summary_keys={
        "kind": _("Kind of organization"),
        "identifier": _("Identifier"),
        "legal_name": _("Legal name"),
        "name": _("Name in common use"),
        "street_address": _("Street address"),
        "locality": _("City or locality"),
        "region": _("Region"),
        "postal_code": _("Postal code"),
        "email": _("Contact e-mail"),
        "telephone": _("Telephone"),
        "website": _("Website"),
        "time_zone": _("Time zone"),
        "buyer_type": _("Type of public body"),
        "scale": _("Scale"),
        "is_cooperative": _("Cooperative"),
        "women_owned": _("Women-owned"),
        "indigenous_owned": _("Indigenous-owned"),
        "is_local": _("Local business"),
        "scopes": _("Permissions of the key"),
    },
    summary_choices={
        ("organizations.organization", "kind"): OrganizationKind,
        ("organizations.organization", "scale"): Scale,
        ("organizations.organization", "buyer_type"): BuyerType,
        ("organizations.apikey", "scopes"): ApiScope,
    },
)
