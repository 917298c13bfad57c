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
