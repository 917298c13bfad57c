"""A tender at its opening, for the opening tests: sealed bids of suppliers of every size, a
committee whose private keys the tests hold, and the moment the opening has come."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pregon.bids import services
from pregon.bids.choices import BidStatus
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid
from pregon.core.actor import Actor
from pregon.organizations.models import Organization
from pregon.sealing import Member, SealedBid, parse_envelope, seal_bid, share_decrypt
from pregon.tenders.models import CommitteeMember, Tender
from tests import factories
from tests.bids.conftest import supplier_actor_of, uploads_of

#: Put in every answer and document: it must never be readable before the opening.
MARKER = "MARCA-SECRETA-7Q4Z"
PDF = b"%PDF-1.7\n" + MARKER.encode() + b"\n%%EOF\n"


@dataclass
class SealedOffer:
    """One supplier's bid as the tests sealed it: what they know of it in plain."""

    supplier: Organization
    actor: Actor
    lots: list[dict[str, str]]
    documents: list[tuple[str, bytes]]
    sealed: SealedBid
    bid: Bid


@dataclass
class OpeningWorld:
    tender: Tender
    committee: list[CommitteeMember]
    offers: list[SealedOffer] = field(default_factory=list)

    @property
    def at(self) -> dt.datetime:
        """A moment once the opening has come."""
        return self.tender.opening_at + dt.timedelta(minutes=5)

    def member_actor(self, position: int) -> Actor:
        member = self.committee[position - 1]
        return factories.actor_for(member.user, self.tender.buyer)

    def shares(self, position: int, bids: Sequence[Bid] | None = None) -> list[tuple[Bid, bytes]]:
        """Member `position`'s shares of the bids to open, decrypted with their private key as
        their own device would."""
        member = self.committee[position - 1]
        private = factories.private_key_of(member)
        chosen = (
            list(bids)
            if bids is not None
            else list(Bid.objects.filter(tender=self.tender, status=BidStatus.SUBMITTED))
        )
        return [
            (
                bid,
                share_decrypt(
                    parse_envelope(bytes(bid.envelope)),
                    ocid=str(self.tender.ocid),
                    private_raw=private,
                    fingerprint=member.fingerprint,
                ),
            )
            for bid in chosen
        ]

    def bid_of(self, supplier: Organization) -> Bid:
        return Bid.objects.get(tender=self.tender, supplier=supplier)


def plain(
    tender: Tender, lots: list[dict[str, str]], documents: Sequence[tuple[str, bytes]]
) -> dict[str, Any]:
    return {
        "format": "pregon-bid/1",
        "tender": tender.ocid,
        "lots": lots,
        "answers": [{"question": "Plazo de entrega", "answer": f"30 días {MARKER}"}],
        "documents": [
            {
                "id": doc_id,
                "name": f"oferta-{doc_id}.pdf",
                "mediaType": "application/pdf",
                "size": len(data),
            }
            for doc_id, data in documents
        ],
    }


def committee_members(tender: Tender) -> list[Member]:
    return [
        Member(fingerprint=m.fingerprint, public_key=bytes(m.public_key))
        for m in tender.committee.order_by("position")
    ]


def offer(
    world: OpeningWorld,
    supplier: Organization,
    lots: list[dict[str, str]],
    *,
    documents: Sequence[tuple[str, bytes]] = (),
    envelope: bytes | None = None,
    sealed: SealedBid | None = None,
) -> SealedOffer:
    """Seal and submit a bid of `supplier` (an `envelope` given replaces the sealed one's)."""
    tender = world.tender
    actor = supplier_actor_of(supplier)
    if sealed is None:
        sealed = seal_bid(
            ocid=str(tender.ocid),
            members=committee_members(tender),
            threshold=tender.opening_threshold or 0,
            bid=plain(tender, lots, documents),
            documents=documents,
        )
    outcome = services.bid_submit(
        actor=actor,
        tender=tender,
        envelope=envelope if envelope is not None else sealed.envelope,
        documents=uploads_of(actor, tender, sealed),
        idempotency_key=f"bid-{supplier.pk}",
        declaration=DECLARATION_VERSION,
    )
    made = SealedOffer(
        supplier=supplier,
        actor=actor,
        lots=lots,
        documents=list(documents),
        sealed=sealed,
        bid=outcome.bid,
    )
    world.offers.append(made)
    return made


def opening_world(
    buyer: Organization,
    *,
    committee: tuple[int, int] = (3, 2),
    bidders: bool = True,
    tender: Tender | None = None,
) -> OpeningWorld:
    """A published tender of two lots whose opening committee (n, k) the tests hold the keys
    of, with four sealed bids: a micro cooperative (both lots, a document), a small enterprise
    (lot 1), a large one (lot 2) and a self-employed bidder (lot 1). A published `tender` of two
    lots may be given instead (the bids are then submitted at the platform clock's moment)."""
    if tender is None:
        tender = factories.TenderOpenFactory(buyer=buyer, lots=2, committee=committee)
    world = OpeningWorld(
        tender=tender,
        committee=list(CommitteeMember.objects.filter(tender=tender).order_by("position")),
    )
    if not bidders:
        return world
    micro = factories.SupplierFactory(
        scale="micro", is_cooperative=True, legal_name="Cooperativa Andina"
    )
    small = factories.SupplierFactory(scale="small", legal_name="Pequeña Empresa SpA")
    large = factories.SupplierFactory(scale="large", legal_name="Gran Empresa SA")
    self_employed = factories.SupplierFactory(scale="selfEmployed", legal_name="Ana Pérez")
    currency = tender.currency
    offer(
        world,
        micro,
        [
            {"lot": "1", "amount": "120500.50", "currency": currency},
            {"lot": "2", "amount": "80000", "currency": currency},
        ],
        documents=[("d1", PDF)],
    )
    offer(world, small, [{"lot": "1", "amount": "118000.00", "currency": currency}])
    offer(world, large, [{"lot": "2", "amount": "79000.25", "currency": currency}])
    offer(world, self_employed, [{"lot": "1", "amount": "125000", "currency": currency}])
    return world
