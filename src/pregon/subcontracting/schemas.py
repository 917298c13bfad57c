"""Schemas of the subcontracting API: sub-opportunities (public: never who answered nor at
what price; only how many answers stand), and a supplier's own answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from pregon.core.procurement import ClassificationScheme
from pregon.publication.mapping import absolute_url
from pregon.subcontracting.choices import AnswerStatus, Reservation, SubOpportunityStatus
from pregon.subcontracting.models import SubOpportunity

MAX_ID = 10**18 - 1


class SubOpportunityFilterQuery(Schema):
    code: str = Field(
        "",
        max_length=16,
        description="Only those whose classification code starts with this (a CPV's check "
        "digit and trailing zeros are ignored: `45310000-3` finds `4531…`).",
    )
    reserved: Reservation | None = Field(
        None, description="`msme`: only those reserved for MSMEs; `open`: only those open to all."
    )
    tender: int | None = Field(None, ge=1, le=MAX_ID, description="Only those of this tender.")


class PosterOut(Schema):
    id: int
    name: str
    party_id: str = Field(description="Its id among the parties of published data.")


class SubOpportunityOut(Schema):
    id: int
    title: str
    description: str
    status: SubOpportunityStatus
    reserved: Reservation = Field(description="`msme`: only MSMEs may answer.")
    classification_scheme: ClassificationScheme | None
    classification_code: str
    estimated_value: Decimal
    currency: str
    closes_at: dt.datetime = Field(description="Answers are taken until this moment.")
    posted_at: dt.datetime
    posted_by: PosterOut
    tender: int | None = Field(description="The tender it is for (the poster is bidding).")
    contract: int | None = Field(description="The contract it is for (the poster holds it).")
    answers: int = Field(description="How many answers stand (not withdrawn).")
    url: str

    @staticmethod
    def resolve_classification_scheme(obj: SubOpportunity) -> str | None:
        return obj.classification_scheme or None

    @staticmethod
    def resolve_posted_by(obj: SubOpportunity) -> dict[str, object]:
        return {
            "id": obj.organization.pk,
            "name": obj.organization.display_name,
            "party_id": obj.organization.party_id,
        }

    @staticmethod
    def resolve_tender(obj: SubOpportunity) -> int | None:
        return obj.tender_id

    @staticmethod
    def resolve_contract(obj: SubOpportunity) -> int | None:
        return obj.contract_id

    @staticmethod
    def resolve_answers(obj: SubOpportunity) -> int:
        return int(getattr(obj, "answer_count", 0))

    @staticmethod
    def resolve_url(obj: SubOpportunity) -> str:
        return absolute_url(obj.get_absolute_url())


class SubAnswerIn(Schema):
    price: Decimal = Field(
        gt=0, max_digits=18, decimal_places=2, description="In the sub-opportunity's currency."
    )
    note: str = Field("", max_length=4000)


class SubAnswerOut(Schema):
    id: int
    sub_opportunity: int
    price: Decimal
    currency: str
    note: str
    scale: str = Field(description="Your organization's scale when it answered.")
    status: AnswerStatus
    submitted_at: dt.datetime

    @staticmethod
    def resolve_sub_opportunity(obj: object) -> int:
        return int(obj.opportunity_id)  # type: ignore[attr-defined]
