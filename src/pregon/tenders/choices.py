from django.db import models
from django.utils.translation import gettext_lazy as _


class TenderStatus(models.TextChoices):
    """Where a tender is in its life. The allowed moves are in `TRANSITIONS`."""

    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Open for bids")
    CLOSED = "closed", _("Closed (deadline passed)")
    CANCELLED = "cancelled", _("Cancelled")


# The state machine: each transition names the states it may start from.
# Opening, evaluation and award (later capabilities) will continue from CLOSED.
#: The fields of an open tender an amendment may change (the fields of `AmendmentData`).
AMENDABLE_FIELDS = (
    "title",
    "description",
    "estimated_value",
    "award_criteria",
    "award_criteria_details",
    "enquiry_end",
    "submission_deadline",
    "opening_at",
)

TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "publish": ({TenderStatus.DRAFT}, TenderStatus.ACTIVE),
    "close": ({TenderStatus.ACTIVE}, TenderStatus.CLOSED),
    "cancel": (
        {TenderStatus.DRAFT, TenderStatus.ACTIVE, TenderStatus.CLOSED},
        TenderStatus.CANCELLED,
    ),
    "amend": ({TenderStatus.ACTIVE}, TenderStatus.ACTIVE),
    "edit": ({TenderStatus.DRAFT}, TenderStatus.DRAFT),
}


class Method(models.TextChoices):
    OPEN = "open", _("Open")
    SELECTIVE = "selective", _("Selective")
    LIMITED = "limited", _("Limited")
    DIRECT = "direct", _("Direct")
    RFQ = "rfq", _("Request for quotations")


class Category(models.TextChoices):
    GOODS = "goods", _("Goods")
    WORKS = "works", _("Works")
    SERVICES = "services", _("Services")


class AwardCriteria(models.TextChoices):
    """The OCDS awardCriteria codelist."""

    PRICE_ONLY = "priceOnly", _("Lowest price")
    COST_ONLY = "costOnly", _("Lowest cost (life-cycle)")
    QUALITY_ONLY = "qualityOnly", _("Quality only (fixed price)")
    RATED_CRITERIA = "ratedCriteria", _("Price and quality (rated criteria)")


class ClassificationScheme(models.TextChoices):
    CPV = "CPV", _("Common Procurement Vocabulary (CPV)")
    UNSPSC = "UNSPSC", _("United Nations Standard Products and Services Code (UNSPSC)")


class DocumentType(models.TextChoices):
    """A subset of the OCDS documentType codelist that tenders use."""

    TENDER_NOTICE = "tenderNotice", _("Tender notice")
    BIDDING_DOCUMENTS = "biddingDocuments", _("Bidding documents")
    TECHNICAL_SPECIFICATIONS = "technicalSpecifications", _("Technical specifications")
    EVALUATION_CRITERIA = "evaluationCriteria", _("Evaluation criteria")
    ELIGIBILITY_CRITERIA = "eligibilityCriteria", _("Eligibility criteria")
    CONTRACT_DRAFT = "contractDraft", _("Draft contract")
    CLARIFICATIONS = "clarifications", _("Clarifications")
    BILL_OF_QUANTITY = "billOfQuantity", _("Bill of quantities")
    OTHER = "other", _("Other")


class Currency(models.TextChoices):
    """Currencies of the Americas the platform is used with, and the common reserve ones."""

    USD = "USD", "USD"
    CLP = "CLP", "CLP"
    BRL = "BRL", "BRL"
    MXN = "MXN", "MXN"
    COP = "COP", "COP"
    PYG = "PYG", "PYG"
    PEN = "PEN", "PEN"
    ARS = "ARS", "ARS"
    UYU = "UYU", "UYU"
    CAD = "CAD", "CAD"
    GTQ = "GTQ", "GTQ"
    CRC = "CRC", "CRC"
    DOP = "DOP", "DOP"
    BZD = "BZD", "BZD"
    JMD = "JMD", "JMD"
    TTD = "TTD", "TTD"
    EUR = "EUR", "EUR"


class ContentLanguage(models.TextChoices):
    EN = "en", _("English")
    ES = "es", _("Spanish")
    PT = "pt", _("Portuguese")
    FR = "fr", _("French")
