"""Schemas of the plans API: published plans and their public lines (snake_case, like the rest
of /api/v1). They carry what the `planning` releases publish and nothing more: never a draft
plan or line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from pregon.core.api_pagination import MAX_ID
from pregon.core.procurement import Category, ClassificationScheme, Method
from pregon.planning.choices import PlanLineStatus, Quarter
from pregon.planning.models import Plan, PlanLine
from pregon.publication.mapping import absolute_url


class PlanLinesIn(Schema):
    """The filters of the lines; every one is optional."""

    code: str = Field(
        "",
        max_length=16,
        description=(
            "A classification code or its first digits: the lines classified under it or any "
            "code below it (`45` construction work, `30213000-5` personal computers)."
        ),
    )
    scheme: ClassificationScheme | None = Field(None, description="The classification scheme.")
    region: str = Field("", max_length=100, description="The buyer's region, as on its address.")
    buyer: int | None = Field(None, ge=1, le=MAX_ID, description="The buyer organization's id.")
    year: int | None = Field(None, ge=1, le=9999, description="The plan's year.")
    coming_soon: bool = Field(
        False,
        description="Only the lines published that no tender or quick quote follows yet.",
    )


class PlansIn(Schema):
    buyer: int | None = Field(None, ge=1, le=MAX_ID, description="The buyer organization's id.")
    year: int | None = Field(None, ge=1, le=9999, description="The plan's year.")


class PlanBuyerOut(Schema):
    id: int
    name: str
    country: str
    region: str


class PlanClassificationOut(Schema):
    scheme: ClassificationScheme
    code: str


class PlanFollowerOut(Schema):
    kind: str = Field(description="What follows the line: `tender` or `quick-quote`.")
    reference: str
    title: str
    url: str = Field(description="Its public page.")


class PlanLineOut(Schema):
    id: int
    ocid: str = Field(description="The line's contracting process in the open data.")
    plan: int = Field(description="The plan's id.")
    year: int
    buyer: PlanBuyerOut
    number: int = Field(description="The line's number in its plan.")
    description: str
    classification: PlanClassificationOut
    estimated_value: Decimal
    currency: str
    quarter: Quarter = Field(description="The quarter the procurement is expected to start.")
    method: Method
    category: Category
    reserved: bool = Field(description="The buyer means to reserve it for MSMEs.")
    status: PlanLineStatus = Field(
        description="`published` (coming soon), `followed` (a procurement follows it) or "
        "`withdrawn`."
    )
    published_at: dt.datetime
    withdrawal_reason: str
    url: str = Field(description="Its public page.")

    @staticmethod
    def resolve_plan(obj: PlanLine) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_year(obj: PlanLine) -> int:
        return obj.plan.year

    @staticmethod
    def resolve_buyer(obj: PlanLine) -> dict[str, object]:
        buyer = obj.plan.buyer
        return {
            "id": buyer.pk,
            "name": buyer.display_name,
            "country": str(buyer.country),
            "region": buyer.region,
        }

    @staticmethod
    def resolve_classification(obj: PlanLine) -> dict[str, str]:
        return {"scheme": obj.classification_scheme, "code": obj.classification_code}

    @staticmethod
    def resolve_url(obj: PlanLine) -> str:
        return absolute_url(obj.get_absolute_url())


class PlanLineDetailOut(PlanLineOut):
    follower: PlanFollowerOut | None = Field(
        description="The tender or quick quote that follows it."
    )


class PlanOut(Schema):
    id: int
    year: int
    title: str
    description: str
    language: str
    buyer: PlanBuyerOut
    published_at: dt.datetime
    public_lines: int = Field(description="How many lines the public sees.")
    coming_soon: int = Field(description="How many of them nothing follows yet.")
    url: str = Field(description="Its public page.")

    @staticmethod
    def resolve_buyer(obj: Plan) -> dict[str, object]:
        buyer = obj.buyer
        return {
            "id": buyer.pk,
            "name": buyer.display_name,
            "country": str(buyer.country),
            "region": buyer.region,
        }

    @staticmethod
    def resolve_url(obj: Plan) -> str:
        return absolute_url(obj.get_absolute_url())
