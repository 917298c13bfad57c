"""Input and output schemas of the tenders API: one pair per endpoint.

Inputs turn into the services' dataclasses (`to_data`); outputs read the models. Limits that
the database enforces by column size are checked here, so a too-long value is a 422 problem
rather than a database error. Questions never carry who asked them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Schema
from pydantic import AwareDatetime

from pregon.core import classifications
from pregon.tenders.choices import (
    ANSWER_MAX_LENGTH,
    COMMITTEE_MAX_MEMBERS,
    CRITERIA_MAX,
    CRITERIA_TOTAL_WEIGHT,
    CRITERION_DESCRIPTION_MAX_LENGTH,
    CRITERION_NAME_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    AwardCriteria,
    Category,
    ClassificationScheme,
    ContentLanguage,
    CriterionKind,
    Currency,
    DocumentType,
    Method,
    PriceScoring,
    ReservationObligation,
    TenderStatus,
)
from pregon.tenders.models import (
    AwardCriterion,
    CommitteeKey,
    CommitteeMember,
    Item,
    Lot,
    Question,
    Tender,
    TenderDocument,
)
from pregon.tenders.scoring import price_formula_text
from pregon.tenders.selectors import TenderFilters, committee_of, questions_public
from pregon.tenders.services import (
    AmendmentData,
    CriterionData,
    ItemData,
    LotData,
    TenderChanges,
    TenderData,
    public_key_encode,
)
from pregon.tenders.services.validation import LOT_COUNT_LIMIT

MAX_LOTS = 100
MAX_ITEMS = 500
# The largest id the database holds (a signed 64-bit integer); larger ones are refused here
# rather than by the database driver.
MAX_ID = 2**63 - 1


def _absolute(context: dict[str, Any] | None, name: str, **kwargs: Any) -> str:
    path = reverse(f"api:{name}", kwargs=kwargs)
    request: HttpRequest | None = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


# ---------------------------------------------------------------------------------------------
# query parameters


class TenderFilterQuery(Schema):
    """The filters of the public list (the same as the portal's)."""

    q: str = Field(
        "",
        max_length=200,
        description="Words to find in the title, description, reference, buyer or items.",
    )
    status: TenderStatus | None = Field(None, description="Only tenders in this state.")
    method: Method | None = Field(None, description="Only this procurement method.")
    category: Category | None = Field(None, description="Only this main category.")
    buyer: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only tenders of this buyer (organization id)."
    )
    country: str = Field(
        "", pattern=r"^([A-Za-z]{2})?$", description="Only buyers of this country (ISO 3166)."
    )
    value_min: Decimal | None = Field(None, ge=0, description="Estimated value at least this.")
    value_max: Decimal | None = Field(None, ge=0, description="Estimated value at most this.")
    closing_after: dt.date | None = Field(None, description="Bid deadline on or after this day.")
    closing_before: dt.date | None = Field(None, description="Bid deadline on or before this day.")
    classification: str = Field(
        "",
        max_length=16,
        description="Items classified under the same top-level group as this code.",
    )
    order: Literal["closing", "newest", "value"] = Field(
        "closing",
        description="closing: deadline soonest first; newest: latest published first; "
        "value: highest estimated value first.",
    )

    def to_filters(self) -> TenderFilters:
        """The selector's filters."""
        return TenderFilters(
            q=self.q,
            status=self.status or "",
            method=self.method or "",
            category=self.category or "",
            buyer=self.buyer,
            country=self.country.upper(),
            value_min=self.value_min,
            value_max=self.value_max,
            closing_after=self.closing_after,
            closing_before=self.closing_before,
            classification=self.classification,
            order=self.order,
        )


# ---------------------------------------------------------------------------------------------
# outputs


class BuyerRefOut(Schema):
    id: int
    name: str = Field(description="The buyer's name in common use, or its legal name.")
    party_id: str = Field(description="Organization identifier, org-id style (e.g. CL-RUT-…).")
    country: str = Field(description="ISO 3166-1 alpha-2 code.")

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.display_name)

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country)


class ClassificationOut(Schema):
    scheme: ClassificationScheme
    code: str
    name: str = Field(description="The code's name (or its group's) in the request's language.")


class ItemOut(Schema):
    id: int
    description: str
    classification: ClassificationOut
    quantity: Decimal
    unit: str

    @staticmethod
    def resolve_classification(obj: Item) -> dict[str, str]:
        return {
            "scheme": obj.classification_scheme,
            "code": obj.classification_code,
            "name": classifications.describe(obj.classification_scheme, obj.classification_code),
        }


