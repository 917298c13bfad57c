"""What the bids write to the transparency log has the shapes `pregon verify` checks
(`pregon.tlog.leaves`, which cannot import the bids): the opening record, its statistics and the
bid commitment leaves of a submission, a replacement and a withdrawal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson
import pytest

from pregon.bids import services
from pregon.bids.choices_opening import MEASURES, OPENING_FORMAT
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid, Opening
from pregon.bids.services.opening import bid_statistics
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.ledger.choices import LeafKind
from pregon.ledger.models import Leaf
from pregon.organizations.choices import Scale
from pregon.organizations.models import Organization
from pregon.tenders.models import Tender
from pregon.tlog import leaves
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import leaf_hash
from tests.bids.bad_envelopes import bad_offer
from tests.bids.conftest import seal, submit, uploads_of
from tests.bids.opening_world import OpeningWorld, opening_world

pytestmark = pytest.mark.django_db


def test_the_formats_are_named_the_same_on_both_sides() -> None:
    assert leaves.OPENING_FORMAT == OPENING_FORMAT
    assert leaves.MEASURES == MEASURES
    assert (leaves.KIND_RELEASE, leaves.KIND_BID_COMMITMENT, leaves.KIND_OPENING) == (
        LeafKind.RELEASE,
        LeafKind.BID_COMMITMENT,
        LeafKind.OPENING,
    )
    assert set(Scale.values) - leaves.SME_SCALES == {Scale.LARGE}


@pytest.mark.parametrize("cooperative", [False, True])
@pytest.mark.parametrize("scale", [*Scale.values, ""])
def test_statistics_are_computed_as_the_opening_computes_them(
    scale: str, cooperative: bool
) -> None:
    entries = [
        {"tenderer": {"id": "a", "name": "A", "scale": scale, "cooperative": cooperative}},
        {"tenderer": {"id": "b", "name": "B", "scale": Scale.SMALL, "cooperative": False}},
    ]
    assert leaves.opening_statistics(entries) == bid_statistics(entries)


def test_the_opening_record_logged_has_its_format(buyer: Organization) -> None:
    world: OpeningWorld = opening_world(buyer)
    with clock.at(world.at):
        for position in (1, 2):
            services.opening_shares_hand_in(
                actor=world.member_actor(position),
                tender=world.tender,
                shares=world.shares(position),
            )
    record = Opening.objects.get(tender=world.tender).record
    assert record is not None
    leaf = Leaf.objects.get(kind=LeafKind.OPENING)
    # What is logged is what is checked: the record's RFC 8785 bytes.
    assert bytes(leaf.leaf_hash) == leaf_hash(canonical_bytes(record))
    assert leaves.declared_kind(record) == leaves.KIND_OPENING
    assert leaves.document_ref(leaves.KIND_OPENING, record) == leaf.ref
    assert leaves.opening_problems(record) == []
    assert record["statistics"] == leaves.opening_statistics(record["bids"])


def test_the_bid_commitment_leaves_have_their_shape(supplier_actor: Actor, tender: Tender) -> None:
    first = submit(supplier_actor, tender, key="bid-1").bid
    sealed = seal(tender, amount="900.00")
    second = services.bid_replace(
        actor=supplier_actor,
        bid=first,
        envelope=sealed.envelope,
        documents=uploads_of(supplier_actor, tender, sealed),
        idempotency_key="bid-2",
        declaration=DECLARATION_VERSION,
    ).bid
    services.bid_withdraw(actor=supplier_actor, bid=second, idempotency_key="bid-3")
    second = Bid.objects.get(pk=second.pk)

    documents = [
        first.leaf_data(tender.ocid),
        second.leaf_data(tender.ocid),
        second.leaf_data(tender.ocid, withdrawal=True),
    ]
    logged = {
        bytes(row.leaf_hash): row for row in Leaf.objects.filter(kind=LeafKind.BID_COMMITMENT)
    }
    actions = []
    for data in documents:
        document: dict[str, Any] = orjson.loads(data)
        assert leaves.declared_kind(document) == leaves.KIND_BID_COMMITMENT
        assert leaves.bid_commitment_problems(document) == []
        assert logged[leaf_hash(data)].ref == leaves.document_ref(
            leaves.KIND_BID_COMMITMENT, document
        )
        actions.append(document["action"])
    assert actions == ["submit", "replace", "withdraw"]


def test_every_document_the_platform_logs_validates_against_its_published_schema(
    buyer: Organization, supplier_actor: Actor, tender: Tender
) -> None:
    """The schema files, read and compiled here as any verifier would, accept what is logged:
    bid commitments of each action, and an opening record with opened bids (with and without
    documents) and a bid two members declared they could not decrypt."""
    first = submit(supplier_actor, tender, key="bid-1").bid
    sealed = seal(tender, amount="900.00")
    second = services.bid_replace(
        actor=supplier_actor,
        bid=first,
        envelope=sealed.envelope,
        documents=uploads_of(supplier_actor, tender, sealed),
        idempotency_key="bid-2",
        declaration=DECLARATION_VERSION,
    ).bid
    services.bid_withdraw(actor=supplier_actor, bid=second, idempotency_key="bid-3")
    world: OpeningWorld = opening_world(buyer)
    bad = bad_offer(world, undecryptable=[2, 3]).bid
    with clock.at(world.at):
        # Member 1 hands in every share; 2 and 3 cannot decrypt theirs of `bad` and say so.
        for position in (1, 2, 3):
            declared = [] if position == 1 else [(bad, "share_undecryptable")]
            bids = [offer.bid for offer in world.offers if position == 1 or offer.bid != bad]
            services.opening_shares_hand_in(
                actor=world.member_actor(position),
                tender=world.tender,
                shares=world.shares(position, bids),
                declarations=declared,
            )

    documents: list[tuple[str, bytes]] = []
    for bid in Bid.objects.select_related("tender").order_by("received_at", "pk"):
        documents.append((LeafKind.BID_COMMITMENT, bid.leaf_data(bid.tender.ocid)))
        if bid.withdrawn_at is not None:
            documents.append(
                (LeafKind.BID_COMMITMENT, bid.leaf_data(bid.tender.ocid, withdrawal=True))
            )
    opening = Opening.objects.get(tender=world.tender)
    documents.append((LeafKind.OPENING, canonical_bytes(opening.record)))
    logged = {bytes(row.leaf_hash): row.kind for row in Leaf.objects.all()}
    schemas = Path(leaves.__file__).parent / "schemas"
    for kind, data in documents:
        # What is validated is what is logged, under the kind it is logged as.
        assert logged[leaf_hash(data)] == kind
        schema = orjson.loads((schemas / leaves.SCHEMA_FILES[kind]).read_bytes())
        document = orjson.loads(data)
        jsonschema_rs.validator_for(schema, validate_formats=True).validate(document)
        assert leaves.problems_of(kind, document) == []

    actions = [orjson.loads(d)["action"] for k, d in documents if k == LeafKind.BID_COMMITMENT]
    assert sorted(set(actions)) == ["replace", "submit", "withdraw"]
    entries = {entry["id"]: entry for entry in opening.record["bids"]}
    assert (entries[str(bad.pk)]["outcome"], entries[str(bad.pk)]["declaredBy"]) == (
        "undecryptable",
        [2, 3],
    )
    opened = [entry for entry in entries.values() if entry["outcome"] == "opened"]
    assert len(opened) == 4
    assert sorted(len(entry["documents"]) for entry in opened) == [0, 0, 0, 1]
