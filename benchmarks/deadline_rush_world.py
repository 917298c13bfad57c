"""The world of `deadline_rush.py`, built and checked through Django with the server's settings.

Imported by `deadline_rush.py` once `django.setup()` has run with the same environment the
server gets (database, var directory, log origin), so its module-level imports of the models
work. Nothing here is product code: the world is built through the services the pages and the
API use (as `pregon demo` builds its own); only the operator and its first administrator are
written directly, as in the demo, because somebody has to exist before anybody can act.

- `world_build`: a buyer with an official and an opening committee of three (two needed), each
  member's X25519 key made with `pregon.sealing` and registered; a draft tender with one lot
  and that committee; N supplier organizations, each registered by its user, with an API key
  holding `bids:submit`.
- `world_publish`: set the draft's deadline (and the end of questions and the opening around
  it) and publish it, while the server runs.
- `world_check`: what the database holds after the rush, against the receipts the clients hold.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import connections
from django.test.utils import override_settings

from pregon.accounts import services as accounts
from pregon.accounts.choices import OrganizationKind, Role
from pregon.accounts.models import Membership, User
from pregon.bids.models import Bid, BidUpload
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.identifiers import rut_with_check_digit
from pregon.ledger.choices import LeafKind
from pregon.ledger.models import Leaf
from pregon.organizations import services as organizations
from pregon.organizations.models import Organization
from pregon.sealing import (
    bid_open,
    document_open,
    generate_member_key,
    parse_envelope,
    share_decrypt,
)
from pregon.tenders import services as tenders
from pregon.tenders.models import Tender
from pregon.tlog.merkle import leaf_hash

COMMITTEE = 3
THRESHOLD = 2
# Nobody signs in during the benchmark: a cheap hasher keeps registering 500 suppliers quick.
_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Supplier:
    organization_id: int
    name: str
    api_key: str


@dataclass
class World:
    ocid: str
    tender_id: int
    official_id: int
    buyer_id: int
    # (fingerprint, raw private key) of each member, in the committee's order.
    committee: list[tuple[str, bytes]]
    suppliers: list[Supplier]


def world_build(*, bidders: int, progress: Callable[[str], None]) -> World:
    """The buyer, its committee, the draft tender and the suppliers with their API keys."""
    with override_settings(PASSWORD_HASHERS=_HASHERS):
        return _build(bidders, progress)


def _build(bidders: int, progress: Callable[[str], None]) -> World:
    now = clock.now()
    operator = Organization.objects.create(
        kind=OrganizationKind.OPERATOR,
        identifier_scheme="XI-PREGON",
        identifier_id="BENCH",
        legal_name="Pregón deadline-rush benchmark",
        name="Pregón (benchmark)",
        country="CL",
        locality="Santiago",
    )
    admin = _person("admin@bench.example", "Benchmark Administrator", is_staff=True)
    Membership.objects.create(user=admin, organization=operator, role=Role.ADMINISTRATOR)
    admin_actor = Actor(user=admin, organization=operator, channel="command")

    buyer = organizations.organization_create(
        actor=admin_actor,
        kind=OrganizationKind.BUYER,
        data=organizations.OrganizationData(
            identifier_scheme="CL-RUT",
            identifier_id=rut_with_check_digit(61_000_001),
            legal_name="Servicio de Pruebas de Carga",
            name="Pruebas de Carga",
            country="CL",
            locality="Santiago",
            time_zone="America/Santiago",
            buyer_type="ministry",
        ),
    )
    official = _person("official@bench.example", "Olga Oficial")
    accounts.membership_grant(
        actor=admin_actor, organization=buyer, user=official, role=Role.BUYER_OFFICIAL
    )
    committee: list[tuple[str, bytes]] = []
    members = []
    for number in range(1, COMMITTEE + 1):
        member = _person(f"committee{number}@bench.example", f"Committee Member {number}")
        accounts.membership_grant(
            actor=admin_actor, organization=buyer, user=member, role=Role.COMMITTEE_MEMBER
        )
        private, public = generate_member_key()
        key = tenders.committee_key_register(
            actor=Actor(user=member, organization=buyer, channel="command"), public_key=public
        )
        committee.append((key.fingerprint, private))
        members.append(member.pk)

    official_actor = Actor(user=official, organization=buyer, channel="command")
    tender = tenders.tender_create(
        actor=official_actor,
        buyer=buyer,
        data=tenders.TenderData(
            reference="BENCH-RUSH-1",
            title="Adquisición de equipos (prueba de carga al cierre)",
            description="Licitación de la prueba de carga: ofertas selladas al cierre.",
            method="open",
            category="goods",
            estimated_value=Decimal("100000000"),
            currency="CLP",
            enquiry_end=now + dt.timedelta(days=1),
            submission_deadline=now + dt.timedelta(days=2),
            opening_at=now + dt.timedelta(days=3),
            lots=[
                tenders.LotData(
                    title="Equipos",
                    estimated_value=Decimal("100000000"),
                    items=[
                        tenders.ItemData(
                            description="Señales verticales reglamentarias",
                            classification_scheme="CPV",
                            classification_code="34992200-9",
                            quantity=Decimal("420"),
                            unit="unidad",
                        )
                    ],
                )
            ],
        ),
    )
    tenders.tender_committee_set(
        actor=official_actor, tender=tender, members=members, threshold=THRESHOLD
    )
    progress(f"  buyer, committee of {COMMITTEE} ({THRESHOLD} needed) and draft {tender.ocid}")

    suppliers = []
    step = max(1, bidders // 5)
    for index in range(bidders):
        suppliers.append(_supplier(index))
        if (index + 1) % step == 0 or index + 1 == bidders:
            progress(f"  {index + 1:,} suppliers registered, each with an API key")
    return World(
        ocid=str(tender.ocid),
        tender_id=tender.pk,
        official_id=official.pk,
        buyer_id=buyer.pk,
        committee=committee,
        suppliers=suppliers,
    )


def _person(email: str, full_name: str, **flags: bool) -> User:
    return User.objects.create_user(email, secrets.token_urlsafe(18), full_name=full_name, **flags)


def _supplier(index: int) -> Supplier:
    email = f"bidder{index:05d}@bench.example"
    name = f"Proveedor de Prueba {index:05d}"
    user = organizations.supplier_register(
        actor=Actor(user=None, channel="command"),
        registration=organizations.SupplierRegistration(
            email=email,
            password=secrets.token_urlsafe(18),
            full_name=f"Bidder {index:05d}",
            organization=organizations.OrganizationData(
                identifier_scheme="CL-RUT",
                identifier_id=rut_with_check_digit(76_000_000 + index),
                legal_name=f"{name} SpA",
                name=name,
                country="CL",
                locality="Santiago",
                scale=("micro", "small", "medium", "large")[index % 4],
            ),
        ),
    )
    organization = Organization.objects.get(memberships__user=user)
    _key, secret = organizations.api_key_issue(
        actor=Actor(user=user, organization=organization, channel="command"),
        organization=organization,
        name="Bidding client (benchmark)",
        scopes=["bids:submit"],
    )
    return Supplier(organization_id=organization.pk, name=name, api_key=secret)


def world_publish(world: World, *, deadline: dt.datetime) -> Tender:
    """Give the draft its deadline (questions end before it, the opening comes after) and
    publish it; returns the published tender."""
    official = User.objects.get(pk=world.official_id)
    actor = Actor(
        user=official, organization=Organization.objects.get(pk=world.buyer_id), channel="command"
    )
    tender = Tender.objects.get(pk=world.tender_id)
    now = clock.now()
    tender = tenders.tender_update(
        actor=actor,
        tender=tender,
        data=tenders.TenderChanges(
            enquiry_end=now + (deadline - now) / 2,
            submission_deadline=deadline,
            opening_at=deadline + dt.timedelta(hours=1),
        ),
    )
    tender = tenders.tender_publish(actor=actor, tender=tender)
    connections.close_all()
    return tender


def db_now() -> dt.datetime:
    """The database's clock (the one that decides the deadline)."""
    return clock.db_now()


