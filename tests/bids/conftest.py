"""Fixtures of the sealed-bid tests: an open tender with its committee, suppliers, and bids
sealed with `pregon.sealing` as a bidder's client seals them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from pregon.bids import services
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid, BidUpload
from pregon.bids.services import BidOutcome
from pregon.core.actor import Actor
from pregon.organizations.models import Organization
from pregon.organizations.services import api_key_issue
from pregon.sealing import Member, SealedBid, seal_bid
from pregon.tenders.models import Tender
from pregon.tlog.checkpoint import ALG_ED25519, SignerKey, format_signer_key
from tests import factories

ORIGIN = "bids.example.org/pregon/log"
SIGNER = SignerKey(ORIGIN, ALG_ED25519, bytes(range(1, 33)))


@pytest.fixture(autouse=True)
def _log_key(settings: Any, tmp_path: Any) -> None:
    """A known log origin and signing key, so receipts verify against `SIGNER.verifier`."""
    settings.PREGON_LOG_ORIGIN = ORIGIN
    settings.PREGON_LOG_SIGNER_KEY = format_signer_key(SIGNER)
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def issue_key(db: None) -> Any:
    """Issue a key for an organization with the given scopes; returns the bearer token."""

    def issue(organization: Organization, scopes: list[str]) -> str:
        role = "buyer_official" if organization.kind == "buyer" else "supplier_user"
        user = factories.member(organization, role)
        _, token = api_key_issue(
            actor=Actor(user=user, organization=organization),
            organization=organization,
            name="Integrador de ofertas",
            scopes=scopes,
        )
        return token

    return issue


@pytest.fixture
def tender(buyer: Organization) -> Tender:
    """An open tender (deadline in 20 days) with a committee of 3, 2 needed."""
    return factories.TenderOpenFactory(buyer=buyer)


def plain_bid(
    tender: Tender, *, amount: str = "1000.00", documents: Sequence[tuple[str, bytes]] = ()
) -> dict[str, Any]:
    """A `pregon-bid/1` document for the tender's first lot."""
    return {
        "format": "pregon-bid/1",
        "tender": tender.ocid,
        "lots": [{"lot": "1", "amount": amount, "currency": tender.currency}],
        "answers": [{"question": "Plazo de entrega", "answer": "30 días"}],
        "documents": [
            {"id": doc_id, "name": f"{doc_id}.pdf", "mediaType": "application/pdf", "size": len(b)}
            for doc_id, b in documents
        ],
    }


def seal(
    tender: Tender,
    *,
    amount: str = "1000.00",
    documents: Sequence[tuple[str, bytes]] = (),
    members: Sequence[Member] | None = None,
    threshold: int | None = None,
) -> SealedBid:
    """Seal a bid to the tender's committee, as the bidder's client does."""
    committee = [
        Member(fingerprint=m.fingerprint, public_key=bytes(m.public_key))
        for m in tender.committee.order_by("position")
    ]
    return seal_bid(
        ocid=str(tender.ocid),
        members=committee if members is None else members,
        threshold=tender.opening_threshold if threshold is None else threshold,
        bid=plain_bid(tender, amount=amount, documents=documents),
        documents=documents,
    )


def upload(actor: Actor, tender: Tender, data: bytes, *, chunk: int = 7) -> BidUpload:
    """Upload `data` in chunks of `chunk` bytes through the services."""
    started = services.bid_upload_start(
        actor=actor, tender=tender, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
    for offset in range(0, len(data), chunk):
        started = services.bid_upload_append(
            actor=actor, upload=started, offset=offset, chunk=data[offset : offset + chunk]
        )
    return started


def uploads_of(actor: Actor, tender: Tender, sealed: SealedBid) -> list[tuple[str, BidUpload]]:
    return [(doc_id, upload(actor, tender, stored)) for doc_id, stored in sealed.documents]


@dataclass
class Submitted:
    sealed: SealedBid
    outcome: BidOutcome

    @property
    def bid(self) -> Bid:
        return self.outcome.bid


def submit(
    actor: Actor,
    tender: Tender,
    *,
    key: str = "bid-1",
    amount: str = "1000.00",
    documents: Sequence[tuple[str, bytes]] = (),
) -> Submitted:
    """Seal, upload and submit a bid; returns what was sealed and the service's outcome."""
    sealed = seal(tender, amount=amount, documents=documents)
    outcome = services.bid_submit(
        actor=actor,
        tender=tender,
        envelope=sealed.envelope,
        documents=uploads_of(actor, tender, sealed),
        idempotency_key=key,
        declaration=DECLARATION_VERSION,
    )
    return Submitted(sealed=sealed, outcome=outcome)


def supplier_actor_of(supplier: Organization | None = None) -> Actor:
    """A supplier user acting for a (new) supplier."""
    organization = supplier or factories.SupplierFactory()
    return factories.actor_for(factories.member(organization, "supplier_user"), organization)
