"""An opened tender for the evaluation tests, built on the opening tests' world."""

from __future__ import annotations

import contextlib

from pregon.bids import services as bids
from pregon.core import clock
from pregon.organizations.models import Organization
from tests import factories
from tests.bids.opening_world import OpeningWorld, offer, opening_world


def opened(world: OpeningWorld, *, at_opening: bool = True) -> OpeningWorld:
    """Open the world's bids (members 1 and 3 hand in their shares), five minutes after the
    opening time; with `at_opening=False`, at the platform clock's own time (once it has passed
    the opening time, as in a browser journey that moves the clock on)."""
    with clock.at(world.at) if at_opening else contextlib.nullcontext():
        for position in (1, 3):
            bids.opening_shares_hand_in(
                actor=world.member_actor(position),
                tender=world.tender,
                shares=world.shares(position),
            )
    return world


def priced_world(buyer: Organization, prices: list[str], *, criteria: bool = False) -> OpeningWorld:
    """A tender of two lots with one bid per price on lot 1, opened."""
    tender = factories.TenderOpenFactory(
        buyer=buyer,
        lots=2,
        committee=(3, 2),
        **({"criteria": factories.WEIGHTED_CRITERIA} if criteria else {}),
    )
    world = opening_world(buyer, tender=tender, bidders=False)
    for number, price in enumerate(prices, start=1):
        supplier = factories.SupplierFactory(scale="small", legal_name=f"Proveedor {number}")
        offer(world, supplier, [{"lot": "1", "amount": price, "currency": tender.currency}])
    return opened(world)
