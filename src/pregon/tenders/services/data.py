"""What the tender services take: typed values that pages, the API and commands fill in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile

from pregon.tenders.choices import AwardCriteria, ContentLanguage, DocumentType


@dataclass(kw_only=True)
class ItemData:
    description: str
    classification_scheme: str
    classification_code: str
    quantity: Decimal
    unit: str


@dataclass(kw_only=True)
class CriterionData:
    """One weighted award criterion: `kind` is a `CriterionKind` code, `weight` its points."""

    name: str
    kind: str
    weight: int
    description: str = ""


@dataclass(kw_only=True)
class LotData:
    """A lot's fields. `reserved`: the buyer's choice for a lot the rule pack lets them
    reserve for smaller firms (None: as the pack says, and a lot that may be reserved keeps its
    choice); `limit_to_local`: limit a reserved lot to local suppliers, where the pack allows it.
    `msme_requests` and `expected_small_offers` are what some packs' reservations depend on
    (Colombia's requests for a limited call; the United States' rule of two). `quota_of`: the
    number of the lot whose divisible goods this lot is the quota of, reserved for smaller
    firms under the pack's quota rule (None: an ordinary lot)."""

    title: str
    description: str = ""
    estimated_value: Decimal | None = None
    items: list[ItemData] = field(default_factory=list)
    reserved: bool | None = None
    limit_to_local: bool | None = None
    msme_requests: int = 0
    expected_small_offers: int | None = None
    quota_of: int | None = None


@dataclass(kw_only=True)
class TenderData:
    """The fields a buyer official fills in for a draft."""

    reference: str
    title: str
    description: str
    method: str
    category: str
    estimated_value: Decimal
    currency: str
    enquiry_end: dt.datetime
    submission_deadline: dt.datetime
    opening_at: dt.datetime
    language: str = ContentLanguage.ES
    award_criteria: str = AwardCriteria.PRICE_ONLY
    # With ratedCriteria: the price formula (a `PriceScoring` code) and the weighted criteria.
    price_scoring: str = ""
    award_criteria_details: str = ""
    # None keeps the criteria as they are (on update); a list replaces them.
    criteria: list[CriterionData] | None = None
    # Divide or explain: why a single lot (public; required above the pack's threshold).
    undivided_reason: str = ""
    # The percent of the contract the winner must subcontract to smaller firms (None: none),
    # where the pack provides it (`rules.subcontracting`).
    subcontracting_share: int | None = None
    # None keeps the lots as they are (on update); a list replaces them (on create).
    lots: list[LotData] | None = None


@dataclass(kw_only=True)
class TenderChanges:
    """Some fields of a draft to change (a partial update); fields left as None stay as they
    are, in the row as it is when the change is applied. `lots`, when given, replaces them."""

    reference: str | None = None
    title: str | None = None
    description: str | None = None
    method: str | None = None
    category: str | None = None
    estimated_value: Decimal | None = None
    currency: str | None = None
    enquiry_end: dt.datetime | None = None
    submission_deadline: dt.datetime | None = None
    opening_at: dt.datetime | None = None
    language: str | None = None
    award_criteria: str | None = None
    price_scoring: str | None = None
    award_criteria_details: str | None = None
    criteria: list[CriterionData] | None = None
    undivided_reason: str | None = None
    # 0 removes the requirement; None keeps it as it is.
    subcontracting_share: int | None = None
    lots: list[LotData] | None = None

    @classmethod
    def every_field_of(cls, data: TenderData) -> TenderChanges:
        """A change that sets every field to its value in `data` (no subcontracting share
        removes the requirement)."""
        values = {name.name: getattr(data, name.name) for name in fields(TenderData)}
        values["subcontracting_share"] = data.subcontracting_share or 0
        return cls(**values)


@dataclass(kw_only=True)
class DocumentData:
    upload: UploadedFile
    title: str
    document_type: str = DocumentType.BIDDING_DOCUMENTS


@dataclass(kw_only=True)
class AmendmentData:
    """What an amendment changes; fields left as None stay as they are. The award criteria
    (`award_criteria`, `price_scoring`, `criteria`, `award_criteria_details`) change only
    together with a later bid deadline."""

    reason: str
    title: str | None = None
    description: str | None = None
    estimated_value: Decimal | None = None
    award_criteria: str | None = None
    price_scoring: str | None = None
    award_criteria_details: str | None = None
    criteria: list[CriterionData] | None = None
    enquiry_end: dt.datetime | None = None
    submission_deadline: dt.datetime | None = None
    opening_at: dt.datetime | None = None
    documents: list[DocumentData] = field(default_factory=list)


#: The fields of `TenderData` stored on the tender itself (its lots are rows of their own).
TENDER_FIELDS = (
    "reference",
    "title",
    "description",
    "language",
    "method",
    "category",
    "estimated_value",
    "currency",
    "award_criteria",
    "price_scoring",
    "award_criteria_details",
    "undivided_reason",
    "subcontracting_share",
    "enquiry_end",
    "submission_deadline",
    "opening_at",
)

#: The dates of a tender, in the order they fall.
DATE_FIELDS = ("enquiry_end", "submission_deadline", "opening_at")

#: The tender's fields that `criteria.award_criteria_apply` sets, with the weighted criteria.
CRITERIA_CODES = ("award_criteria", "price_scoring")

#: The award criteria as one whole: the code, the price formula, the weighted criteria (not a
#: field of the tender: rows of their own) and the notes. Published with the tender, they change
#: afterwards only by an amendment that moves the bid deadline later.
CRITERIA_FIELDS = frozenset(
    {"award_criteria", "price_scoring", "criteria", "award_criteria_details"}
)

# Changes to these alter what bidders must offer; the deadline must then leave them time.
OFFER_FIELDS = frozenset({"description", "estimated_value"}) | CRITERIA_FIELDS