# ---------------------------------------------------------------------------------------------
# the checks after the rush


@dataclass
class Checks:
    """What the database holds, against the receipts the clients hold."""

    acknowledged: int = 0
    stored: int = 0
    lost: list[str] = field(default_factory=list)
    # Rows beyond the first per supplier, and per (supplier, idempotency key).
    extra_per_supplier: int = 0
    extra_per_key: int = 0
    live_per_supplier_max: int = 0
    late_stored: list[str] = field(default_factory=list)
    late_receipts: list[str] = field(default_factory=list)
    stored_without_receipt: int = 0
    not_submitted: int = 0
    documents_checked: int = 0
    documents_bytes: int = 0
    leaves_checked: int = 0
    leaves_wrong: list[str] = field(default_factory=list)
    bid_leaves: int = 0
    uploads_left: int = 0
    opened: list[str] = field(default_factory=list)
    open_failures: list[str] = field(default_factory=list)

    @property
    def duplicated(self) -> int:
        return self.extra_per_supplier + self.extra_per_key

    @property
    def late_accepted(self) -> int:
        return len(set(self.late_stored) | set(self.late_receipts))


def world_check(
    world: World,
    *,
    receipts: Sequence[dict[str, Any]],
    deadline: dt.datetime,
    amounts: dict[int, str],
    document: bytes,
    sample: int,
    seed: int,
    progress: Callable[[str], None],
) -> Checks:
    """Compare the stored bids with the receipts (each: bid, commitment, time, leafIndex,
    receipt, supplier); check each stored bid's documents and log leaf; open `sample` of them
    with `THRESHOLD` of the committee's keys."""
    checks = Checks(acknowledged=len(receipts))
    tender = Tender.objects.get(pk=world.tender_id)
    ocid = str(tender.ocid)
    bids = {
        str(bid.pk): bid
        for bid in Bid.objects.filter(tender=tender).prefetch_related("documents").order_by("pk")
    }
    checks.stored = len(bids)
    per_supplier = Counter(bid.supplier_id for bid in bids.values())
    per_key = Counter((bid.supplier_id, bid.idempotency_key) for bid in bids.values())
    live = Counter(bid.supplier_id for bid in bids.values() if bid.status == "submitted")
    checks.extra_per_supplier = sum(count - 1 for count in per_supplier.values())
    checks.extra_per_key = sum(count - 1 for count in per_key.values())
    checks.live_per_supplier_max = max(live.values(), default=0)
    checks.not_submitted = sum(1 for bid in bids.values() if bid.status != "submitted")
    checks.late_stored = [pk for pk, bid in bids.items() if bid.received_at >= deadline]

    held = set()
    for receipt in receipts:
        held.add(receipt["bid"])
        bid = bids.get(receipt["bid"])
        if _receipt_time(receipt["time"]) >= deadline:
            checks.late_receipts.append(receipt["bid"])
        if (
            bid is None
            or bid.commitment != receipt["commitment"]
            or bid.leaf_index != receipt["leafIndex"]
            or bid.receipt != receipt["receipt"]
            or bid.supplier_id != receipt["supplier"]
            or not _documents_intact(bid, checks)
        ):
            checks.lost.append(receipt["bid"])
    checks.stored_without_receipt = sum(1 for pk in bids if pk not in held)
    progress(f"  {len(receipts):,} receipts against {len(bids):,} stored bids; documents checked")

    leaves = {leaf.index: leaf for leaf in Leaf.objects.filter(kind=LeafKind.BID_COMMITMENT)}
    checks.bid_leaves = len(leaves)
    for pk, bid in bids.items():
        leaf = leaves.get(bid.leaf_index)
        checks.leaves_checked += 1
        if leaf is None or bytes(leaf.leaf_hash) != leaf_hash(bid.leaf_data(ocid)):
            checks.leaves_wrong.append(pk)
    checks.uploads_left = BidUpload.objects.filter(tender=tender).count()
    progress(f"  {checks.leaves_checked:,} log leaves checked against the stored bids")

    by_supplier = {
        supplier.organization_id: index for index, supplier in enumerate(world.suppliers)
    }
    chosen = random.Random(seed).sample(sorted(bids), min(sample, len(bids)))
    for pk in chosen:
        problem = _open(
            bids[pk], world, ocid, amounts.get(by_supplier[bids[pk].supplier_id]), document
        )
        (checks.open_failures if problem else checks.opened).append(problem or pk)
    return checks