class LotOut(Schema):
    id: int
    number: int
    title: str
    description: str
    estimated_value: Decimal | None
    reserved: bool = Field(
        description="Reserved for smaller firms: only the sizes in `reserved_scales` (and "
        "cooperatives or local suppliers where said) may bid."
    )
    reservation_obligation: ReservationObligation = Field(
        description="What the buyer's country rule pack says of reserving this lot: must, may "
        "or no (decided again at publication, under the pack the tender keeps)."
    )
    reserved_scales: list[str] = Field(
        description="With `reserved`: the sizes that may bid (micro, small, medium, large)."
    )
    reserved_cooperatives: bool = Field(description="Cooperatives of any size may bid.")
    reserved_local: bool = Field(description="Local suppliers of any size may bid.")
    reserved_local_only: bool = Field(description="Only local suppliers may bid.")
    reservation_rule: str = Field(
        description="The pack's rule the lot is reserved under, as CODE@VERSION:key."
    )
    msme_requests: int = Field(
        description="How many eligible smaller firms asked for a call limited to them."
    )
    expected_small_offers: int | None = Field(
        description="How many smaller firms market research expects to offer (rule of two)."
    )
    quota_of: int | None = Field(
        description="The number of the lot whose divisible goods this lot is the quota of, "
        "reserved for smaller firms under the pack's quota rule; null for an ordinary lot."
    )
    items: list[ItemOut]

    @staticmethod
    def resolve_quota_of(obj: Lot) -> int | None:
        return obj.quota_of.number if obj.quota_of is not None else None


class DocumentOut(Schema):
    id: int
    title: str
    document_type: DocumentType
    filename: str
    content_type: str
    size: int = Field(description="Size in bytes.")
    sha256: str = Field(description="SHA-256 of the file's bytes, hexadecimal.")
    uploaded_at: dt.datetime
    amendment: int | None = Field(description="Number of the amendment that added it, if any.")
    url: str = Field(description="Where to download it (once the tender is published).")

    @staticmethod
    def resolve_amendment(obj: TenderDocument) -> int | None:
        return obj.amendment.number if obj.amendment_id and obj.amendment else None

    @staticmethod
    def resolve_url(obj: TenderDocument, context: dict[str, Any] | None = None) -> str:
        return _absolute(
            context, "tender_document_download", tender_id=obj.tender_id, document_id=obj.pk
        )


class QuestionOut(Schema):
    """A clarification question and its answer; who asked is never published."""

    id: int
    number: int
    lot: int | None = Field(description="Number of the lot it is about, if any.")
    text: str
    asked_at: dt.datetime
    answer: str = Field(description="Empty until the buyer answers.")
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_lot(obj: Question) -> int | None:
        return obj.lot.number if obj.lot_id and obj.lot else None


class AmendmentOut(Schema):
    number: int
    reason: str
    changes: dict[str, Any] = Field(description="Each changed field: [before, after].")
    changes_offer: bool = Field(description="Whether it changes what bidders must offer.")
    previous_deadline: dt.datetime
    new_deadline: dt.datetime
    created_at: dt.datetime


class TenderSummaryOut(Schema):
    id: int
    ocid: str | None = Field(description="Open contracting id of the tender's process.")
    reference: str = Field(description="The buyer's own reference.")
    title: str
    status: TenderStatus
    method: Method
    category: Category
    language: ContentLanguage = Field(description="The language the tender is written in.")
    estimated_value: Decimal
    currency: Currency
    buyer: BuyerRefOut
    enquiry_end: dt.datetime = Field(description="Questions are accepted until then.")
    submission_deadline: dt.datetime
    opening_at: dt.datetime
    published_at: dt.datetime | None
    url: str = Field(description="This tender in the API.")

    @staticmethod
    def resolve_url(obj: Tender, context: dict[str, Any] | None = None) -> str:
        return _absolute(context, "tender_detail", tender_id=obj.pk)


class CriterionOut(Schema):
    """One weighted award criterion; every lot's bids are scored against it."""

    position: int = Field(description="1, 2, …: the criterion's place in the list.")
    name: str
    description: str
    kind: CriterionKind = Field(
        description="price: scored by the price formula; quality: by the evaluation committee."
    )
    weight: int = Field(description="Points; the weights of a tender add up to 100.")


