"""Submitting, replacing and withdrawing sealed bids: every move allowed and refused, with
nothing written on a refusal; idempotency, including a retry after a crash between the commit
and the answer; the deadline by the database's clock."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from pregon.bids import services
from pregon.bids.choices import BidStatus
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid, BidDeclaration, BidDocument, BidUpload, rfc3339
from pregon.bids.services import IdempotencyKeyReused
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.core.problems import PayloadTooLarge
from pregon.ledger.models import Leaf
from pregon.organizations.models import ApiKey
from pregon.sealing import Member
from pregon.tenders.models import CommitteeMember, Tender
from pregon.tlog.checkpoint import open_note
from pregon.tlog.merkle import leaf_hash
from tests import factories
from tests.bids.conftest import (
    ORIGIN,
    SIGNER,
    seal,
    submit,
    supplier_actor_of,
    upload,
    uploads_of,
)
from tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 oferta tecnica"


def _past_deadline(tender: Tender) -> None:
    """Move the tender's deadline a second into the past, by the database's clock, leaving it
    active (as it is until the close task runs)."""
    past = clock.db_now() - dt.timedelta(seconds=1)
    Tender.objects.filter(pk=tender.pk).update(
        enquiry_end=past - dt.timedelta(days=1), submission_deadline=past
    )
    tender.refresh_from_db()


# ---------------------------------------------------------------------------------------------
# submit


def test_a_supplier_submits_a_sealed_bid(
    supplier_actor: Actor, supplier: Any, tender: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    sealed = seal(tender, documents=[("d1", PDF)])
    documents = uploads_of(supplier_actor, tender, sealed)
    [(_, the_upload)] = documents
    upload_path = Path(default_storage.path(the_upload.path))

    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.bid_submit(
            actor=supplier_actor,
            tender=tender,
            envelope=sealed.envelope,
            documents=documents,
            idempotency_key="oferta-1",
            declaration=DECLARATION_VERSION,
        )

    bid = Bid.objects.get()
    assert outcome.created is True
    assert outcome.bid == bid
    assert (bid.tender, bid.supplier, bid.submitted_by) == (
        tender,
        supplier,
        supplier_actor.user,
    )
    assert (bid.status, bid.idempotency_key, bid.replaces) == ("submitted", "oferta-1", None)
    assert bytes(bid.envelope) == sealed.envelope
    assert bid.commitment == hashlib.sha256(sealed.envelope).hexdigest() == sealed.commitment
    # The documents' bytes moved to the bid; the upload is gone, row and file.
    [document] = BidDocument.objects.filter(bid=bid)
    assert (document.doc_id, document.size) == ("d1", len(sealed.documents[0][1]))
    assert document.sha256 == hashlib.sha256(sealed.documents[0][1]).hexdigest()
    assert document.file.name == f"bids/documents/{bid.pk}/d1"
    with document.file.open("rb") as handle:
        assert handle.read() == sealed.documents[0][1]
    assert not BidUpload.objects.exists()
    assert not upload_path.exists()
    # The log holds the commitment; the leaf's bytes are rebuilt from the bid.
    leaf = Leaf.objects.get(index=bid.leaf_index)
    assert (leaf.kind, leaf.ref) == ("bid_commitment", bid.commitment)
    data = bid.leaf_data(str(tender.ocid))
    assert bytes(leaf.leaf_hash) == leaf_hash(data)
    assert data == (
        b'{"action":"submit","commitment":"%s","tender":"%s","time":"%s","type":"bid-commitment"}'
        % (bid.commitment.encode(), str(tender.ocid).encode(), rfc3339(bid.received_at).encode())
    )
    # The receipt is signed with the log's key.
    opened = open_note(bid.receipt, [SIGNER.verifier])
    assert opened.text == (
        f"{ORIGIN}\npregon bid receipt\n{tender.ocid}\n{bid.commitment}\nsubmit\n"
        f"{rfc3339(bid.received_at)}\n{bid.leaf_index}\n"
    )
    # The audit row is the supplier's, and names neither price nor bidder in its object.
    row = AuditEvent.objects.get(action="bid.submit")
    assert (row.organization, row.actor, row.object_id) == (
        supplier,
        supplier_actor.user,
        str(bid.pk),
    )
    assert row.object_repr == f"Sealed bid {bid.commitment[:16]}"
    assert row.summary == {
        "tender": tender.ocid,
        "commitment": bid.commitment,
        "leaf_index": bid.leaf_index,
        "declaration": DECLARATION_VERSION,
    }


def test_an_api_key_of_the_supplier_submits(supplier: Any, tender: Tender) -> None:
    api_key = ApiKey.objects.create(
        organization=supplier,
        name="Corredor",
        prefix="bidkey000001",
        secret_hash="0" * 64,
        scopes=["bids:submit"],
    )
    actor = Actor(user=None, organization=supplier, api_key=api_key, channel="api")

    bid = submit(actor, tender).bid

    assert (bid.supplier, bid.submitted_by) == (supplier, None)
    assert AuditEvent.objects.get(action="bid.submit").actor_label == "api-key:bidkey000001"


def _submit_args(actor: Actor, tender: Tender, **overrides: Any) -> dict[str, Any]:
    sealed = seal(tender)
    arguments: dict[str, Any] = {
        "actor": actor,
        "tender": tender,
        "envelope": sealed.envelope,
        "documents": [],
        "idempotency_key": "oferta-1",
        "declaration": DECLARATION_VERSION,
    }
    arguments.update(overrides)
    return arguments


@pytest.mark.parametrize(
    "who",
    ["anonymous", "buyer official", "committee member", "another buyer", "supplier without role"],
)
def test_only_a_supplier_acting_for_itself_submits(
    refused: Any, official_actor: Actor, tender: Tender, who: str
) -> None:
    supplier = factories.SupplierFactory()
    actors = {
        "anonymous": Actor(user=None),
        "buyer official": official_actor,
        "committee member": factories.actor_for(
            factories.member(tender.buyer, "committee_member"), tender.buyer
        ),
        "another buyer": factories.actor_for(
            factories.member(factories.BuyerFactory(), "buyer_official"), tender.buyer
        ),
        # A person of the supplier whose role is not a supplier role acts for nobody.
        "supplier without role": factories.actor_for(
            factories.member(supplier, "auditor"), supplier
        ),
    }

    refused(
        PermissionDenied,
        "permission_denied",
        services.bid_submit,
        **_submit_args(actors[who], tender),
    )


def test_no_bid_after_the_deadline_by_the_database_clock(
    refused: Any, supplier_actor: Actor, tender: Tender
) -> None:
    arguments = _submit_args(supplier_actor, tender)
    _past_deadline(tender)
    assert tender.status == "active"  # the close task has not run: the clock decides

    error = refused(InvalidTransition, "deadline_passed", services.bid_submit, **arguments)

    assert str(error.message) == (
        "The bid deadline has passed; this tender no longer accepts changes, questions or bids."
    )


def test_a_bid_a_moment_before_the_deadline_is_accepted(
    supplier_actor: Actor, tender: Tender
) -> None:
    deadline = clock.db_now() + dt.timedelta(seconds=30)
    Tender.objects.filter(pk=tender.pk).update(
        enquiry_end=deadline - dt.timedelta(days=1), submission_deadline=deadline
    )

    bid = submit(supplier_actor, tender).bid

    assert bid.received_at < deadline


def test_no_bid_on_a_closed_or_cancelled_tender(
    refused: Any, supplier_actor: Actor, buyer: Any
) -> None:
    closed = factories.TenderClosedFactory(buyer=buyer)
    cancelled = factories.TenderCancelledFactory(buyer=buyer)

    for tender in (closed, cancelled):
        error = refused(
            InvalidTransition,
            "not_open",
            services.bid_submit,
            **_submit_args(supplier_actor, tender),
        )
        assert "This tender is not open" in str(error.message)


def test_a_tender_without_committee_receives_no_sealed_bid(
    refused: Any, supplier_actor: Actor, tender: Tender
) -> None:
    arguments = _submit_args(supplier_actor, tender)
    CommitteeMember.objects.filter(tender=tender).delete()
    Tender.objects.filter(pk=tender.pk).update(opening_threshold=None)

    refused(InvalidTransition, "no_committee", services.bid_submit, **arguments)


def test_the_envelope_must_be_sealed_for_this_tender_and_its_committee(
    refused: Any, supplier_actor: Actor, tender: Tender, buyer: Any
) -> None:
    other = factories.TenderOpenFactory(buyer=buyer)
    committee = [
        Member(fingerprint=m.fingerprint, public_key=bytes(m.public_key))
        for m in tender.committee.order_by("position")
    ]
    cases = {
        "envelope_wrong_tender": seal(other).envelope,
        "envelope_wrong_committee": seal(tender, members=list(reversed(committee))).envelope,
        "envelope_wrong_threshold": seal(tender, threshold=3).envelope,
        "envelope_malformed_envelope": b'{"format":"pregon-sealed-bid/1"}',
        "envelope_not_canonical": seal(tender).envelope.replace(b",", b", ", 1),
    }
    for code, envelope in cases.items():
        refused(
            ValidationFailed,
            code,
            services.bid_submit,
            **_submit_args(supplier_actor, tender, envelope=envelope),
        )
    refused(
        PayloadTooLarge,
        "payload_too_large",
        services.bid_submit,
        **_submit_args(supplier_actor, tender, envelope=b" " * (1024 * 1024 + 1)),
    )


def test_the_documents_must_be_the_envelopes(
    refused: Any, supplier_actor: Actor, tender: Tender
) -> None:
    sealed = seal(tender, documents=[("d1", PDF), ("d2", b"anexo economico")])
    [(_, first), (_, second)] = uploads_of(supplier_actor, tender, sealed)
    other_supplier = supplier_actor_of()
    foreign = upload(other_supplier, tender, sealed.documents[1][1])
    partial = services.bid_upload_start(
        actor=supplier_actor,
        tender=tender,
        size=len(sealed.documents[1][1]),
        sha256=hashlib.sha256(sealed.documents[1][1]).hexdigest(),
    )
    wrong = upload(supplier_actor, tender, sealed.documents[0][1])  # d1's bytes given for d2
    cases = {
        "documents_mismatch": [("d1", first)],
        "upload_unknown": [("d1", first), ("d2", foreign)],
        "upload_incomplete": [("d1", first), ("d2", partial)],
        "document_mismatch": [("d1", first), ("d2", wrong)],
    }
    for code, documents in cases.items():
        refused(
            ValidationFailed,
            code,
            services.bid_submit,
            **_submit_args(supplier_actor, tender, envelope=sealed.envelope, documents=documents),
        )
    # Duplicates are a mismatch too.
    refused(
        ValidationFailed,
        "documents_mismatch",
        services.bid_submit,
        **_submit_args(
            supplier_actor,
            tender,
            envelope=sealed.envelope,
            documents=[("d1", first), ("d2", second), ("d2", second)],
        ),
    )


def test_one_submitted_bid_per_supplier_and_tender(
    refused: Any, supplier_actor: Actor, tender: Tender
) -> None:
    submit(supplier_actor, tender, key="primera")

    error = refused(
        InvalidTransition,
        "bid_exists",
        services.bid_submit,
        **_submit_args(supplier_actor, tender, idempotency_key="segunda"),
    )

    assert "Replace it, or withdraw it" in str(error.message)


def test_an_envelope_is_submitted_once(refused: Any, supplier_actor: Actor, tender: Tender) -> None:
    first = submit(supplier_actor, tender, key="primera")
    services.bid_withdraw(actor=supplier_actor, bid=first.bid, idempotency_key="retiro")

    refused(
        ValidationFailed,
        "envelope_reused",
        services.bid_submit,
        **_submit_args(
            supplier_actor, tender, envelope=first.sealed.envelope, idempotency_key="otra"
        ),
    )


@pytest.mark.parametrize("key", ["", "a" * 65, "con espacio", "ñandú", "a/b"])
def test_an_idempotency_key_is_1_to_64_safe_characters(
    refused: Any, supplier_actor: Actor, tender: Tender, key: str
) -> None:
    refused(
        ValidationFailed,
        "invalid_idempotency_key",
        services.bid_submit,
        **_submit_args(supplier_actor, tender, idempotency_key=key),
    )


# ---------------------------------------------------------------------------------------------
# idempotency


def test_a_retry_with_the_same_key_answers_the_first_receipt(
    supplier_actor: Actor, tender: Tender
) -> None:
    # The first request committed, and its answer was lost (the connection dropped, the
    # server crashed before answering): the client sends the very same request again.
    sealed = seal(tender, documents=[("d1", PDF)])
    documents = uploads_of(supplier_actor, tender, sealed)
    arguments = {
        "actor": supplier_actor,
        "tender": tender,
        "envelope": sealed.envelope,
        "documents": [(doc_id, up.pk) for doc_id, up in documents],
        "idempotency_key": "oferta-1",
        "declaration": DECLARATION_VERSION,
    }
    first = services.bid_submit(**arguments)
    before = database_snapshot()

    again = services.bid_submit(**arguments)
    # Even once the deadline has passed: the bid was acknowledged before it.
    _past_deadline(tender)
    after_deadline = services.bid_submit(**arguments)

    assert (first.created, again.created, after_deadline.created) == (True, False, False)
    assert again.bid.pk == after_deadline.bid.pk == first.bid.pk
    assert again.bid.receipt == first.bid.receipt
    assert Bid.objects.count() == 1
    # Nothing written by the retry: no bid, no leaf, no audit row.
    before["tenders.Tender"] = database_snapshot()["tenders.Tender"]
    assert database_snapshot() == before


def test_the_same_key_with_another_bid_is_refused(
    refused: Any, supplier_actor: Actor, tender: Tender
) -> None:
    submit(supplier_actor, tender, key="oferta-1", amount="1000.00")

    error = refused(
        IdempotencyKeyReused,
        "idempotency_key_reused",
        services.bid_submit,
        **_submit_args(supplier_actor, tender, idempotency_key="oferta-1"),
    )

    assert error.status == 422
    assert "already used for another request" in str(error.message)


def test_keys_belong_to_each_supplier(supplier_actor: Actor, tender: Tender) -> None:
    submit(supplier_actor, tender, key="oferta-1")

    other = submit(supplier_actor_of(), tender, key="oferta-1")

    assert other.outcome.created is True
    assert Bid.objects.count() == 2


# ---------------------------------------------------------------------------------------------
# replace


def test_a_supplier_replaces_its_bid_until_the_deadline(
    supplier_actor: Actor, supplier: Any, tender: Tender
) -> None:
    first = submit(supplier_actor, tender, key="primera").bid
    sealed = seal(tender, amount="900.00", documents=[("d1", PDF)])

    outcome = services.bid_replace(
        actor=supplier_actor,
        bid=first,
        envelope=sealed.envelope,
        documents=uploads_of(supplier_actor, tender, sealed),
        idempotency_key="segunda",
        declaration=DECLARATION_VERSION,
    )

    new = outcome.bid
    first.refresh_from_db()
    assert outcome.created is True
    assert (first.status, new.status, new.replaces) == ("replaced", "submitted", first)
    assert new.commitment == sealed.commitment
    assert b'"action":"replace"' in new.leaf_data(str(tender.ocid))
    assert open_note(new.receipt, [SIGNER.verifier]).text.split("\n")[4] == "replace"
    assert Leaf.objects.get(index=new.leaf_index).ref == new.commitment
    row = AuditEvent.objects.get(action="bid.replace")
    assert (row.organization, row.summary["replaced"]) == (supplier, first.commitment)
    # A retry answers the same replacement.
    again = services.bid_replace(
        actor=supplier_actor,
        bid=first,
        envelope=sealed.envelope,
        documents=[],
        idempotency_key="segunda",
        declaration=DECLARATION_VERSION,
    )
    assert (again.created, again.bid.pk) == (False, new.pk)


def test_replacing_is_refused_after_the_deadline_and_for_a_bid_no_longer_submitted(
    refused: Any, supplier_actor: Actor, tender: Tender
) -> None:
    first = submit(supplier_actor, tender, key="primera").bid
    replacement = {
        "actor": supplier_actor,
        "bid": first,
        "envelope": seal(tender, amount="800.00").envelope,
        "documents": [],
        "idempotency_key": "segunda",
        "declaration": DECLARATION_VERSION,
    }
    services.bid_withdraw(actor=supplier_actor, bid=first, idempotency_key="retiro")

    error = refused(InvalidTransition, "cannot_replace", services.bid_replace, **replacement)
    assert str(error.message) == "Only a submitted bid can be replaced; this bid is withdrawn."

    second = submit(supplier_actor, tender, key="tercera").bid
    _past_deadline(tender)
    refused(
        InvalidTransition,
        "deadline_passed",
        services.bid_replace,
        **{**replacement, "bid": second, "idempotency_key": "cuarta"},
    )


def test_only_the_bidder_replaces_or_withdraws(
    refused: Any, supplier_actor: Actor, tender: Tender
) -> None:
    bid = submit(supplier_actor, tender).bid
    other = supplier_actor_of()

    refused(
        PermissionDenied,
        "permission_denied",
        services.bid_replace,
        actor=other,
        bid=bid,
        envelope=seal(tender).envelope,
        documents=[],
        idempotency_key="ajena",
        declaration=DECLARATION_VERSION,
    )
    refused(
        PermissionDenied,
        "permission_denied",
        services.bid_withdraw,
        actor=other,
        bid=bid,
        idempotency_key="ajena",
    )


# ---------------------------------------------------------------------------------------------
# withdraw


def test_a_supplier_withdraws_its_bid(supplier_actor: Actor, supplier: Any, tender: Tender) -> None:
    bid = submit(supplier_actor, tender).bid

    outcome = services.bid_withdraw(actor=supplier_actor, bid=bid, idempotency_key="retiro")

    withdrawn = Bid.objects.get(pk=bid.pk)
    assert outcome.created is True
    assert withdrawn.status == BidStatus.WITHDRAWN
    assert withdrawn.withdraw_idempotency_key == "retiro"
    assert withdrawn.withdraw_leaf_index == bid.leaf_index + 1
    assert withdrawn.withdrawn_at is not None
    assert open_note(withdrawn.withdraw_receipt, [SIGNER.verifier]).text == (
        f"{ORIGIN}\npregon bid receipt\n{tender.ocid}\n{bid.commitment}\nwithdraw\n"
        f"{rfc3339(withdrawn.withdrawn_at)}\n{withdrawn.withdraw_leaf_index}\n"
    )
    leaf = Leaf.objects.get(index=withdrawn.withdraw_leaf_index)
    assert bytes(leaf.leaf_hash) == leaf_hash(
        withdrawn.leaf_data(str(tender.ocid), withdrawal=True)
    )
    assert AuditEvent.objects.get(action="bid.withdraw").organization == supplier
    # The submission's receipt is kept as it was.
    assert withdrawn.receipt == bid.receipt
    # A retry answers the same withdrawal, and writes nothing.
    before = database_snapshot()
    again = services.bid_withdraw(actor=supplier_actor, bid=bid, idempotency_key="retiro")
    assert (again.created, again.bid.withdraw_receipt) == (False, withdrawn.withdraw_receipt)
    assert database_snapshot() == before


def test_withdrawing_is_refused_after_the_deadline_twice_or_with_a_used_key(
    refused: Any, supplier_actor: Actor, tender: Tender
) -> None:
    bid = submit(supplier_actor, tender, key="oferta").bid

    refused(
        IdempotencyKeyReused,
        "idempotency_key_reused",
        services.bid_withdraw,
        actor=supplier_actor,
        bid=bid,
        idempotency_key="oferta",
    )
    services.bid_withdraw(actor=supplier_actor, bid=bid, idempotency_key="retiro")
    refused(
        InvalidTransition,
        "cannot_withdraw",
        services.bid_withdraw,
        actor=supplier_actor,
        bid=bid,
        idempotency_key="otro-retiro",
    )
    later = submit(supplier_actor, tender, key="nueva").bid
    _past_deadline(tender)
    refused(
        InvalidTransition,
        "deadline_passed",
        services.bid_withdraw,
        actor=supplier_actor,
        bid=later,
        idempotency_key="tarde",
    )


# ---------------------------------------------------------------------------------------------
# the self-declaration


@pytest.mark.parametrize(
    ("declaration", "code"),
    [
        ("", "declaration_missing"),
        ("   ", "declaration_missing"),
        ("2019-01", "declaration_outdated"),
    ],
)
def test_a_bid_without_the_current_self_declaration_is_refused(
    refused: Any, supplier_actor: Actor, tender: Tender, declaration: str, code: str
) -> None:
    error = refused(
        ValidationFailed,
        code,
        services.bid_submit,
        **_submit_args(supplier_actor, tender, declaration=declaration),
    )
    assert error.field == "declaration"
    assert "self-declaration" in str(error.message)


def test_the_bid_records_who_declared_which_version_and_when(
    supplier_actor: Actor, tender: Tender
) -> None:
    bid = submit(supplier_actor, tender).bid
    declaration = BidDeclaration.objects.get(bid=bid)
    assert (declaration.version, declaration.declared_by, declaration.declared_at) == (
        DECLARATION_VERSION,
        supplier_actor.user,
        bid.received_at,
    )
    assert declaration.declared_by_label == supplier_actor.label
    # A replacement is declared anew.
    new = services.bid_replace(
        actor=supplier_actor,
        bid=bid,
        envelope=seal(tender, amount="900.00").envelope,
        documents=[],
        idempotency_key="otra",
        declaration=DECLARATION_VERSION,
    ).bid
    assert BidDeclaration.objects.filter(bid=new).count() == 1
