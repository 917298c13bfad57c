"""The search API's input and output."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from pregon.core.api_pagination import MAX_LIMIT, MAX_OFFSET
from pregon.core.time_zones import UtcMoment
from pregon.search.selectors import ORDERS, SearchQuery


class SearchIn(Schema):
    """The query parameters of `/search`: the words and the facet filters, all optional."""

    q: str = Field(
        "",
        max_length=500,
        description="Words to find, in any of the four languages, or a process's reference"
        " (the buyer's, or its ocid), which comes first.",
    )
    classification: str = Field(
        "", max_length=20, description="A classification code; its descendants match too."
    )
    scheme: str = Field("", max_length=20, description="The classification's scheme (CPV, UNSPSC).")
    buyer: str = Field("", max_length=200, description="The buyer's party id.")
    country: str = Field("", max_length=2, description="The buyer's country (ISO 3166-1 alpha-2).")
    region: str = Field("", max_length=200, description="The buyer's region.")
    method: str = Field("", max_length=50, description="OCDS procurementMethod.")
    category: str = Field("", max_length=50, description="OCDS mainProcurementCategory.")
    status: str = Field("", max_length=50, description="OCDS tender status.")
    language: str = Field("", max_length=8, description="The release language (en, es, pt, fr).")
    value_min: Decimal | None = Field(None, ge=0, description="Least estimated value.")
    value_max: Decimal | None = Field(None, ge=0, description="Greatest estimated value.")
    reserved_msme: bool | None = Field(None, description="Reserved for MSMEs.")
    closing_after: UtcMoment | None = Field(None, description="Closing at or after.")
    closing_before: UtcMoment | None = Field(None, description="Closing at or before.")
    order: str = Field(
        "relevance", pattern="^(" + "|".join(ORDERS) + ")$", description="Result order."
    )
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description="How many results to return.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many results to skip.")

    def to_query(self) -> SearchQuery:
        return SearchQuery(
            text=self.q,
            classification=self.classification,
            scheme=self.scheme,
            buyer=self.buyer,
            country=self.country.upper(),
            region=self.region,
            method=self.method,
            category=self.category,
            status=self.status,
            language=self.language[:2].lower(),
            value_min=self.value_min,
            value_max=self.value_max,
            reserved_msme=self.reserved_msme,
            closing_after=self.closing_after,
            closing_before=self.closing_before,
            order=self.order,
            offset=self.offset,
            limit=self.limit,
        )


class SearchHitOut(Schema):
    ocid: str
    title: str
    title_html: str = Field(description="The title as HTML, the matched words in <mark>.")
    snippet_html: str = Field(description="Text around the first match, as HTML with <mark>.")
    score: float
    buyer_id: str
    buyer_name: str
    country: str
    region: str
    method: str
    category: str
    status: str
    language: str
    value_amount: Decimal | None
    currency: str
    reserved_msme: bool
    closing_at: dt.datetime | None


class FacetCountOut(Schema):
    value: str
    count: int
    label: str


class SearchOut(Schema):
    count: int = Field(
        description="How many results match, over all pages; at least this many when"
        " `count_exact` is false (results are counted up to 10,000)."
    )
    count_exact: bool = Field(True, description="False when `count` is a lower bound.")
    fuzzy: bool = Field(
        description="True when the words matched nothing and these are the results of the"
        " indexed words most similar to them (misspellings)."
    )
    items: list[SearchHitOut]
    facets: dict[str, list[FacetCountOut]]
    facets_counted: int = Field(
        0,
        description="How many results the facet counts were counted among: all of them up to"
        " 1,000, else the 1,000 most recently indexed.",
    )


class SavedSearchIn(Schema):
    name: str = Field(max_length=120, description="A name the owner chooses, unique for them.")
    query: str = Field(
        "", max_length=2000, description="The search as a query string (q=…&method=…)."
    )


class SavedSearchOut(Schema):
    id: int
    name: str
    query: str
    created_at: dt.datetime