_PRICE_SCORING = (
    "With weighted criteria, how the price criterion's points are computed: proportional "
    "(W × L ÷ P) or linear (W × (1 − (P − L) ÷ L), at least 0), where W is the price "
    "criterion's weight, L the lowest compliant price of the lot and P the bid's price. Null "
    "with lowest price."
)


class TenderDetailOut(TenderSummaryOut):
    description: str
    award_criteria: AwardCriteria = Field(
        description="priceOnly: the lowest compliant price wins each lot; ratedCriteria: the "
        "most points by the weighted `criteria`."
    )
    price_scoring: PriceScoring | None = Field(description=_PRICE_SCORING)
    price_formula: str | None = Field(
        description="The price formula in words, in the request's language (null with lowest "
        "price)."
    )
    criteria: list[CriterionOut] = Field(
        description="The weighted criteria, in order (empty with lowest price)."
    )
    award_criteria_details: str = Field(
        description="The buyer's notes on the evaluation (e.g. how ties are broken)."
    )
    closed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancellation_reason: str
    rule_pack: str = Field(
        description="The country rule pack version the tender was published under "
        "(CODE@VERSION, e.g. BR@2026.1); empty for a draft. Never changes after publication."
    )
    subcontracting_share: int | None = Field(
        description="The percent of the contract's value the winner must subcontract to "
        "smaller firms, where the rule pack lets the buyer require it; null: none."
    )
    undivided_reason: str = Field(
        description="Why a single-lot tender is not divided into lots (public)."
    )
    lots: list[LotOut]
    documents: list[DocumentOut]
    questions: list[QuestionOut]
    amendments: list[AmendmentOut]

    @staticmethod
    def resolve_questions(obj: Tender) -> list[Question]:
        return list(questions_public(tender=obj))

    @staticmethod
    def resolve_price_scoring(obj: Tender) -> str | None:
        return obj.price_scoring or None

    @staticmethod
    def resolve_price_formula(obj: Tender) -> str | None:
        return price_formula_text(obj.price_scoring) if obj.price_scoring else None

    @staticmethod
    def resolve_criteria(obj: Tender) -> list[AwardCriterion]:
        return list(obj.criteria.all())


class BuyerTenderOut(TenderSummaryOut):
    """A tender in the buyer's own list, drafts included."""

    unanswered_questions: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_unanswered_questions(obj: Any) -> int:
        return int(obj.unanswered)

    @staticmethod
    def resolve_url(obj: Tender, context: dict[str, Any] | None = None) -> str:
        return _absolute(context, "buyer_tender_detail", tender_id=obj.pk)


class BuyerTenderDetailOut(TenderDetailOut):
    """Everything about one of the buyer's tenders, drafts included."""

    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_url(obj: Tender, context: dict[str, Any] | None = None) -> str:
        return _absolute(context, "buyer_tender_detail", tender_id=obj.pk)


class TenderPublishOut(Schema):
    """The outcome of publishing: the tender is public and closes by itself at the deadline."""

    id: int
    ocid: str | None
    status: TenderStatus
    published_at: dt.datetime
    submission_deadline: dt.datetime = Field(description="When the tender closes by itself.")
    url: str = Field(description="The tender as the public reads it.")

    @staticmethod
    def resolve_url(obj: Tender, context: dict[str, Any] | None = None) -> str:
        return _absolute(context, "tender_detail", tender_id=obj.pk)


class TenderCancelOut(Schema):
    """The outcome of a cancellation."""

    id: int
    status: TenderStatus
    cancelled_at: dt.datetime
    cancellation_reason: str
    url: str = Field(description="The tender in the buyer's view.")

    @staticmethod
    def resolve_url(obj: Tender, context: dict[str, Any] | None = None) -> str:
        return _absolute(context, "buyer_tender_detail", tender_id=obj.pk)


# ---------------------------------------------------------------------------------------------
# inputs


class ItemIn(Schema):
    description: str = Field(min_length=1, max_length=500)
    classification_scheme: ClassificationScheme
    classification_code: str = Field(
        min_length=1, max_length=16, description="e.g. CPV 30213000-5 or UNSPSC 43211902."
    )
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=3)
    unit: str = Field(min_length=1, max_length=40, description="e.g. unit, box, hour.")

    def to_data(self) -> ItemData:
        """The service's item."""
        return ItemData(
            description=self.description,
            classification_scheme=self.classification_scheme,
            classification_code=self.classification_code,
            quantity=self.quantity,
            unit=self.unit,
        )


class LotIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=DESCRIPTION_MAX_LENGTH)
    estimated_value: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    items: list[ItemIn] = Field(default_factory=list, max_length=MAX_ITEMS)
    reserved: bool | None = Field(
        None,
        description="Reserve the lot for smaller firms, where the rule pack lets the buyer "
        "choose (may). Null: as the pack says. Refused against the pack: false for a lot it "
        "must reserve, true for one it does not provide for.",
    )
    limit_to_local: bool | None = Field(
        None, description="Limit the reserved lot to local suppliers, where the pack allows it."
    )
    msme_requests: int = Field(
        0,
        ge=0,
        le=LOT_COUNT_LIMIT,
        description="How many eligible smaller firms asked for a limited call (Colombia).",
    )
    expected_small_offers: int | None = Field(
        None,
        ge=0,
        le=LOT_COUNT_LIMIT,
        description="How many smaller firms market research expects to offer at a fair price "
        "(the United States' rule of two); null when unknown.",
    )
    quota_of: int | None = Field(
        None,
        ge=1,
        le=LOT_COUNT_LIMIT,
        description="Make this lot the quota of divisible goods of the lot with this number, "
        "reserved for smaller firms, where the rule pack provides one (Brazil: up to 25%). "
        "In a new tender, the main lot comes before its quota. Null: an ordinary lot.",
    )

    def to_data(self) -> LotData:
        """The service's lot, with its items."""
        return LotData(
            title=self.title,
            description=self.description,
            estimated_value=self.estimated_value,
            items=[item.to_data() for item in self.items],
            reserved=self.reserved,
            limit_to_local=self.limit_to_local,
            msme_requests=self.msme_requests,
            expected_small_offers=self.expected_small_offers,
            quota_of=self.quota_of,
        )


class CriterionIn(Schema):
    """One weighted award criterion."""

    name: str = Field(min_length=1, max_length=CRITERION_NAME_MAX_LENGTH)
    description: str = Field("", max_length=CRITERION_DESCRIPTION_MAX_LENGTH)
    kind: CriterionKind = Field(
        description="price (exactly one criterion, scored by `price_scoring`) or quality "
        "(scored by the evaluation committee)."
    )
    weight: int = Field(ge=1, le=CRITERIA_TOTAL_WEIGHT, description="Points, 1 to 100.")

    def to_data(self) -> CriterionData:
        """The service's criterion."""
        return CriterionData(
            name=self.name, description=self.description, kind=self.kind, weight=self.weight
        )


_CRITERIA_IN = (
    "With `award_criteria` ratedCriteria: the price criterion and at least one quality "
    "criterion, names used once, weights adding up to exactly 100. Empty with priceOnly."
)


_SUBCONTRACTING = (
    "The percent of the contract's value the winner must subcontract to smaller firms, where "
    "the rule pack lets the buyer require it (Brazil: up to 30%); checked at publication."
)
_UNDIVIDED = (
    "Divide or explain: why the tender is not divided into lots. Publication needs it for a "
    "single-lot tender above the rule pack's threshold; published with the tender."
)


class TenderCreateIn(Schema):
    """A new draft, with its lots and items in one body."""

    reference: str = Field(min_length=1, max_length=64, description="The buyer's own reference.")
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(min_length=1, max_length=DESCRIPTION_MAX_LENGTH)
    language: ContentLanguage = ContentLanguage.ES
    method: Method
    category: Category
    estimated_value: Decimal = Field(ge=0, max_digits=18, decimal_places=2)
    currency: Currency
    award_criteria: AwardCriteria = AwardCriteria.PRICE_ONLY
    price_scoring: PriceScoring | None = Field(
        None, description="Required with ratedCriteria: " + _PRICE_SCORING
    )
    criteria: list[CriterionIn] = Field(
        default_factory=list, max_length=CRITERIA_MAX, description=_CRITERIA_IN
    )
    award_criteria_details: str = Field(
        "",
        max_length=DESCRIPTION_MAX_LENGTH,
        description="Notes on the evaluation, published with the criteria.",
    )
    undivided_reason: str = Field("", max_length=DESCRIPTION_MAX_LENGTH, description=_UNDIVIDED)
    subcontracting_share: int | None = Field(None, ge=1, le=100, description=_SUBCONTRACTING)
    enquiry_end: AwareDatetime
    submission_deadline: AwareDatetime
    opening_at: AwareDatetime
    lots: list[LotIn] = Field(default_factory=list, max_length=MAX_LOTS)

    def to_data(self) -> TenderData:
        """The service's draft."""
        return TenderData(
            reference=self.reference,
            title=self.title,
            description=self.description,
            language=self.language,
            method=self.method,
            category=self.category,
            estimated_value=self.estimated_value,
            currency=self.currency,
            award_criteria=self.award_criteria,
            price_scoring=self.price_scoring or "",
            criteria=[criterion.to_data() for criterion in self.criteria],
            award_criteria_details=self.award_criteria_details,
            undivided_reason=self.undivided_reason,
            subcontracting_share=self.subcontracting_share,
            enquiry_end=self.enquiry_end,
            submission_deadline=self.submission_deadline,
            opening_at=self.opening_at,
            lots=[lot.to_data() for lot in self.lots],
        )


