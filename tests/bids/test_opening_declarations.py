"""Declaring, at the opening, a share that cannot be decrypted (ADR 0015).

A bidder seals, for some committee members, a share their key does not open or that does not
match the SHA-256 the envelope lists for them. Those members declare so for that bid, in the
same hand-in as their other shares. A bid is settled when it holds k shares, or when more than
n - k members declared: then it is recorded as undecryptable, naming them, and the others open.
The committee is 2 of 3 throughout, so one declaration leaves a bid open to the two others and
two declarations settle it.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import orjson
import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from pregon.bids import services
from pregon.bids.choices import BidStatus, OpenedBidOutcome, OpeningStatus
from pregon.bids.models import Bid, OpenedBid, Opening, ShareHandIn
from pregon.bids.services import TooFewShares
from pregon.core import clock
from pregon.core.errors import InvalidTransition, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.ledger.models import Leaf
from pregon.organizations.models import Organization
from pregon.publication.models import Release
from pregon.sealing import SealingError, parse_envelope, share_decrypt
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import leaf_hash
from tests import factories
from tests.bids.bad_envelopes import bad_offer
from tests.bids.opening_world import OpeningWorld, opening_world
from tests.test_translations import compile_catalogs

pytestmark = pytest.mark.django_db

#: What a member's device declares for each refusal of `share_decrypt`.
DECLARED = {"share_undecryptable": "share_undecryptable", "wrong_share": "share_mismatch"}

Shares = list[tuple[Bid, bytes]]
Declarations = list[tuple[Bid, str]]


def device(world: OpeningWorld, position: int) -> tuple[Shares, Declarations]:
    """What member `position`'s device hands in: the shares it decrypts and checks, and a
    declaration for each bid whose share does not open or does not match (as the page's script
    and `pregon keys open-shares` do)."""
    member = world.committee[position - 1]
    shares: Shares = []
    declarations: Declarations = []
    for bid in Bid.objects.filter(tender=world.tender, status=BidStatus.SUBMITTED):
        try:
            share = share_decrypt(
                parse_envelope(bytes(bid.envelope)),
                ocid=str(world.tender.ocid),
                private_raw=factories.private_key_of(member),
                fingerprint=member.fingerprint,
            )
        except SealingError as error:
            declarations.append((bid, DECLARED[error.code]))
        else:
            shares.append((bid, share))
    return shares, declarations


def act(world: OpeningWorld, position: int) -> services.HandIn:
    shares, declarations = device(world, position)
    with clock.at(world.at):
        return services.opening_shares_hand_in(
            actor=world.member_actor(position),
            tender=world.tender,
            shares=shares,
            declarations=declarations,
        )


def hand_in(
    world: OpeningWorld, position: int, shares: Shares, declarations: Declarations
) -> services.HandIn:
    with clock.at(world.at):
        return services.opening_shares_hand_in(
            actor=world.member_actor(position),
            tender=world.tender,
            shares=shares,
            declarations=declarations,
        )


def record_of(world: OpeningWorld) -> dict[str, Any]:
    record = Opening.objects.get(tender=world.tender).record
    assert record is not None
    return record


def entry_of(world: OpeningWorld, bid: Bid) -> dict[str, Any]:
    return next(entry for entry in record_of(world)["bids"] if entry["id"] == str(bid.pk))


def snapshot(world: OpeningWorld) -> tuple[Any, ...]:
    """What a refused hand-in must leave as it was."""
    opening = Opening.objects.filter(tender=world.tender).first()
    return (
        sorted(
            ShareHandIn.objects.values_list("bid_id", "member_id", "declaration", "share"),
            key=str,
        ),
        AuditEvent.objects.count(),
        opening.status if opening else None,
        sorted(Bid.objects.filter(tender=world.tender).values_list("pk", "status"), key=str),
        OpenedBid.objects.count(),
        Leaf.objects.count(),
    )


@pytest.fixture
def world(buyer: Organization) -> OpeningWorld:
    return opening_world(buyer)


# ---------------------------------------------------------------------------------------------
# declarations settle a bid no k members can open


def test_a_bid_two_members_cannot_decrypt_is_settled_undecryptable_and_the_others_open(
    world: OpeningWorld,
) -> None:
    # Member 2's key does not open their share; member 3's opens to the wrong share.
    bad = bad_offer(world, undecryptable=[2], mismatched=[3]).bid

    first = act(world, 1)
    second = act(world, 2)
    assert (first.handed_in, first.declared, first.opened) == (5, 0, False)
    assert (second.handed_in, second.declared, second.opened) == (4, 1, False)
    # One declaration of three, k = 2: member 3 could still hand in the second share.
    assert Opening.objects.get(tender=world.tender).status == OpeningStatus.COLLECTING
    third = act(world, 3)

    assert (third.handed_in, third.declared, third.opened) == (4, 1, True)
    assert Bid.objects.get(pk=bad.pk).status == BidStatus.UNDECRYPTABLE
    assert OpenedBid.objects.get(bid=bad).outcome == OpenedBidOutcome.UNDECRYPTABLE
    assert OpenedBid.objects.get(bid=bad).data_key is None
    entry = entry_of(world, bad)
    assert {key: entry[key] for key in ("outcome", "reason", "members", "declaredBy")} == {
        "outcome": "undecryptable",
        "reason": "shares_undecryptable",
        "members": [1],
        "declaredBy": [2, 3],
    }
    assert "lots" not in entry
    for made in world.offers[:4]:
        opened = entry_of(world, made.bid)
        assert (opened["outcome"], opened["members"]) == ("opened", [1, 2, 3])
        assert "declaredBy" not in opened
        assert opened["lots"] == made.lots
    assert record_of(world)["statistics"]["bids"] == 5
    declarations = ShareHandIn.objects.filter(bid=bad, share__isnull=True).order_by("member")
    assert [(row.member.position, row.declaration) for row in declarations] == [
        (2, "share_undecryptable"),
        (3, "share_mismatch"),
    ]


def test_each_declaration_is_audited_with_the_members_position(world: OpeningWorld) -> None:
    bad = bad_offer(world, undecryptable=[2, 3]).bid
    for position in (1, 2, 3):
        act(world, position)

    rows = AuditEvent.objects.filter(action="opening.declare").order_by("pk")
    assert [(row.actor, row.summary) for row in rows] == [
        (world.committee[1].user, {"member": 2, "share_undecryptable": [str(bad.pk)]}),
        (world.committee[2].user, {"member": 3, "share_undecryptable": [str(bad.pk)]}),
    ]
    # Their shares of the other bids are a hand-in of their own, as before.
    hand_ins = AuditEvent.objects.filter(action="opening.hand_in").order_by("pk")
    assert [row.summary for row in hand_ins] == [
        {"member": 1, "shares": 5},
        {"member": 2, "shares": 4},
        {"member": 3, "shares": 4},
    ]


def test_the_record_and_the_ocds_release_name_the_declaring_positions(
    world: OpeningWorld, settings: Any, tmp_path: Path
) -> None:
    compile_catalogs(tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    bad = bad_offer(world, undecryptable=[2], mismatched=[3]).bid
    for position in (1, 2, 3):
        act(world, position)

    leaf = Leaf.objects.get(kind="opening")
    assert bytes(leaf.leaf_hash) == leaf_hash(canonical_bytes(record_of(world)))
    release = orjson.loads(Release.objects.filter(ocid=world.tender.ocid).order_by("-seq")[0].data)
    (detail,) = [d for d in release["bids"]["details"] if d["id"] == str(bad.pk)]
    assert detail["status"] == "disqualified"
    # The release is in the tender's language (Spanish, the factories').
    assert detail["description"] == (
        "Esta oferta no pudo ser descifrada en la apertura. Muy pocos miembros del comité de "
        "apertura pudieron entregar su parte de esta oferta: los miembros 2, 3 declararon que "
        "las partes selladas para ellos no se podían descifrar."
    )
    page = Client().get(world.tender.get_absolute_url().replace("/es/", "/en/"))
    assert (
        "<strong>Sellos Rotos SpA</strong>: Too few members of the opening committee could hand "
        "in their shares of it: members 2, 3 declared that the shares sealed to them could not "
        "be decrypted." in page.content.decode()
    )


def test_a_bid_that_holds_k_shares_opens_though_a_member_declared(world: OpeningWorld) -> None:
    bad = bad_offer(world, mismatched=[3]).bid
    act(world, 1)
    third = act(world, 3)
    assert (third.declared, third.opened) == (1, False)

    second = act(world, 2)

    assert second.opened is True
    entry = entry_of(world, bad)
    assert (entry["outcome"], entry["members"], entry["declaredBy"]) == ("opened", [1, 2], [3])
    assert entry["lots"] == [{"lot": "1", "amount": "99000", "currency": world.tender.currency}]
    assert Bid.objects.get(pk=bad.pk).status == BidStatus.OPENED


def test_one_declaration_of_three_with_k_two_does_not_settle(world: OpeningWorld) -> None:
    bad_offer(world, undecryptable=[2])
    act(world, 1)
    act(world, 2)
    before = snapshot(world)

    with clock.at(world.at), pytest.raises(TooFewShares) as refused:
        services.opening_complete(actor=world.member_actor(1), tender=world.tender)

    assert str(refused.value.message) == (
        "Nothing was opened: 1 sealed bid holds fewer than the 2 shares needed. At least 1 "
        "more member must hand in their shares, or declare that they cannot decrypt them."
    )
    assert refused.value.as_problem()["missing"] == 1
    assert snapshot(world) == before


# ---------------------------------------------------------------------------------------------
# a lying member: public, accountable, and no more power than refusing


def test_declaring_a_bid_whose_share_is_fine_is_allowed_but_public(world: OpeningWorld) -> None:
    target = world.offers[1].bid
    shares = [pair for pair in world.shares(3) if pair[0].pk != target.pk]
    liar = hand_in(world, 3, shares, [(target, "share_undecryptable")])
    assert (liar.handed_in, liar.declared) == (3, 1)

    act(world, 1)
    act(world, 2)

    entry = entry_of(world, target)
    assert (entry["outcome"], entry["members"], entry["declaredBy"]) == ("opened", [1, 2], [3])
    assert AuditEvent.objects.get(action="opening.declare").summary == {
        "member": 3,
        "share_undecryptable": [str(target.pk)],
    }


def test_more_than_n_minus_k_false_declarations_leave_a_good_bid_unopened(
    world: OpeningWorld,
) -> None:
    # The same power as refusing to hand in, but in public: the record names both members.
    target = world.offers[1].bid
    for position in (2, 3):
        shares = [pair for pair in world.shares(position) if pair[0].pk != target.pk]
        hand_in(world, position, shares, [(target, "share_mismatch")])

    assert Opening.objects.get(tender=world.tender).status == OpeningStatus.OPENED
    entry = entry_of(world, target)
    assert (entry["outcome"], entry["reason"], entry["declaredBy"], entry["members"]) == (
        "undecryptable",
        "shares_undecryptable",
        [2, 3],
        [],
    )


# ---------------------------------------------------------------------------------------------
# one share or one declaration per bid and member; every refusal changes nothing


def _refused(world: OpeningWorld, position: int, shares: Shares, declared: Declarations) -> Any:
    before = snapshot(world)
    with pytest.raises(ValidationFailed) as refused:
        hand_in(world, position, shares, declared)
    assert snapshot(world) == before
    return refused.value


def test_a_share_and_a_declaration_for_the_same_bid_in_one_hand_in_are_refused(
    world: OpeningWorld,
) -> None:
    shares = world.shares(1)
    refused = _refused(world, 1, shares, [(shares[0][0], "share_undecryptable")])

    assert refused.code == "share_and_declaration"
    assert refused.field == "declarations"
    assert str(refused.message) == (
        f"For bid {shares[0][0].pk} you both hand in a share and declare that you cannot "
        "decrypt it; do one or the other."
    )


def test_a_declaration_after_a_share_of_the_same_bid_is_refused(world: OpeningWorld) -> None:
    hand_in(world, 1, world.shares(1), [])
    bid = world.offers[0].bid

    refused = _refused(world, 1, [], [(bid, "share_mismatch")])

    assert refused.code == "already_handed_in"
    assert str(refused.message) == (
        f"Member 1 already handed in their share of bid {bid.pk}; it cannot be declared "
        "undecryptable after that. Nothing was handed in."
    )


def test_a_share_after_a_declaration_on_the_same_bid_is_refused(world: OpeningWorld) -> None:
    bid = world.offers[0].bid
    rest = [pair for pair in world.shares(1) if pair[0].pk != bid.pk]
    hand_in(world, 1, rest, [(bid, "share_undecryptable")])

    refused = _refused(world, 1, world.shares(1), [])

    assert refused.code == "already_declared"
    assert str(refused.message) == (
        f"Member 1 declared that they cannot decrypt their share of bid {bid.pk}; a "
        "declaration is final, and no share of that bid can follow it. Nothing was handed in."
    )


def test_a_declaration_never_changes_and_repeating_it_stores_nothing_twice(
    world: OpeningWorld,
) -> None:
    bid = world.offers[0].bid
    first = hand_in(world, 2, [], [(bid, "share_undecryptable")])
    again = hand_in(world, 2, [], [(bid, "share_undecryptable")])
    assert (first.handed_in, first.declared) == (again.handed_in, again.declared) == (0, 1)
    assert ShareHandIn.objects.filter(bid=bid).count() == 1
    assert AuditEvent.objects.filter(action="opening.declare").count() == 1

    refused = _refused(world, 2, [], [(bid, "share_mismatch")])

    assert refused.code == "already_declared"
    assert str(refused.message) == (
        f"Member 2 already declared bid {bid.pk} for another reason (my key does not open the "
        "share sealed to me); a declaration never changes. Nothing was handed in."
    )


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("twice", "duplicate_declaration"),
        ("unknown_reason", "unknown_reason"),
        ("withdrawn", "bid_not_sealed"),
        ("other_tender", "unknown_bid"),
    ],
)
def test_malformed_declarations_are_refused(
    world: OpeningWorld, buyer: Organization, case: str, code: str
) -> None:
    bid = world.offers[0].bid
    declared: Declarations = {
        "twice": [(bid, "share_undecryptable"), (bid, "share_mismatch")],
        "unknown_reason": [(bid, "lost_my_key")],
        "withdrawn": [],
        "other_tender": [],
    }[case]
    if case == "withdrawn":
        extra = bad_offer(world, name="Se Retira SpA")
        services.bid_withdraw(actor=extra.actor, bid=extra.bid, idempotency_key="withdraw-extra")
        declared = [(Bid.objects.get(pk=extra.bid.pk), "share_undecryptable")]
    if case == "other_tender":
        elsewhere = opening_world(buyer, bidders=False)
        other = bad_offer(elsewhere, name="Otra Licitación SpA")
        declared = [(other.bid, "share_undecryptable")]

    refused = _refused(world, 1, [], declared)

    assert refused.code == code


# ---------------------------------------------------------------------------------------------
# after the opening; the database's own guard


def test_repeating_a_hand_in_with_its_declaration_after_the_opening_answers_the_same(
    world: OpeningWorld,
) -> None:
    bad_offer(world, undecryptable=[2, 3])
    act(world, 1)
    act(world, 2)
    shares, declarations = device(world, 3)
    assert [reason for _bid, reason in declarations] == ["share_undecryptable"]
    last = hand_in(world, 3, shares, declarations)
    assert last.opened is True
    rows = ShareHandIn.objects.count()

    again = hand_in(world, 3, shares, declarations)

    assert (again.handed_in, again.declared, again.opened) == (4, 1, True)
    assert ShareHandIn.objects.count() == rows
    with pytest.raises(InvalidTransition) as refused:
        hand_in(world, 3, shares, [(bid, "share_mismatch") for bid, _reason in declarations])
    assert refused.value.code == "already_opened"


@pytest.mark.parametrize("row", ["neither", "both", "declaration_after_share"])
def test_the_database_keeps_one_share_or_one_declaration_per_bid_and_member(
    world: OpeningWorld, row: str
) -> None:
    with clock.at(world.at):
        opening = services.opening_start(actor=world.member_actor(1), tender=world.tender)
    bid, share = world.shares(1)[0]
    member = world.committee[0]
    if row == "declaration_after_share":
        ShareHandIn.objects.create(opening=opening, bid=bid, member=member, share=share)
    values: dict[str, Any] = {
        "neither": {"share": None, "declaration": ""},
        "both": {"share": share, "declaration": "share_mismatch"},
        "declaration_after_share": {"share": None, "declaration": "share_mismatch"},
    }[row]

    with pytest.raises(IntegrityError), transaction.atomic():
        ShareHandIn.objects.create(opening=opening, bid=bid, member=member, **values)


# ---------------------------------------------------------------------------------------------
# the committee's page


def test_the_page_shows_declarations_and_which_bids_are_settled(
    world: OpeningWorld, settings: Any, tmp_path: Path
) -> None:
    compile_catalogs(tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    bad_offer(world, undecryptable=[2], mismatched=[3])
    act(world, 1)
    act(world, 2)
    client = Client()
    client.force_login(world.committee[1].user)
    url = reverse("opening:committee", kwargs={"pk": world.tender.pk})

    with clock.at(world.at):
        english = client.get(url).content.decode()
        spanish = client.get(url.replace("/en/", "/es/")).content.decode()

    assert "Members who declared that they cannot decrypt a share: 2." in english
    assert english.count("yes: it holds the shares needed") == 4
    assert ">1 (member 2)</td>" in english
    assert "declared: my key does not open the share sealed to me" in english
    assert (
        "At least 1 more member must hand in their shares, or declare that they cannot "
        "decrypt them, before the bids open." in english
    )
    assert "Miembros que declararon que no pueden descifrar una parte: 2." in spanish
    assert "declaración: mi clave no abre la parte sellada para mí" in spanish
    assert 'data-message-declared-bid="Oferta {number}: se declarará, porque {reason}"' in spanish


def test_a_declarations_file_is_handed_in_from_the_page(world: OpeningWorld) -> None:
    bad = bad_offer(world, undecryptable=[2]).bid
    shares, declarations = device(world, 2)
    body = {
        "shares": [{"bid": str(b.pk), "share": _b64(s)} for b, s in shares],
        "declarations": [{"bid": str(b.pk), "reason": r} for b, r in declarations],
    }
    client = Client()
    client.force_login(world.committee[1].user)
    url = reverse("opening:committee", kwargs={"pk": world.tender.pk})

    with clock.at(world.at):
        response = client.post(url, {"shares": orjson.dumps(body).decode()}, follow=True)

    page = response.content.decode()
    assert (
        "The platform holds 4 shares of yours. You declared that you cannot decrypt your share "
        "of 1 bid; your position is named with it in the opening record." in page
    )
    assert ShareHandIn.objects.get(bid=bad, member=world.committee[1]).declaration == (
        "share_undecryptable"
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
