"""The permission matrix of tests/accounts/test_permission_matrix.py, extended to sealed bids:
the same world, the same columns (roles), one row per bid service.

Only the supplier acts on its bids and uploads, as a member with a supplier role or with its
own API key; nobody else, the buyer's people and the platform's administrators included.
`ok` means the service carries the action out (bid actions also write their audit row, in the
actor's name and under the supplier); `PD` a PermissionDenied with nothing changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cached_property
from typing import Any

import pytest

from pregon.bids import services
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid, BidUpload
from pregon.core.actor import Actor
from pregon.core.errors import PermissionDenied
from pregon.core.models import AuditEvent
from pregon.organizations.models import Organization
from tests import factories
from tests.accounts.test_permission_matrix import OUTCOMES, ROLES, World
from tests.bids.conftest import seal

pytestmark = pytest.mark.django_db

TABLE = """
action               anon sup  off  oth  com  aud  ovs  su   opa  key  keyr okey skey two  keyx
bid_upload_start     PD   ok   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD   ok   PD   PD
bid_upload_append    PD   ok   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD   ok   PD   PD
bid_submit           PD   ok   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD   ok   PD   PD
bid_replace          PD   ok   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD   ok   PD   PD
bid_withdraw         PD   ok   PD   PD   PD   PD   PD   PD   PD   PD   PD   PD   ok   PD   PD
"""
_header, *_rows = (line.split() for line in TABLE.strip().splitlines())
EXPECTED = {row[0]: dict(zip(_header[1:], row[1:], strict=True)) for row in _rows}
DATA = b"documento cifrado"


class BidWorld(World):
    """The matrix's world, with an upload and a bid of its supplier."""

    @cached_property
    def supplier_actor(self) -> Actor:
        return factories.actor_for(factories.member(self.supplier, "supplier_user"), self.supplier)

    @cached_property
    def upload(self) -> BidUpload:
        return services.bid_upload_start(
            actor=self.supplier_actor,
            tender=self.open_tender,
            size=len(DATA),
            sha256=hashlib.sha256(DATA).hexdigest(),
        )

    @cached_property
    def bid(self) -> Bid:
        return services.bid_submit(
            actor=self.supplier_actor,
            tender=self.open_tender,
            envelope=seal(self.open_tender).envelope,
            documents=[],
            idempotency_key="primera",
            declaration=DECLARATION_VERSION,
        ).bid


PREPARE: dict[str, Callable[[BidWorld], Any]] = {
    "bid_upload_start": lambda w: w.open_tender,
    "bid_upload_append": lambda w: w.upload,
    "bid_submit": lambda w: w.open_tender,
    "bid_replace": lambda w: w.bid,
    "bid_withdraw": lambda w: w.bid,
}

ACTIONS: dict[str, Callable[[BidWorld, Actor], Any]] = {
    "bid_upload_start": lambda w, a: services.bid_upload_start(
        actor=a, tender=w.open_tender, size=10, sha256="0" * 64
    ),
    "bid_upload_append": lambda w, a: services.bid_upload_append(
        actor=a, upload=w.upload, offset=0, chunk=DATA[:5]
    ),
    "bid_submit": lambda w, a: services.bid_submit(
        actor=a,
        tender=w.open_tender,
        envelope=seal(w.open_tender).envelope,
        documents=[],
        idempotency_key="matriz",
        declaration=DECLARATION_VERSION,
    ),
    "bid_replace": lambda w, a: services.bid_replace(
        actor=a,
        bid=w.bid,
        envelope=seal(w.open_tender, amount="5.00").envelope,
        documents=[],
        idempotency_key="matriz",
        declaration=DECLARATION_VERSION,
    ),
    "bid_withdraw": lambda w, a: services.bid_withdraw(
        actor=a, bid=w.bid, idempotency_key="matriz"
    ),
}

AUDIT_ACTIONS = {
    "bid_submit": "bid.submit",
    "bid_replace": "bid.replace",
    "bid_withdraw": "bid.withdraw",
}


def test_the_table_covers_every_bid_action_and_role() -> None:
    assert _header[1:] == ROLES
    assert set(EXPECTED) == set(ACTIONS) == set(PREPARE)
    assert all(set(row.values()) <= set(OUTCOMES) for row in EXPECTED.values())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission(refused: Any, action: str, role: str) -> None:
    world = BidWorld()
    PREPARE[action](world)
    actor = world.actor(role)
    outcome = OUTCOMES[EXPECTED[action][role]]

    if outcome is not None:
        refused(outcome, "permission_denied", ACTIONS[action], world, actor)
        return

    before = set(AuditEvent.objects.values_list("pk", flat=True))
    ACTIONS[action](world, actor)
    rows = list(AuditEvent.objects.exclude(pk__in=before))
    if action not in AUDIT_ACTIONS:
        assert rows == []  # uploads are not official acts
        return
    [row] = rows
    assert row.action == AUDIT_ACTIONS[action]
    assert (row.actor, row.actor_label) == (actor.user, actor.label)
    assert (row.organization, row.channel) == (world.supplier, actor.channel)


def test_another_suppliers_people_and_keys_are_refused(refused: Any) -> None:
    world = BidWorld()
    world.bid  # noqa: B018 - the bid exists before the other supplier acts
    world.upload  # noqa: B018
    other: Organization = factories.SupplierFactory()
    stranger = factories.actor_for(factories.member(other, "supplier_user"), other)

    for action in ("bid_upload_append", "bid_replace", "bid_withdraw"):
        refused(PermissionDenied, "permission_denied", ACTIONS[action], world, stranger)