class TenderUpdateIn(Schema):
    """Changes to a draft. Omitted fields keep their value; `lots` and `criteria`, when given,
    replace all. The award criteria are checked as a whole: switching to ratedCriteria needs
    `price_scoring` and `criteria` (in the same body unless the draft has them); priceOnly
    drops them."""

    reference: str | None = Field(None, min_length=1, max_length=64)
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, min_length=1, max_length=DESCRIPTION_MAX_LENGTH)
    language: ContentLanguage | None = None
    method: Method | None = None
    category: Category | None = None
    estimated_value: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    currency: Currency | None = None
    award_criteria: AwardCriteria | None = None
    price_scoring: PriceScoring | None = Field(None, description=_PRICE_SCORING)
    criteria: list[CriterionIn] | None = Field(
        None, max_length=CRITERIA_MAX, description=_CRITERIA_IN
    )
    award_criteria_details: str | None = Field(None, max_length=DESCRIPTION_MAX_LENGTH)
    undivided_reason: str | None = Field(
        None, max_length=DESCRIPTION_MAX_LENGTH, description=_UNDIVIDED
    )
    subcontracting_share: int | None = Field(
        None, ge=0, le=100, description=_SUBCONTRACTING + " 0 removes the requirement."
    )
    enquiry_end: AwareDatetime | None = None
    submission_deadline: AwareDatetime | None = None
    opening_at: AwareDatetime | None = None
    lots: list[LotIn] | None = Field(None, max_length=MAX_LOTS)

    def to_changes(self) -> TenderChanges:
        """The service's partial change: only the fields sent (null counts as not sent), to
        be laid over the tender as it is when the change is applied."""
        return TenderChanges(
            reference=self.reference,
            title=self.title,
            description=self.description,
            language=self.language,
            method=self.method,
            category=self.category,
            estimated_value=self.estimated_value,
            currency=self.currency,
            award_criteria=self.award_criteria,
            price_scoring=self.price_scoring,
            criteria=_criteria_data(self.criteria),
            award_criteria_details=self.award_criteria_details,
            undivided_reason=self.undivided_reason,
            subcontracting_share=self.subcontracting_share,
            enquiry_end=self.enquiry_end,
            submission_deadline=self.submission_deadline,
            opening_at=self.opening_at,
            lots=None if self.lots is None else [lot.to_data() for lot in self.lots],
        )


class DocumentIn(Schema):
    """The form fields sent with a document upload (multipart/form-data)."""

    title: str = Field(min_length=1, max_length=300)
    document_type: DocumentType = DocumentType.BIDDING_DOCUMENTS


class CancelIn(Schema):
    reason: str = Field(
        min_length=1,
        max_length=REASON_MAX_LENGTH,
        description="Why; bidders and the public read it.",
    )


def _criteria_data(criteria: list[CriterionIn] | None) -> list[CriterionData] | None:
    return None if criteria is None else [criterion.to_data() for criterion in criteria]


