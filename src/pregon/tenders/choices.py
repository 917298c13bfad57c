from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import AuditVocabulary
from pregon.core.procurement import (
    Category,
    ClassificationScheme,
    ContentLanguage,
    Currency,
    Method,
)
from pregon.core.transitions import Transition

# The vocabulary plans share (`Category`, `ClassificationScheme`, `ContentLanguage`, `Currency`,
# `Method`) lives in the kernel, since plans sit below tenders (ADR 0019); the apps that import
# it from here keep doing so.
__all__ = [
    "AMENDABLE_FIELDS",
    "ANSWER_MAX_LENGTH",
    "AUDIT_VOCABULARY",
    "COMMITTEE_MAX_MEMBERS",
    "CRITERIA_MAX",
    "CRITERIA_TOTAL_WEIGHT",
    "CRITERION_DESCRIPTION_MAX_LENGTH",
    "CRITERION_NAME_MAX_LENGTH",
    "DESCRIPTION_MAX_LENGTH",
    "QUESTION_MAX_LENGTH",
    "REASON_MAX_LENGTH",
    "TRANSITIONS",
    "AwardCriteria",
    "Category",
    "ClassificationScheme",
    "ContentLanguage",
    "CriterionKind",
    "Currency",
    "DocumentType",
    "Method",
    "PriceScoring",
    "ReservationObligation",
    "TenderStatus",
]


class TenderStatus(models.TextChoices):
    """Where a tender is in its life. The allowed moves are in `TRANSITIONS`."""

    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Open for bids")
    CLOSED = "closed", _("Closed (deadline passed)")
    CANCELLED = "cancelled", _("Cancelled")


#: The fields of an open tender an amendment may change (the fields of `AmendmentData`).
AMENDABLE_FIELDS = (
    "title",
    "description",
    "estimated_value",
    "award_criteria",
    "price_scoring",
    "award_criteria_details",
    "enquiry_end",
    "submission_deadline",
    "opening_at",
)

# The longest texts the services accept (the forms and the API document say the same): long
# enough for any real tender, short enough that nobody stores a book in a question.
DESCRIPTION_MAX_LENGTH = 20_000
QUESTION_MAX_LENGTH = 5_000
ANSWER_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 5_000

#: The largest opening committee: every bid carries one encrypted share per member.
COMMITTEE_MAX_MEMBERS = 20

#: Weighted award criteria: how many a tender may have, and the longest name and description.
CRITERIA_MAX = 20
CRITERION_NAME_MAX_LENGTH = 200
CRITERION_DESCRIPTION_MAX_LENGTH = 2_000
#: The weights of a tender's weighted criteria add up to exactly this many points.
CRITERIA_TOTAL_WEIGHT = 100

_ACTIVE = frozenset({TenderStatus.ACTIVE})

#: The state machine (drawn in `models.Tender`'s docstring). Every service that moves a tender,
#: or needs it in a given state, goes through `pregon.core.transitions.transition` with it.
#: Opening, evaluation and award (later capabilities) will continue from CLOSED.
TRANSITIONS: dict[str, Transition] = {
    "publish": Transition(
        sources=frozenset({TenderStatus.DRAFT}),
        target=TenderStatus.ACTIVE,
        refusal=_("Only a draft can be published; this tender is %(status)s."),
    ),
    "close": Transition(
        sources=_ACTIVE,
        target=TenderStatus.CLOSED,
        refusal=_("Only an open tender can close; this tender is %(status)s."),
    ),
    "cancel": Transition(
        sources=frozenset({TenderStatus.DRAFT, TenderStatus.ACTIVE, TenderStatus.CLOSED}),
        target=TenderStatus.CANCELLED,
        refusal=_("This tender is already %(status)s and cannot be cancelled."),
    ),
    "edit": Transition(
        sources=frozenset({TenderStatus.DRAFT}),
        target=None,
        refusal=_(
            "Only a draft can be edited; this tender is %(status)s. Use an "
            "amendment for an open tender."
        ),
    ),
    "amend": Transition(
        sources=_ACTIVE,
        target=None,
        refusal=_("Only an open tender can be amended; this tender is %(status)s."),
    ),
    "ask": Transition(
        sources=_ACTIVE,
        target=None,
        refusal=_("This tender does not accept questions."),
        code="questions_closed",
    ),
    # Answers help bidders while the tender is open, and stay useful after the deadline.
    "answer": Transition(
        sources=frozenset({TenderStatus.ACTIVE, TenderStatus.CLOSED}),
        target=None,
        refusal=_("Questions can no longer be answered on this tender."),
    ),
}