def _documents_intact(bid: Bid, checks: Checks) -> bool:
    """The bid's documents are on disk with the size and SHA-256 its envelope declares."""
    declared = {doc.id: doc for doc in parse_envelope(bytes(bid.envelope)).documents}
    stored = {document.doc_id: document for document in bid.documents.all()}
    if set(stored) != set(declared):
        return False
    for doc_id, document in stored.items():
        try:
            data = Path(default_storage.path(document.file.name)).read_bytes()
        except OSError:
            return False
        checks.documents_checked += 1
        checks.documents_bytes += len(data)
        expected = declared[doc_id]
        if len(data) != expected.size or hashlib.sha256(data).hexdigest() != expected.sha256:
            return False
    return True


def _open(bid: Bid, world: World, ocid: str, amount: str | None, document: bytes) -> str:
    """Open one stored bid with THRESHOLD of the committee's private keys; '' when it holds
    what its bidder sealed, else what is wrong."""
    envelope = parse_envelope(bytes(bid.envelope))
    shares = [
        share_decrypt(envelope, ocid=ocid, private_raw=private, fingerprint=fingerprint)
        for fingerprint, private in world.committee[:THRESHOLD]
    ]
    data_key, plain = bid_open(envelope, shares, ocid=ocid)
    if [lot["amount"] for lot in plain["lots"]] != [amount]:
        return f"{bid.pk}: amounts {plain['lots']} instead of {amount}"
    stored = bid.documents.get(doc_id="d1")
    opened = document_open(
        data_key, ocid, "d1", Path(default_storage.path(stored.file.name)).read_bytes()
    )
    if opened != document:
        return f"{bid.pk}: its document is not the one sent"
    return ""


def _receipt_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
