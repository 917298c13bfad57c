"""Submitting, replacing and withdrawing sealed bids.

Each one, in one transaction: checks that the actor acts for a registered supplier, locks the
tender's row, answers a repeated request (same idempotency key, same content) with the first
one's bid and receipt, reads the time from the database's clock and refuses once the bid
deadline has passed, checks the envelope against the tender (ocid, committee in published
order, threshold) and the documents against the envelope, records the supplier's signed
self-declaration (which wording, who, when: a bid without it is refused), moves the bid along
`choices.TRANSITIONS`, appends the commitment to the transparency log, signs the receipt with
the log's keys and writes the audit row, under the supplier (the buyer's audit trail never
names a bidder before the opening).

Because the repeated request is answered before anything else is checked, a client whose
connection dropped after the commit gets its receipt back even after the deadline, even
though the uploads it named were taken over by the first request: an acknowledged bid is never
lost, and never made twice.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from pregon.bids.choices import TRANSITIONS, BidStatus
from pregon.bids.models import Bid, BidDeclaration, BidDocument, BidUpload, bid_document_path
from pregon.bids.services.common import (
    BidOutcome,
    DocumentRef,
    bid_supplier,
    declaration_check,
    documents_check,
    envelope_check,
    envelope_parse,
    idempotency_key_check,
    key_reused,
    log_and_sign,
    millisecond,
    require_own,
)
from pregon.bids.services.uploads import upload_file
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.transitions import transition
from pregon.organizations.models import Organization
from pregon.sealing import Envelope
from pregon.tenders.models import Tender
from pregon.tenders.rule_packs import tender_open_to
from pregon.tenders.services.common import tender_lock, tender_require_open


def bid_submit(
    *,
    actor: Actor,
    tender: Tender,
    envelope: bytes,
    documents: Sequence[DocumentRef],
    idempotency_key: str,
    declaration: str,
) -> BidOutcome:
    """Submit a sealed bid: the envelope's exact bytes and its documents' uploads, with the
    version of the self-declaration the supplier signs (`declaration.DECLARATION_VERSION`).

    Returns the new bid (`created`), or the first bid when this repeats a submission made with
    the same idempotency key and the same envelope. Refused: another content under a known key
    (`IdempotencyKeyReused`), a closed tender or a passed deadline, a supplier that already has
    a submitted bid for the tender (replace or withdraw it), an envelope or documents that do not
    match the tender, no self-declaration or another version than the current one.
    """
    supplier = bid_supplier(actor)
    idempotency_key_check(idempotency_key)
    parsed = envelope_parse(envelope)
    declaration_check(declaration)
    try:
        return _submit(
            actor=actor,
            supplier=supplier,
            tender=tender,
            envelope=parsed,
            documents=documents,
            key=idempotency_key,
            replacing=None,
            declaration=declaration,
        )
    except IntegrityError:
        # Another request with the same key (for another tender, so not queued on the same
        # lock) committed first: answer as its repetition, or refuse the key.
        replay = _replay(supplier, idempotency_key, tender=tender, envelope=parsed, replacing=None)
        if replay is None:
            raise
        return replay


def bid_replace(
    *,
    actor: Actor,
    bid: Bid,
    envelope: bytes,
    documents: Sequence[DocumentRef],
    idempotency_key: str,
    declaration: str,
) -> BidOutcome:
    """Replace a submitted bid by a new sealed one, until the deadline; the new bid carries
    its own self-declaration.

    The old bid becomes "replaced"; the new one is submitted and names it in `replaces`, and its
    log leaf says "replace". A repeated request answers the first replacement.
    """
    supplier = bid_supplier(actor)
    require_own(supplier, bid)
    idempotency_key_check(idempotency_key)
    parsed = envelope_parse(envelope)
    declaration_check(declaration)
    try:
        return _submit(
            actor=actor,
            supplier=supplier,
            tender=bid.tender,
            envelope=parsed,
            documents=documents,
            key=idempotency_key,
            replacing=bid,
            declaration=declaration,
        )
    except IntegrityError:
        replay = _replay(
            supplier, idempotency_key, tender=bid.tender, envelope=parsed, replacing=bid
        )
        if replay is None:
            raise
        return replay


def bid_withdraw(*, actor: Actor, bid: Bid, idempotency_key: str) -> BidOutcome:
    """Withdraw a submitted bid, until the deadline; its withdrawal is logged and receipted.

    A repeated request (same key) answers the withdrawal already made.
    """
    supplier = bid_supplier(actor)
    require_own(supplier, bid)
    idempotency_key_check(idempotency_key)
    with transaction.atomic():
        locked_tender = tender_lock(bid.tender)
        locked = Bid.objects.select_for_update().get(pk=bid.pk)
        if locked.withdraw_idempotency_key == idempotency_key:
            return BidOutcome(bid=locked, created=False)
        if Bid.objects.filter(
            Q(idempotency_key=idempotency_key) | Q(withdraw_idempotency_key=idempotency_key),
            supplier=supplier,
        ).exists():
            raise key_reused()
        now = clock.db_now()
        tender_require_open(locked_tender, now)
        transition(locked, "withdraw", TRANSITIONS)
        withdrawn_at = millisecond(now)
        index, receipt = log_and_sign(
            ocid=str(locked_tender.ocid),
            commitment=locked.commitment,
            action="withdraw",
            time=withdrawn_at,
        )
        locked.withdrawn_at = withdrawn_at
        locked.withdraw_leaf_index = index
        locked.withdraw_receipt = receipt
        locked.withdraw_idempotency_key = idempotency_key
        locked.save(
            update_fields=[
                "status",
                "withdrawn_at",
                "withdraw_leaf_index",
                "withdraw_receipt",
                "withdraw_idempotency_key",
            ]
        )
        audit_record(
            actor=actor,
            action="bid.withdraw",
            target=locked,
            summary={
                "tender": locked_tender.ocid,
                "commitment": locked.commitment,
                "leaf_index": index,
            },
        )
    return BidOutcome(bid=locked, created=True)


# ---------------------------------------------------------------------------------------------


def _replay(
    supplier: Organization,
    key: str,
    *,
    tender: Tender,
    envelope: Envelope,
    replacing: Bid | None,
) -> BidOutcome | None:
    """The first bid made with this key when this request repeats it; None for a new key.

    The same content is the same envelope (its commitment covers the documents' SHA-256) for
    the same tender, replacing the same bid. Anything else under a known key is refused.
    """
    first = Bid.objects.filter(supplier=supplier, idempotency_key=key).first()
    if first is None:
        if Bid.objects.filter(supplier=supplier, withdraw_idempotency_key=key).exists():
            raise key_reused()
        return None
    same = (
        first.commitment == envelope.commitment
        and first.tender_id == tender.pk
        and first.replaces_id == (replacing.pk if replacing is not None else None)
    )
    if not same:
        raise key_reused()
    return BidOutcome(bid=first, created=False)


def _submit(
    *,
    actor: Actor,
    supplier: Organization,
    tender: Tender,
    envelope: Envelope,
    documents: Sequence[DocumentRef],
    key: str,
    replacing: Bid | None,
    declaration: str,
) -> BidOutcome:
    created: list[Path] = []
    try:
        with transaction.atomic():
            locked_tender = tender_lock(tender)
            replay = _replay(
                supplier, key, tender=locked_tender, envelope=envelope, replacing=replacing
            )
            if replay is not None:
                return replay
            old = None
            if replacing is not None:
                old = Bid.objects.select_for_update().get(pk=replacing.pk)
            now = clock.db_now()
            tender_require_open(locked_tender, now)
            if old is not None:
                transition(old, "replace", TRANSITIONS)
            envelope_check(envelope, locked_tender)
            if (refusal := tender_open_to(locked_tender, supplier)) is not None:
                # Every lot is reserved for smaller firms, and none admits this supplier.
                raise PermissionDenied(refusal, code="lots_reserved")
            if (
                old is None
                and Bid.objects.filter(
                    tender=locked_tender, supplier=supplier, status=BidStatus.SUBMITTED
                ).exists()
            ):
                raise InvalidTransition(
                    _(
                        "You already have a sealed bid for this tender. Replace it, or "
                        "withdraw it, instead."
                    ),
                    code="bid_exists",
                )
            if Bid.objects.filter(commitment=envelope.commitment).exists():
                raise ValidationFailed(
                    _(
                        "This envelope was already submitted. Seal the bid again to submit "
                        "it anew (each sealing makes a new envelope)."
                    ),
                    field="envelope",
                    code="envelope_reused",
                )
            uploads = documents_check(envelope, documents, tender=locked_tender, supplier=supplier)
            if old is not None:
                old.save(update_fields=["status"])
            bid = _record(
                actor=actor,
                supplier=supplier,
                tender=locked_tender,
                envelope=envelope,
                uploads=uploads,
                key=key,
                received_at=millisecond(now),
                replacing=old,
                created=created,
                declaration=declaration,
            )
    except BaseException:
        # The documents' bytes linked for a bid that was not stored.
        for path in created:
            path.unlink(missing_ok=True)
        raise
    return BidOutcome(bid=bid, created=True)


def _record(
    *,
    actor: Actor,
    supplier: Organization,
    tender: Tender,
    envelope: Envelope,
    uploads: list[tuple[str, BidUpload]],
    key: str,
    received_at: dt.datetime,
    replacing: Bid | None,
    created: list[Path],
    declaration: str,
) -> Bid:
    """Log the commitment, store the bid with its documents and its self-declaration, and
    write the audit row."""
    action = "replace" if replacing is not None else "submit"
    ocid = str(tender.ocid)
    index, receipt = log_and_sign(
        ocid=ocid,
        commitment=envelope.commitment,
        action=action,
        time=received_at,
    )
    bid = Bid.objects.create(
        id=uuid.uuid4(),
        tender=tender,
        supplier=supplier,
        submitted_by=actor.user,
        idempotency_key=key,
        envelope=envelope.data,
        commitment=envelope.commitment,
        leaf_index=index,
        receipt=receipt,
        received_at=received_at,
        replaces=replacing,
    )
    BidDeclaration.objects.create(
        bid=bid,
        version=declaration,
        declared_by=actor.user,
        declared_by_label=actor.label,
        declared_at=received_at,
    )
    for doc_id, upload in uploads:
        document = BidDocument(bid=bid, doc_id=doc_id, size=upload.size, sha256=upload.sha256)
        name = bid_document_path(document, doc_id)
        _take_over(upload_file(upload), Path(default_storage.path(name)), created)
        document.file.name = name
        document.save()
    spent = [upload_file(upload) for _doc_id, upload in uploads]
    BidUpload.objects.filter(pk__in=[upload.pk for _doc_id, upload in uploads]).delete()
    transaction.on_commit(lambda: _remove(spent), robust=True)
    summary: dict[str, object] = {
        "tender": ocid,
        "commitment": bid.commitment,
        "leaf_index": index,
        "declaration": declaration,
    }
    if replacing is not None:
        summary["replaced"] = replacing.commitment
    audit_record(actor=actor, action=f"bid.{action}", target=bid, summary=summary)
    return bid


def _take_over(source: Path, target: Path, created: list[Path]) -> None:
    """Give the upload's bytes a second name, the document's, without copying when possible."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        # Another file system (or one without hard links): copy, and sync the copy.
        shutil.copyfile(source, target)
        with target.open("rb") as handle:
            os.fsync(handle.fileno())
    created.append(target)


def _remove(paths: list[Path]) -> None:
    """Drop the uploads' own names of bytes that now belong to a bid."""
    for path in paths:
        path.unlink(missing_ok=True)
