"""What the quick quotes' services take: typed values that pages, the API and commands fill in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(kw_only=True)
class ItemData:
    """One thing asked for: what, its classification code, how many of what unit."""

    description: str
    classification_scheme: str
    classification_code: str
    quantity: Decimal
    unit: str


@dataclass(kw_only=True)
class QuickQuoteData:
    """A quick quote's fields. `closes_at` is an aware moment; `restricted` is the buyer's
    choice where the pack lets it choose whether only smaller or local suppliers may quote
    (None: as the pack prefers)."""

    title: str
    category: str
    currency: str
    estimated_value: Decimal
    delivery_place: str
    delivery_date: dt.date
    closes_at: dt.datetime
    items: list[ItemData] = field(default_factory=list)
    description: str = ""
    language: str = "es"
    restricted: bool | None = None


@dataclass(kw_only=True)
class QuoteData:
    """A supplier's quote: its price for everything asked, its delivery date, a short note."""

    price: Decimal
    delivery_date: dt.date
    note: str = ""
