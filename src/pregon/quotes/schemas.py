"""Schemas of the quick quotes API (snake_case, like the rest of /api/v1).

They carry what the open data publishes: never a draft, and the quotes only once the quick
quote has closed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from pregon.publication.mapping import absolute_url
from pregon.quotes.choices import QuickQuoteStatus, QuoteStatus, Restriction
from pregon.quotes.models import QuickQuote, Quote
from pregon.quotes.selectors import quotes_public


class QuickQuoteItemOut(Schema):
    number: int
    description: str
    classification_scheme: str
    classification_code: str
    quantity: Decimal
    unit: str


class PublicQuoteOut(Schema):
    supplier: str = Field(description="The supplier's name.")
    price: Decimal
    delivery_date: dt.date
    note: str
    chosen: bool

    @staticmethod
    def resolve_supplier(obj: Quote) -> str:
        return obj.supplier.display_name

    @staticmethod
    def resolve_chosen(obj: Quote) -> bool:
        return obj.quick_quote.chosen_id == obj.pk


class QuickQuoteOut(Schema):
    id: int
    reference: str
    ocid: str
    title: str
    description: str
    language: str
    buyer: str = Field(description="The buyer's name.")
    category: str
    currency: str
    estimated_value: Decimal
    delivery_place: str
    delivery_date: dt.date
    closes_at: dt.datetime
    status: QuickQuoteStatus
    restriction: Restriction = Field(description="`eligible`: only the suppliers the rules name.")
    rule_pack: str = Field(description="The country rule pack version it follows (CODE@VERSION).")
    rule_key: str
    min_quotes: int = Field(description="The quotes it needs to go on to an order.")
    ocds_method: str = Field(description="Its OCDS procurementMethod: `limited` or `direct`.")
    published_at: dt.datetime
    closed_at: dt.datetime | None
    items: list[QuickQuoteItemOut]
    quotes: list[PublicQuoteOut] = Field(description="Its standing quotes, once it has closed.")
    choice_reason: str
    url: str

    @staticmethod
    def resolve_buyer(obj: QuickQuote) -> str:
        return obj.buyer.display_name

    @staticmethod
    def resolve_items(obj: QuickQuote) -> list[object]:
        return list(obj.items.all())

    @staticmethod
    def resolve_quotes(obj: QuickQuote) -> list[Quote]:
        return quotes_public(obj)

    @staticmethod
    def resolve_url(obj: QuickQuote) -> str:
        return absolute_url(obj.get_absolute_url())


class QuoteIn(Schema):
    price: Decimal = Field(
        description="The price for everything asked, in the quick quote's currency."
    )
    delivery_date: dt.date
    note: str = ""


class QuoteOut(Schema):
    id: int
    quick_quote: int
    price: Decimal
    delivery_date: dt.date
    note: str
    status: QuoteStatus
    submitted_at: dt.datetime

    @staticmethod
    def resolve_quick_quote(obj: Quote) -> int:
        return obj.quick_quote_id
