"""Fixtures of the quick quotes' tests: a Chilean buyer's official, suppliers of each size,
and factories of quick quotes in each state, built through the services at chosen moments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.organizations.models import Organization
from pregon.quotes import services
from pregon.quotes.models import QuickQuote, Quote
from pregon.quotes.services import ItemData, QuickQuoteData, QuoteData
from tests import factories
from tests.organizations.evidence import give_evidence

#: The moment every quick quote of these tests is drafted and published (a Monday, 10:00 in
#: Santiago).
T0 = dt.datetime(2026, 3, 2, 13, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _site(settings: Any, tmp_path: Any) -> None:
    settings.PREGON_DATA_DIR = tmp_path / "data"
    settings.SITE_URL = "https://compras.example.org"


def quick_quote_data(**changes: Any) -> QuickQuoteData:
    """A Chilean purchase of CLP 1,200,000 (well under 100 UTM), closing 3 days after T0."""
    values: dict[str, Any] = {
        "title": "Resmas de papel y tóner",
        "description": "Para la oficina de partes.",
        "language": "es",
        "category": "goods",
        "currency": "CLP",
        "estimated_value": Decimal("1200000"),
        "delivery_place": "Teatinos 120, Santiago",
        "delivery_date": dt.date(2026, 3, 16),
        "closes_at": T0 + dt.timedelta(days=3),
        "items": [
            ItemData(
                description="Resmas de papel carta",
                classification_scheme="UNSPSC",
                classification_code="43211902",
                quantity=Decimal("50"),
                unit="resmas",
            )
        ],
    }
    values.update(changes)
    return QuickQuoteData(**values)


def draft_quick_quote(actor: Actor, buyer: Organization, **changes: Any) -> QuickQuote:
    with clock.at(T0):
        return services.quick_quote_create(
            actor=actor, buyer=buyer, data=quick_quote_data(**changes)
        )


def open_quick_quote(actor: Actor, buyer: Organization, **changes: Any) -> QuickQuote:
    quick_quote = draft_quick_quote(actor, buyer, **changes)
    with clock.at(T0 + dt.timedelta(minutes=5)):
        return services.quick_quote_publish(actor=actor, quick_quote=quick_quote)


def supplier_with_actor(*, evidence: bool = True, **fields: Any) -> tuple[Organization, Actor]:
    """A supplier and the actor of its person; registered once (documents current, scale
    verified, as an order needs) unless `evidence` is False."""
    supplier = factories.SupplierFactory(**fields)
    user = factories.member(supplier, "supplier_user")
    actor = factories.actor_for(user, supplier)
    if evidence:
        give_evidence(supplier, actor=actor)
    return supplier, actor


def quote_on(
    quick_quote: QuickQuote, actor: Actor, price: str, *, at: dt.datetime | None = None
) -> Quote:
    assert actor.organization is not None
    with clock.at(at or T0 + dt.timedelta(hours=2)):
        return services.quote_submit(
            actor=actor,
            quick_quote=quick_quote,
            supplier=actor.organization,
            data=QuoteData(price=Decimal(price), delivery_date=dt.date(2026, 3, 12), note="Stock"),
        )


def close(quick_quote: QuickQuote) -> QuickQuote:
    with clock.at(quick_quote.closes_at + dt.timedelta(minutes=1)):
        services.quick_quote_close_if_due(quick_quote_id=quick_quote.pk)
    return QuickQuote.objects.get(pk=quick_quote.pk)


def closed_lowest_without_evidence(
    open_qq: QuickQuote,
) -> tuple[QuickQuote, tuple[Organization, Actor]]:
    """Closed with three quotes, the lowest (990,000) from a supplier that has given no
    evidence yet; returns the quick quote and that supplier with its actor."""
    bare = supplier_with_actor(evidence=False)
    quote_on(open_qq, bare[1], "990000")
    for _supplier, actor in (supplier_with_actor(), supplier_with_actor()):
        quote_on(open_qq, actor, "1100000")
    return close(open_qq), bare


@pytest.fixture
def draft_qq(official_actor: Actor, buyer: Organization) -> QuickQuote:
    return draft_quick_quote(official_actor, buyer)


@pytest.fixture
def open_qq(official_actor: Actor, buyer: Organization) -> QuickQuote:
    return open_quick_quote(official_actor, buyer)


@pytest.fixture
def three_suppliers() -> list[tuple[Organization, Actor]]:
    """Three small Chilean suppliers."""
    return [supplier_with_actor() for _ in range(3)]


@pytest.fixture
def closed_qq(open_qq: QuickQuote, three_suppliers: list[tuple[Organization, Actor]]) -> QuickQuote:
    """Closed with three quotes: 1,000,000, 1,100,000 and 1,150,000."""
    for (_supplier, actor), price in zip(
        three_suppliers, ("1000000", "1100000", "1150000"), strict=True
    ):
        quote_on(open_qq, actor, price)
    return close(open_qq)
