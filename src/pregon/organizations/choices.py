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


class LegalForm(models.TextChoices):
    """What kind of productive organization a supplier is, beyond companies (published as
    `parties[].details.legalForm`, a field of ours)."""

    COMPANY = "company", _("Company")
    SOLE_PROPRIETOR = "soleProprietor", _("Individual entrepreneur")
    COOPERATIVE = "cooperative", _("Cooperative")
    ASSOCIATION = "association", _("Association")
    COMMUNITY_ENTERPRISE = "communityEnterprise", _("Community enterprise")
    # Formed on the platform by its members (`services_consortia`), never chosen in a profile.
    CONSORTIUM = "consortium", _("Consortium (joint bid)")


#: The legal forms a supplier chooses for itself in its profile (a consortium is formed).
CHOSEN_LEGAL_FORMS = tuple(form for form in LegalForm.values if form != LegalForm.CONSORTIUM)


class ConsortiumStatus(models.TextChoices):
    """Where a consortium stands.

    forming ──every member accepted──▶ formed (it may bid)
        └──the lead cancels, or a member declines──▶ cancelled
    """

    FORMING = "forming", _("Forming: invitations awaiting an answer")
    FORMED = "formed", _("Formed")
    CANCELLED = "cancelled", _("Cancelled")


class ConsortiumMemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


#: The identifier scheme of consortia formed on the platform (their id is assigned by it).
CONSORTIUM_SCHEME = "PREGON-CONSORTIUM"


class ScaleStatus(models.TextChoices):
    """Where the evidence of a supplier's scale stands.

    declared ──evidence uploaded──▶ pending ──verify──▶ verified
        ▲                             │  ──reject──▶ rejected
        └── new figures or scale ─────┘  (any new figure or evidence starts again)
    """

    DECLARED = "declared", _("Declared, without evidence")
    PENDING = "pending", _("Evidence awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Evidence not accepted")


class DocumentKind(models.TextChoices):
    """The documents a supplier holds once on the platform, instead of with every bid."""

    LEGAL = "legal", _("Legal existence (certificate of registration or incorporation)")
    TAX = "tax", _("Tax compliance certificate")
    SOCIAL_SECURITY = "socialSecurity", _("Social security compliance certificate")
    SCALE_EVIDENCE = "scaleEvidence", _("Evidence of size (payroll, financial statements)")


#: The documents a winner must hold, current, before its contract is drafted or signed.
CONTRACT_DOCUMENT_KINDS = (DocumentKind.LEGAL, DocumentKind.TAX, DocumentKind.SOCIAL_SECURITY)


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
#: What only a supplier says of itself: its legal form and the characteristics it declares.
#: (Its scale is declared apart, with its figures and evidence: `supplier_scale_declare`;
#: whether it is a cooperative follows from its legal form.)
SUPPLIER_PROFILE_FIELDS = ("legal_form", "women_owned", "indigenous_owned", "is_local", "hubzone")
#: The characteristics a supplier declares, in the order pages and published data list them.
CHARACTERISTIC_FIELDS = ("women_owned", "indigenous_owned", "is_local", "hubzone")
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
        "supplier.scale_declare": _("Supplier's scale declared"),
        "supplier.scale_verify": _("Supplier's scale verified"),
        "supplier.scale_reject": _("Evidence of a supplier's scale not accepted"),
        "consortium.form": _("Consortium formed: members invited"),
        "consortium.accept": _("Invitation to a consortium accepted"),
        "consortium.decline": _("Invitation to a consortium declined"),
        "consortium.complete": _("Consortium complete: it may bid"),
        "consortium.cancel": _("Consortium cancelled"),
        "supplier_document.upload": _("Supplier document uploaded"),
        "supplier_document.remove": _("Supplier document removed"),
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
        "legal_form": _("Legal form"),
        "declared_scale": _("Declared scale"),
        "computed_scale": _("Scale by the country's rules"),
        "rule_pack": _("Country rule pack"),
        "employees": _("Employees"),
        "annual_turnover": _("Annual turnover"),
        "scale_status": _("Verification of the scale"),
        "note": _("Note"),
        "document_kind": _("Document"),
        "expires_on": _("Expires on"),
        "filename": _("File name"),
        "is_cooperative": _("Cooperative"),
        "women_owned": _("Women-owned"),
        "indigenous_owned": _("Indigenous-owned"),
        "is_local": _("Local business"),
        "hubzone": _("HUBZone small business"),
        "members": _("Members and shares"),
        "member": _("Member"),
        "share": _("Share"),
        "consortium": _("Consortium"),
        "status": _("Status"),
        "scopes": _("Permissions of the key"),
    },
    summary_choices={
        ("organizations.organization", "kind"): OrganizationKind,
        ("organizations.organization", "scale"): Scale,
        ("organizations.organization", "declared_scale"): Scale,
        ("organizations.organization", "computed_scale"): Scale,
        ("organizations.organization", "legal_form"): LegalForm,
        ("organizations.organization", "scale_status"): ScaleStatus,
        ("organizations.consortium", "status"): ConsortiumStatus,
        ("organizations.supplierdocument", "document_kind"): DocumentKind,
        ("organizations.organization", "buyer_type"): BuyerType,
        ("organizations.apikey", "scopes"): ApiScope,
    },
)
