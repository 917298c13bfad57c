"""The public opening through its services: k shares open every bid and publish the record;
fewer open nothing; a wrong share, an altered ciphertext and an altered document are named."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.db import connection

from pregon.bids import services
from pregon.bids.choices import BidStatus, OpeningStatus
from pregon.bids.models import Bid, BidDocument, OpenedBid, Opening, ShareHandIn, rfc3339
from pregon.bids.services import TooFewShares, WrongShare
from pregon.core import clock, db_triggers
from pregon.core.errors import InvalidTransition, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.ledger.models import Leaf
from pregon.organizations.models import Organization
from pregon.publication import services as publication
from pregon.publication.models import Release
from pregon.sealing import SealedBid, document_open, seal_bid
from pregon.tenders import services as tenders
from pregon.tenders.choices import TenderStatus
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import leaf_hash
from tests import factories
from tests.bids.opening_world import (
    PDF,
    OpeningWorld,
    committee_members,
    offer,
    opening_world,
    plain,
)
from tests.test_translations import compile_catalogs

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(buyer: Organization) -> OpeningWorld:
    return opening_world(buyer)


def _open(world: OpeningWorld, *positions: int) -> list[services.HandIn]:
    with clock.at(world.at):
        return [
            services.opening_shares_hand_in(
                actor=world.member_actor(position),
                tender=world.tender,
                shares=world.shares(position),
            )
            for position in positions
        ]


def _latest_release(world: OpeningWorld) -> dict[str, Any]:
    release = Release.objects.filter(ocid=world.tender.ocid).order_by("-seq").first()
    assert release is not None
    return orjson.loads(release.data)


# ---------------------------------------------------------------------------------------------
# k shares open, k - 1 open nothing


def test_k_shares_open_every_bid_and_record_what_each_offered(world: OpeningWorld) -> None:
    first, second = _open(world, 1, 3)

    assert (first.handed_in, first.opened) == (4, False)
    assert (second.handed_in, second.opened) == (4, True)
    opening = Opening.objects.get(tender=world.tender)
    assert opening.status == OpeningStatus.OPENED
    assert opening.opened_at == world.at
    for made in world.offers:
        bid = Bid.objects.get(pk=made.bid.pk)
        assert bid.status == BidStatus.OPENED
        opened = OpenedBid.objects.get(bid=bid)
        assert opened.lots == made.lots
        assert opened.answers == plain(world.tender, made.lots, made.documents)["answers"]
    micro = OpenedBid.objects.get(bid=world.offers[0].bid)
    stored = BidDocument.objects.get(bid=world.offers[0].bid).file.read()
    assert document_open(bytes(micro.data_key), str(world.tender.ocid), "d1", stored) == PDF
    assert micro.documents == [
        {
            "id": "d1",
            "name": "oferta-d1.pdf",
            "mediaType": "application/pdf",
            "size": len(PDF),
            "sha256": _sha(world.offers[0].sealed.documents[0][1]),
            "intact": True,
        }
    ]
    world.tender.refresh_from_db()
    # The opening came before the close task ran: the tender was closed on the way.
    assert world.tender.status == TenderStatus.CLOSED


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_opening_record_names_bidders_prices_members_and_statistics(
    world: OpeningWorld,
) -> None:
    _open(world, 2, 3)

    record = Opening.objects.get(tender=world.tender).record
    micro, small, large, self_employed = world.offers
    assert record["format"] == "pregon-opening/1"
    assert record["tender"] == world.tender.ocid
    assert record["threshold"] == 2
    assert record["openedAt"] == rfc3339(world.at)
    assert [entry["id"] for entry in record["bids"]] == [str(o.bid.pk) for o in world.offers]
    assert record["bids"][0] == {
        "id": str(micro.bid.pk),
        "commitment": micro.bid.commitment,
        "receivedAt": record["bids"][0]["receivedAt"],
        "leafIndex": micro.bid.leaf_index,
        "tenderer": {
            "id": micro.supplier.party_id,
            "name": "Cooperativa Andina",
            "scale": "micro",
            "cooperative": True,
        },
        "members": [2, 3],
        "outcome": "opened",
        "lots": micro.lots,
        "documents": [{"id": "d1", "sha256": _sha(micro.sealed.documents[0][1]), "intact": True}],
    }
    assert [entry["tenderer"]["scale"] for entry in record["bids"]] == [
        "micro",
        "small",
        "large",
        "selfEmployed",
    ]
    assert record["statistics"] == {
        "bids": 4,
        "smeBids": 3,
        "microBids": 1,
        "smallBids": 1,
        "mediumBids": 0,
        "cooperativeBids": 1,
    }
    assert small.lots == record["bids"][1]["lots"]
    assert large.lots == record["bids"][2]["lots"]
    assert self_employed.lots == record["bids"][3]["lots"]


def test_fewer_than_k_shares_open_nothing_and_say_how_many_are_missing(
    world: OpeningWorld,
) -> None:
    (hand_in,) = _open(world, 1)
    assert (hand_in.handed_in, hand_in.opened) == (4, False)

    with clock.at(world.at), pytest.raises(TooFewShares) as refused:
        services.opening_complete(actor=world.member_actor(2), tender=world.tender)

    assert str(refused.value.message) == (
        "Nothing was opened: 4 sealed bids hold fewer than the 2 shares needed. "
        "At least 1 more member must hand in their shares, or declare that they cannot "
        "decrypt them."
    )
    assert refused.value.as_problem()["missing"] == 1
    assert refused.value.status == 409
    assert Opening.objects.get(tender=world.tender).status == OpeningStatus.COLLECTING
    assert set(Bid.objects.filter(tender=world.tender).values_list("status", flat=True)) == {
        BidStatus.SUBMITTED
    }
    assert not OpenedBid.objects.exists()
    assert not Leaf.objects.filter(kind="opening").exists()
    assert "bids" not in _latest_release(world)


def test_a_member_who_skipped_a_bid_leaves_it_and_so_every_bid_closed(world: OpeningWorld) -> None:
    with clock.at(world.at):
        services.opening_shares_hand_in(
            actor=world.member_actor(1), tender=world.tender, shares=world.shares(1)
        )
        skipped = world.offers[1].bid
        partial = [pair for pair in world.shares(2) if pair[0].pk != skipped.pk]
        hand_in = services.opening_shares_hand_in(
            actor=world.member_actor(2), tender=world.tender, shares=partial
        )
        assert (hand_in.handed_in, hand_in.opened) == (3, False)
        with pytest.raises(TooFewShares) as refused:
            services.opening_complete(actor=world.member_actor(2), tender=world.tender)
        assert str(refused.value.message) == (
            "Nothing was opened: 1 sealed bid holds fewer than the 2 shares needed. "
            "At least 1 more member must hand in their shares, or declare that they cannot "
            "decrypt them."
        )
        final = services.opening_shares_hand_in(
            actor=world.member_actor(2), tender=world.tender, shares=world.shares(2, [skipped])
        )
    assert (final.handed_in, final.opened) == (4, True)


# ---------------------------------------------------------------------------------------------
# wrong shares, altered ciphertexts and documents


def test_a_wrong_share_is_refused_naming_the_member_and_the_bid(world: OpeningWorld) -> None:
    shares = world.shares(2)
    victim = shares[2][0]
    # Member 1's share of that bid, handed in by member 2: a real share, but not member 2's.
    stolen = {bid.pk: share for bid, share in world.shares(1)}[victim.pk]
    shares[2] = (victim, stolen)

    with clock.at(world.at), pytest.raises(WrongShare) as refused:
        services.opening_shares_hand_in(
            actor=world.member_actor(2), tender=world.tender, shares=shares
        )

    assert str(refused.value.message) == (
        f"The share handed in by member 2 for bid {victim.pk} is not the share sealed to that "
        "member in the bid. Nothing was handed in; decrypt your shares again with your own key "
        "file."
    )
    problem = refused.value.as_problem()
    assert (problem["status"], problem["code"], problem["member"], problem["bid"]) == (
        422,
        "wrong_share",
        2,
        str(victim.pk),
    )
    # Nothing of the hand-in was kept, not even the right shares beside the wrong one.
    assert not ShareHandIn.objects.exists()
    assert not Opening.objects.exists()


def test_a_share_of_the_wrong_size_is_refused(world: OpeningWorld) -> None:
    shares = world.shares(1)
    shares[0] = (shares[0][0], shares[0][1][:32])

    with clock.at(world.at), pytest.raises(ValidationFailed) as refused:
        services.opening_shares_hand_in(
            actor=world.member_actor(1), tender=world.tender, shares=shares
        )

    assert refused.value.code == "malformed_share"
    assert not ShareHandIn.objects.exists()


def _flip_in_ciphertext(envelope: bytes) -> bytes:
    """The envelope with one byte of its bid ciphertext flipped, still a well-formed envelope."""
    value = json.loads(envelope)
    raw = bytearray(
        base64.urlsafe_b64decode(value["ciphertext"] + "=" * (-len(value["ciphertext"]) % 4))
    )
    raw[5] ^= 0x01
    value["ciphertext"] = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    return canonical_bytes(value)


def test_a_ciphertext_altered_by_the_bidder_is_recorded_undecryptable_and_the_others_open(
    buyer: Organization,
) -> None:
    world = opening_world(buyer, bidders=False)
    currency = world.tender.currency
    first = offer(
        world,
        factories.SupplierFactory(scale="medium"),
        [{"lot": "1", "amount": "1000", "currency": currency}],
    )
    # The bidder's client sealed this one, then a byte of its ciphertext changed before upload:
    # the platform cannot tell (it holds no key) and accepts it.
    lots = [{"lot": "1", "amount": "800", "currency": currency}]
    sealed = _seal_for(world, lots)
    altered = offer(
        world,
        factories.SupplierFactory(scale="micro"),
        lots,
        envelope=_flip_in_ciphertext(sealed.envelope),
        sealed=sealed,
    )
    last = offer(
        world,
        factories.SupplierFactory(scale="small"),
        [{"lot": "1", "amount": "900", "currency": currency}],
    )

    _open(world, 1, 2)

    assert Bid.objects.get(pk=altered.bid.pk).status == BidStatus.UNDECRYPTABLE
    assert Bid.objects.get(pk=first.bid.pk).status == BidStatus.OPENED
    assert Bid.objects.get(pk=last.bid.pk).status == BidStatus.OPENED
    found = OpenedBid.objects.get(bid=altered.bid)
    assert (found.outcome, found.lots, found.data_key) == ("undecryptable", [], None)
    record = Opening.objects.get(tender=world.tender).record
    entry = record["bids"][1]
    assert entry["id"] == str(altered.bid.pk)
    assert (entry["outcome"], entry["reason"], entry["members"]) == (
        "undecryptable",
        "undecryptable",
        [1, 2],
    )
    assert "lots" not in entry
    assert record["statistics"]["bids"] == 3
    assert record["statistics"]["microBids"] == 1


def _seal_for(world: OpeningWorld, lots: list[dict[str, str]]) -> SealedBid:
    return seal_bid(
        ocid=str(world.tender.ocid),
        members=committee_members(world.tender),
        threshold=world.tender.opening_threshold or 0,
        bid=plain(world.tender, lots, []),
        documents=[],
    )


def _tamper(change: Callable[[], Any]) -> None:
    """Make `change` past the database's triggers, as someone with the database's keys could.

    PostgreSQL alters no table with deferred checks pending: they are run first.
    """

    def settle() -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    settle()
    restore = db_triggers.lift(connection)
    try:
        change()
        settle()
    finally:
        db_triggers.restore(connection, restore)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_a_stored_envelope_altered_in_the_database_is_recorded_undecryptable(
    world: OpeningWorld,
) -> None:
    target = world.offers[2].bid
    tampered = _flip_in_ciphertext(bytes(target.envelope))
    _tamper(lambda: Bid.objects.filter(pk=target.pk).update(envelope=tampered))

    hand_ins = _open(world, 1, 3)

    assert hand_ins[-1].opened is True
    # The altered bid needs no share (none can open it); the members' shares for it are not kept.
    assert not ShareHandIn.objects.filter(bid=target).exists()
    assert Bid.objects.get(pk=target.pk).status == BidStatus.UNDECRYPTABLE
    assert sorted(Bid.objects.filter(tender=world.tender).values_list("status", flat=True)) == [
        "opened",
        "opened",
        "opened",
        "undecryptable",
    ]
    record = Opening.objects.get(tender=world.tender).record
    entry = record["bids"][2]
    assert (entry["outcome"], entry["reason"], entry["members"]) == (
        "undecryptable",
        "envelope_altered",
        [],
    )


def test_an_altered_document_is_detected_and_recorded(world: OpeningWorld) -> None:
    document = BidDocument.objects.get(bid=world.offers[0].bid)
    with Path(document.file.path).open("r+b") as handle:
        handle.seek(20)
        byte = handle.read(1)
        handle.seek(20)
        handle.write(bytes([byte[0] ^ 0xFF]))

    _open(world, 1, 2)

    opened = OpenedBid.objects.get(bid=world.offers[0].bid)
    assert opened.outcome == "opened"
    assert [(d["id"], d["intact"]) for d in opened.documents] == [("d1", False)]
    entry = Opening.objects.get(tender=world.tender).record["bids"][0]
    assert entry["documents"] == [
        {"id": "d1", "sha256": _sha(world.offers[0].sealed.documents[0][1]), "intact": False}
    ]
    event = AuditEvent.objects.get(action="opening.open")
    assert event.summary["documents_altered"] == [f"{world.offers[0].bid.pk}/d1"]


# ---------------------------------------------------------------------------------------------
# publication and the log


def test_the_release_validates_and_publishes_bids_and_exact_statistics(world: OpeningWorld) -> None:
    _open(world, 1, 2)

    release = _latest_release(world)
    assert publication.validator().validate_release(release) == []
    assert release["tag"] == ["tenderUpdate"]
    date = world.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert release["bids"]["statistics"] == [
        {"id": "bids", "measure": "bids", "value": 4, "date": date},
        {"id": "smeBids", "measure": "smeBids", "value": 3, "date": date},
        {"id": "microBids", "measure": "microBids", "value": 1, "date": date},
        {"id": "smallBids", "measure": "smallBids", "value": 1, "date": date},
        {"id": "mediumBids", "measure": "mediumBids", "value": 0, "date": date},
        {"id": "cooperativeBids", "measure": "cooperativeBids", "value": 1, "date": date},
    ]
    micro, small, large, self_employed = world.offers
    details = {entry["id"]: entry for entry in release["bids"]["details"]}
    assert sorted(details) == sorted(
        [
            f"{micro.bid.pk}-1",
            f"{micro.bid.pk}-2",
            f"{small.bid.pk}-1",
            f"{large.bid.pk}-2",
            f"{self_employed.bid.pk}-1",
        ]
    )
    assert details[f"{micro.bid.pk}-1"] == {
        "id": f"{micro.bid.pk}-1",
        "date": Bid.objects.get(pk=micro.bid.pk)
        .received_at.astimezone(dt.UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tenderers": [{"id": micro.supplier.party_id, "name": "Cooperativa Andina"}],
        "status": "pending",
        "value": {"amount": 120500.5, "currency": world.tender.currency},
        "relatedLots": ["1"],
    }
    assert details[f"{large.bid.pk}-2"]["value"] == {"amount": 79000.25, "currency": "CLP"}
    assert details[f"{self_employed.bid.pk}-1"]["value"] == {"amount": 125000, "currency": "CLP"}
    tenderers = {party["id"]: party for party in release["parties"] if "tenderer" in party["roles"]}
    assert sorted(tenderers) == sorted(o.supplier.party_id for o in world.offers)
    assert tenderers[micro.supplier.party_id]["details"] == {
        "scale": "micro",
        "legalForm": "cooperative",
    }
    assert Decimal(small.lots[0]["amount"]) == Decimal(
        str(details[f"{small.bid.pk}-1"]["value"]["amount"])
    )


def test_an_undecryptable_bid_is_published_as_such(
    buyer: Organization, settings: Any, tmp_path: Path
) -> None:
    # The release's texts are in the tender's language (Spanish), whoever hands in.
    compile_catalogs(tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    world = opening_world(buyer, bidders=False)
    lots = [{"lot": "2", "amount": "10", "currency": world.tender.currency}]
    sealed = _seal_for(world, lots)
    made = offer(
        world,
        factories.SupplierFactory(scale="large"),
        lots,
        envelope=_flip_in_ciphertext(sealed.envelope),
        sealed=sealed,
    )

    _open(world, 1, 2)

    release = _latest_release(world)
    assert publication.validator().validate_release(release) == []
    (detail,) = release["bids"]["details"]
    assert detail["id"] == str(made.bid.pk)
    assert detail["status"] == "disqualified"
    assert detail["description"] == (
        "Esta oferta no pudo ser descifrada en la apertura. La clave reconstruida con las "
        "partes del comité no la descifra: su texto cifrado fue alterado o el oferente la "
        "selló mal."
    )
    assert "value" not in detail


def test_the_log_holds_the_opening_record(world: OpeningWorld) -> None:
    _open(world, 1, 2)

    opening = Opening.objects.get(tender=world.tender)
    leaf = Leaf.objects.get(kind="opening")
    assert leaf.index == opening.leaf_index
    assert leaf.ref == f"{world.tender.ocid}/opening"
    assert bytes(leaf.leaf_hash) == leaf_hash(canonical_bytes(opening.record))
    event = AuditEvent.objects.get(action="opening.open")
    assert event.summary == {
        "bids": 4,
        "undecryptable": [],
        "documents_altered": [],
        "leaf_index": opening.leaf_index,
    }
    assert list(
        AuditEvent.objects.filter(object_type="bids.opening")
        .order_by("id")
        .values_list("action", "summary")
    ) == [
        ("opening.start", {"threshold": 2, "bids": 4}),
        ("opening.hand_in", {"member": 1, "shares": 4}),
        ("opening.hand_in", {"member": 2, "shares": 4}),
        ("opening.open", event.summary),
    ]


# ---------------------------------------------------------------------------------------------
# when, and again


def test_shares_are_refused_before_the_opening_time(world: OpeningWorld) -> None:
    with (
        clock.at(world.tender.opening_at - dt.timedelta(seconds=1)),
        pytest.raises(InvalidTransition) as refused,
    ):
        services.opening_shares_hand_in(
            actor=world.member_actor(1), tender=world.tender, shares=world.shares(1)
        )

    assert refused.value.code == "opening_not_started"
    assert not Opening.objects.exists()


def test_a_cancelled_tender_is_never_opened(world: OpeningWorld) -> None:
    official = factories.member(world.tender.buyer, "buyer_official")
    tenders.tender_cancel(
        actor=factories.actor_for(official, world.tender.buyer),
        tender=world.tender,
        reason="Sin presupuesto.",
    )

    with clock.at(world.at), pytest.raises(InvalidTransition) as refused:
        services.opening_shares_hand_in(
            actor=world.member_actor(1), tender=world.tender, shares=world.shares(1)
        )

    assert refused.value.code == "tender_cancelled"


def test_a_repeated_hand_in_after_the_opening_answers_the_same(world: OpeningWorld) -> None:
    _open(world, 1, 2)

    with clock.at(world.at):
        again = services.opening_shares_hand_in(
            actor=world.member_actor(2),
            tender=world.tender,
            shares=world.shares(2, [o.bid for o in world.offers]),
        )
        assert (again.handed_in, again.opened) == (4, True)
        with pytest.raises(InvalidTransition) as refused:
            services.opening_shares_hand_in(
                actor=world.member_actor(3),
                tender=world.tender,
                shares=world.shares(3, [o.bid for o in world.offers]),
            )
    assert refused.value.code == "already_opened"
    assert ShareHandIn.objects.count() == 8


def test_a_tender_without_bids_opens_with_an_empty_hand_in(buyer: Organization) -> None:
    world = opening_world(buyer, bidders=False)

    with clock.at(world.at):
        hand_in = services.opening_shares_hand_in(
            actor=world.member_actor(1), tender=world.tender, shares=[]
        )

    assert hand_in.opened is True
    record = Opening.objects.get(tender=world.tender).record
    assert record["bids"] == []
    assert record["statistics"] == dict.fromkeys(
        ["bids", "smeBids", "microBids", "smallBids", "mediumBids", "cooperativeBids"], 0
    )
    release = _latest_release(world)
    assert publication.validator().validate_release(release) == []
    assert release["bids"]["details"] == []


def test_an_empty_hand_in_is_refused_when_there_are_bids(world: OpeningWorld) -> None:
    with clock.at(world.at), pytest.raises(ValidationFailed) as refused:
        services.opening_shares_hand_in(actor=world.member_actor(1), tender=world.tender, shares=[])

    assert refused.value.code == "no_shares"
