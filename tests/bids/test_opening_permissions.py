"""Who may take part in the opening, and who learns who bid when: the opening's rows of the
permission matrix (see tests/accounts/test_permission_matrix.py for the others).

`ok` means the service or selector answers; `PD` PermissionDenied; `NF` NotFound (the record
does not exist for anyone before the opening); `TF` TooFewShares (allowed, but k - 1 shares
open nothing). Nothing is written by a refused action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pregon.accounts.models import Membership, User
from pregon.bids import services
from pregon.bids.models import Opening, ShareHandIn
from pregon.bids.selectors_opening import opening_envelopes, opening_record_get
from pregon.bids.services import TooFewShares
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import NotFound, PermissionDenied
from pregon.organizations.models import ApiKey, Organization
from tests import factories
from tests.bids.opening_world import OpeningWorld, opening_world

pytestmark = pytest.mark.django_db

# Roles (columns):
#   anon  anonymous                          bidder  a supplier user of a bidder
#   off   buyer official of the buyer        com     committee member of the buyer, NOT on
#   seat  member of this tender's committee          this tender's committee
#   aud   auditor of the buyer               oth     official of another buyer
#   su    superuser                          key     the buyer's API key (every scope)
#   seatx a member of this tender's committee acting for another of their organizations
TABLE = """
action             anon bidder off  com  seat aud  oth  su   key  seatx
envelopes          PD   PD     PD   PD   ok   PD   PD   PD   PD   PD
hand_in            PD   PD     PD   PD   ok   PD   PD   PD   PD   PD
start              PD   PD     PD   PD   ok   PD   PD   PD   PD   PD
complete           PD   PD     PD   PD   TF   PD   PD   PD   PD   PD
record_before      NF   NF     NF   NF   NF   NF   NF   NF   NF   NF
record_after       ok   ok     ok   ok   ok   ok   ok   ok   ok   ok
"""
OUTCOMES: dict[str, type[Exception] | None] = {
    "ok": None,
    "PD": PermissionDenied,
    "NF": NotFound,
    "TF": TooFewShares,
}
_header, *_rows = (line.split() for line in TABLE.strip().splitlines())
ROLES = _header[1:]
EXPECTED = {row[0]: dict(zip(ROLES, row[1:], strict=True)) for row in _rows}


@pytest.fixture
def world(buyer: Organization) -> OpeningWorld:
    return opening_world(buyer)


def _actor(world: OpeningWorld, role: str) -> Actor:
    buyer = world.tender.buyer
    if role == "anon":
        return Actor(user=None)
    if role == "bidder":
        supplier = world.offers[0].supplier
        return factories.actor_for(factories.member(supplier, "supplier_user"), supplier)
    if role == "off":
        return factories.actor_for(factories.member(buyer, "buyer_official"), buyer)
    if role == "com":
        return factories.actor_for(factories.member(buyer, "committee_member"), buyer)
    if role == "seat":
        return world.member_actor(1)
    if role == "aud":
        return factories.actor_for(factories.member(buyer, "auditor"), buyer)
    if role == "oth":
        other = factories.BuyerFactory()
        return factories.actor_for(factories.member(other, "buyer_official"), other)
    if role == "su":
        user = factories.UserFactory(is_superuser=True, is_staff=True)
        return Actor(user=user)
    if role == "key":
        key = ApiKey.objects.create(
            organization=buyer,
            name="integrador",
            prefix=f"k{buyer.pk}x",
            secret_hash="0" * 64,
            scopes=["tenders:read", "tenders:write"],
        )
        return Actor(user=None, organization=buyer, api_key=key, channel="api")
    if role == "seatx":
        seat: User = world.committee[0].user
        other = factories.BuyerFactory()
        Membership.objects.create(user=seat, organization=other, role="committee_member")
        return factories.actor_for(seat, other)
    raise AssertionError(role)


def _action(world: OpeningWorld, name: str) -> Callable[[Actor], Any]:
    tender = world.tender
    if name == "envelopes":
        return lambda actor: opening_envelopes(actor=actor, tender=tender)
    if name == "hand_in":
        shares = world.shares(1)
        return lambda actor: services.opening_shares_hand_in(
            actor=actor, tender=tender, shares=shares
        )
    if name == "start":
        return lambda actor: services.opening_start(actor=actor, tender=tender)
    if name == "complete":
        # One member handed in: the bids hold k - 1 shares; completing says how many are missing.
        services.opening_shares_hand_in(
            actor=world.member_actor(2), tender=tender, shares=world.shares(2)
        )
        return lambda actor: services.opening_complete(actor=actor, tender=tender)
    if name in {"record_before", "record_after"}:
        if name == "record_after":
            for position in (2, 3):
                services.opening_shares_hand_in(
                    actor=world.member_actor(position), tender=tender, shares=world.shares(position)
                )
        return lambda actor: opening_record_get(tender=tender)
    raise AssertionError(name)


@pytest.mark.parametrize(
    ("action", "role"), [(action, role) for action in EXPECTED for role in ROLES]
)
def test_opening_permission(world: OpeningWorld, action: str, role: str) -> None:
    expected = OUTCOMES[EXPECTED[action][role]]
    with clock.at(world.at):
        run = _action(world, action)
        actor = _actor(world, role)
        shares_before = ShareHandIn.objects.count()
        openings_before = list(Opening.objects.values_list("pk", "status"))
        if expected is None:
            run(actor)
            return
        with pytest.raises(expected):
            run(actor)
    assert ShareHandIn.objects.count() == shares_before
    assert list(Opening.objects.values_list("pk", "status")) == openings_before