class AmendIn(Schema):
    """What an amendment changes; omitted fields stay as they are. The award criteria
    (`award_criteria`, `price_scoring`, `criteria`, `award_criteria_details`) may change only if
    the amendment moves the bid deadline later (422 otherwise)."""

    reason: str = Field(
        min_length=1, max_length=REASON_MAX_LENGTH, description="Why; published with it."
    )
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, min_length=1, max_length=DESCRIPTION_MAX_LENGTH)
    estimated_value: Decimal | None = Field(None, ge=0, max_digits=18, decimal_places=2)
    award_criteria: AwardCriteria | None = None
    price_scoring: PriceScoring | None = Field(None, description=_PRICE_SCORING)
    criteria: list[CriterionIn] | None = Field(
        None, max_length=CRITERIA_MAX, description=_CRITERIA_IN
    )
    award_criteria_details: str | None = Field(None, max_length=DESCRIPTION_MAX_LENGTH)
    enquiry_end: AwareDatetime | None = None
    submission_deadline: AwareDatetime | None = None
    opening_at: AwareDatetime | None = None

    def to_data(self) -> AmendmentData:
        """The service's amendment (documents are added to drafts, not through this body)."""
        return AmendmentData(
            reason=self.reason,
            title=self.title,
            description=self.description,
            estimated_value=self.estimated_value,
            award_criteria=self.award_criteria,
            price_scoring=self.price_scoring,
            criteria=_criteria_data(self.criteria),
            award_criteria_details=self.award_criteria_details,
            enquiry_end=self.enquiry_end,
            submission_deadline=self.submission_deadline,
            opening_at=self.opening_at,
        )


class QuestionIn(Schema):
    text: str = Field(min_length=1, max_length=QUESTION_MAX_LENGTH)
    lot: int | None = Field(None, ge=1, description="Number of the lot it is about, if any.")


class AnswerIn(Schema):
    answer: str = Field(
        min_length=1, max_length=ANSWER_MAX_LENGTH, description="Published with the question."
    )


# ---------------------------------------------------------------------------------------------
# the opening committee (snake_case, as the rest of this API; the same committee in the tender's
# OCDS release, `tender.openingCommittee`, spells its fields in camelCase, as OCDS does)

_PUBLIC_KEY = "The X25519 public key: 32 bytes in base64url without padding."
_FINGERPRINT = "SHA-256 of the raw public key, lowercase hexadecimal."


class CommitteeKeyIn(Schema):
    public_key: str = Field(
        min_length=1,
        max_length=100,
        description=_PUBLIC_KEY + " Only the public key: the private key never leaves your device.",
    )


class CommitteeKeyOut(Schema):
    """A committee member's opening key, registered for the organization they act for."""

    id: int
    organization: int = Field(description="The buyer (organization id) the key is for.")
    public_key: str = Field(description=_PUBLIC_KEY)
    fingerprint: str = Field(description=_FINGERPRINT)
    created_at: dt.datetime

    @staticmethod
    def resolve_organization(obj: CommitteeKey) -> int:
        return int(obj.organization_id)

    @staticmethod
    def resolve_public_key(obj: CommitteeKey) -> str:
        return public_key_encode(bytes(obj.public_key))


class CommitteeIn(Schema):
    """A draft's opening committee: its members in order, and how many are needed."""

    members: list[int] = Field(
        min_length=1,
        max_length=COMMITTEE_MAX_MEMBERS,
        description="User ids of committee members of the buyer, each with an active opening "
        "key, in the order of their positions (1, 2, …).",
    )
    threshold: int = Field(
        ge=1,
        le=COMMITTEE_MAX_MEMBERS,
        description="How many members must hand in their shares to open the bids (k, at most "
        "the number of members; fewer than all, so that one absence does not block the "
        "opening).",
    )


class CommitteeMemberOut(Schema):
    position: int = Field(description="1..n: the order of the shares in every sealed bid.")
    public_key: str = Field(description=_PUBLIC_KEY)
    fingerprint: str = Field(description=_FINGERPRINT)

    @staticmethod
    def resolve_public_key(obj: CommitteeMember) -> str:
        return public_key_encode(bytes(obj.public_key))


class CommitteeOut(Schema):
    """A published tender's opening committee: what bidders encrypt their shares to."""

    threshold: int = Field(description="How many members are needed to open the bids.")
    members: list[CommitteeMemberOut]

    @staticmethod
    def resolve_threshold(obj: Tender) -> int:
        return int(obj.opening_threshold or 0)

    @staticmethod
    def resolve_members(obj: Tender) -> list[CommitteeMember]:
        return committee_of(tender=obj)


class BuyerCommitteeMemberOut(CommitteeMemberOut):
    user: int = Field(description="The member's user id.")
    name: str = Field(description="The member's name (never published).")

    @staticmethod
    def resolve_user(obj: CommitteeMember) -> int:
        return int(obj.user_id)

    @staticmethod
    def resolve_name(obj: CommitteeMember) -> str:
        return str(obj.user)


class BuyerCommitteeOut(CommitteeOut):
    """The committee as the buyer named it, with who its members are."""

    members: list[BuyerCommitteeMemberOut]  # type: ignore[assignment]
