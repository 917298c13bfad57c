"""The quick-quote and subcontracting figures, on a small world of their own computed by hand:
two quick-quote orders (a micro firm's and a medium firm's: Chile's admit only MSMEs) beside a tender's contract, and three
subcontracts recorded on contracts of two buyers, one before the period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.figures.filters import Filters, filters_parse
from pregon.figures.metrics import quick_quote_share, subcontracting_share
from pregon.organizations.models import Organization
from pregon.quotes import services as quotes
from pregon.subcontracting.models import Subcontract
from tests import factories
from tests.figures.world import at, contract
from tests.quotes.conftest import close, open_quick_quote, quote_on, supplier_with_actor

D = Decimal
pytestmark = pytest.mark.django_db


def counts(table: Any) -> dict[str, tuple[int, Decimal | None]]:
    return {row["group"]: (row["count"], row["share"]) for row in table.rows}


def _order(official: Actor, buyer: Organization, winner_scale: str, price: str) -> None:
    """A quick quote of `buyer` quoted by three small firms and one of `winner_scale`, which
    quotes `price` (the lowest) and receives the order."""
    quick_quote = open_quick_quote(official, buyer)
    for _ in range(2):
        quote_on(quick_quote, supplier_with_actor(scale="small")[1], "1150000")
    _winner, actor = supplier_with_actor(scale=winner_scale)
    quote = quote_on(quick_quote, actor, price)
    closed = close(quick_quote)
    with clock.at(closed.closes_at + dt.timedelta(hours=2)):
        quotes.quick_quote_pick(actor=official, quick_quote=closed, quote=quote)
        quotes.quick_quote_order(actor=official, quick_quote=closed, signatory="Ana Pérez")


def test_quick_quote_orders_by_the_winners_size(official_actor: Actor, buyer: Any) -> None:
    _order(official_actor, buyer, "micro", "900000")
    _order(official_actor, buyer, "medium", "1000000")
    # A tender's contract is no quick-quote order.
    contract(buyer, factories.SupplierFactory(scale="micro"), "500.00", "CLP", at(2026, 3, 2))
    table = counts(quick_quote_share(filters=Filters()))
    assert table["micro"] == (1, D("50.0"))
    assert table["medium"] == (1, D("50.0"))
    assert table["small"] == (0, D("0.0"))
    assert table["large"] == (0, D("0.0"))
    assert table["msme"] == (2, D("100.0"))
    assert table["all"] == (2, D("100.0"))
    elsewhere = counts(quick_quote_share(filters=filters_parse(country="BR")))
    assert elsewhere["all"] == (0, None)


def _subcontract(on: Any, subcontractor: Organization, value: str, scale: str, when: Any) -> None:
    Subcontract.objects.create(
        contract=on,
        prime=on.supplier,
        subcontractor=subcontractor,
        number=Subcontract.objects.filter(contract=on).count() + 1,
        description="Transporte",
        value=D(value),
        currency=on.currency,
        scale=scale,
        recorded_at=when,
    )


def test_the_value_subcontracted_by_the_subcontractors_size_when_recorded(buyer: Any) -> None:
    other = factories.BuyerFactory(country="BR")
    prime = factories.SupplierFactory(scale="large")
    chile = contract(buyer, prime, "1000.00", "CLP", at(2026, 2, 1))
    brazil = contract(other, prime, "800.00", "BRL", at(2026, 2, 1))
    # The micro firm has grown since: the figure reads the scale recorded with the subcontract.
    grown = factories.SupplierFactory(scale="medium")
    coop = factories.SupplierFactory(scale="small", is_cooperative=True)
    _subcontract(chile, grown, "150.00", "micro", at(2026, 3, 1))
    _subcontract(chile, coop, "250.00", "small", at(2026, 4, 1))
    _subcontract(brazil, grown, "100.00", "micro", at(2025, 12, 1))

    rows = {
        (row["currency"], row["group"]): (row["value"], row["share"])
        for row in subcontracting_share(filters=filters_parse(period="2026")).rows
    }
    # CLP: micro 150, small 250 (a cooperative); 400 in all. The BRL one is of 2025.
    assert rows["CLP", "micro"] == (D("150.00"), D("37.5"))
    assert rows["CLP", "small"] == (D("250.00"), D("62.5"))
    assert rows["CLP", "medium"] == (D("0.00"), D("0.0"))
    assert rows["CLP", "cooperative"] == (D("250.00"), D("62.5"))
    assert rows["CLP", "msme"] == (D("400.00"), D("100.0"))
    assert {currency for currency, _group in rows} == {"CLP"}
    everything = {
        (row["currency"], row["group"]): row["value"]
        for row in subcontracting_share(filters=Filters()).rows
    }
    assert everything["BRL", "micro"] == D("100.00")
    by_buyer = subcontracting_share(filters=filters_parse(buyer=str(other.pk))).rows
    assert {row["currency"] for row in by_buyer} == {"BRL"}