class AwardCriteria(models.TextChoices):
    """How a tender's offers are compared: the two codes of the OCDS awardCriteria codelist the
    platform evaluates. With `RATED_CRITERIA` the tender has weighted criteria
    (`models.AwardCriterion`) and a price scoring method (`PriceScoring`)."""

    PRICE_ONLY = "priceOnly", _("Lowest price")
    RATED_CRITERIA = "ratedCriteria", _("Weighted criteria (price and quality)")


class CriterionKind(models.TextChoices):
    """What a weighted criterion scores: the price (by the tender's formula) or a quality
    (by the evaluation committee)."""

    PRICE = "price", _("Price")
    QUALITY = "quality", _("Quality")


class PriceScoring(models.TextChoices):
    """How the price criterion turns a bid's price into points, published with the tender.

    W is the price criterion's weight, P the bid's price and L the lowest price among the lot's
    compliant bids (`pregon.tenders.scoring` computes it; the formulas are also in
    docs/evaluation-and-contracts.md and, as text, in the tender's OCDS release).
    """

    PROPORTIONAL = "proportional", _("Proportional to the lowest price")
    LINEAR = "linear", _("Linear, zero at twice the lowest price")


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


class ReservationObligation(models.TextChoices):
    """What a country rule pack says of a lot's reservation for smaller firms."""

    MUST = "must", _("must be reserved")
    MAY = "may", _("may be reserved")
    NO = "no", _("not reserved")


#: What the tenders' audit rows mean (registered in `apps.py`, read by the audit page).
AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "tender.create": _("Draft tender created"),
        "tender.update": _("Draft tender edited"),
        "tender.publish": _("Tender published"),
        "tender.close": _("Tender closed at its deadline"),
        "tender.cancel": _("Tender cancelled"),
        "tender.amend": _("Tender amended"),
        "lot.add": _("Lot added"),
        "lot.update": _("Lot changed"),
        "lot.delete": _("Lot deleted"),
        "item.add": _("Item added"),
        "item.delete": _("Item deleted"),
        "document.add": _("Document attached"),
        "document.delete": _("Document deleted"),
        "question.ask": _("Question asked"),
        "question.answer": _("Question answered"),
        "tender.committee": _("Opening committee named"),
        "committee_key.register": _("Opening key registered"),
        "committee_key.revoke": _("Opening key revoked"),
    },
    summary_keys={
        "reference": _("Buyer's reference"),
        "title": _("Title"),
        "description": _("Description"),
        "language": _("Language of the tender"),
        "method": _("Procurement method"),
        "category": _("Main category"),
        "estimated_value": _("Estimated value"),
        "currency": _("Currency"),
        "award_criteria": _("Award criteria"),
        "award_criteria_details": _("Notes on the evaluation"),
        "price_scoring": _("Price scoring method"),
        "criteria": _("Weighted criteria"),
        "enquiry_end": _("Questions accepted until"),
        "submission_deadline": _("Bid deadline"),
        "opening_at": _("Bid opening"),
        "deadline": _("Bid deadline"),
        "status": _("Status"),
        "from": _("Previous status"),
        "reason": _("Reason"),
        "rule_pack": _("Rule pack"),
        "reserved_lots": _("Lots reserved for smaller firms"),
        "reserved": _("Reserved under the rule"),
        "undivided_reason": _("Reason for not dividing into lots"),
        "amendment": _("Amendment number"),
        "documents": _("Documents"),
        "tender": _("Tender number"),
        "lots": _("Lots"),
        "lot": _("Lot number"),
        "code": _("Classification code"),
        "filename": _("File name"),
        "sha256": _("SHA-256"),
        "threshold": _("Members needed to open the bids"),
        "members": _("Committee members"),
        "fingerprint": _("Key fingerprint"),
        "replaces": _("Key revoked by this one"),
    },
    # Values that are codes read as their labels ("from" is the status a tender left).
    summary_choices={
        ("tenders.tender", "status"): TenderStatus,
        ("tenders.tender", "from"): TenderStatus,
        ("tenders.tender", "method"): Method,
        ("tenders.tender", "category"): Category,
        ("tenders.tender", "award_criteria"): AwardCriteria,
        ("tenders.tender", "price_scoring"): PriceScoring,
        ("tenders.tender", "language"): ContentLanguage,
    },
    # The platform closes tenders by itself: the buyer's auditors see those rows too.
    owner_fields={"tenders.tender": "buyer"},
)
