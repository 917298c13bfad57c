"""What the bid services share: who may bid, the checks of an envelope against its tender, the
refusals in the caller's language, the log leaf and the signed receipt."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.accounts.permissions import require_role
from pregon.bids.choices import IDEMPOTENCY_KEY_PATTERN
from pregon.bids.declaration import DECLARATION_VERSION
from pregon.bids.models import Bid, BidUpload, bid_leaf_data, rfc3339
from pregon.core.actor import Actor
from pregon.core.errors import DomainError, InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.problems import PayloadTooLarge
from pregon.ledger import keys
from pregon.ledger.choices import LeafKind
from pregon.ledger.services import leaf_append
from pregon.organizations.models import Organization
from pregon.sealing import Envelope, SealingError, parse_envelope
from pregon.sealing.envelope import MAX_ENVELOPE_BYTES
from pregon.tenders.models import Tender
from pregon.tlog.checkpoint import sign_note

_IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)

#: A document of a submission: the envelope's document id and its upload (the row, or its id:
#: the API passes ids, and a repeated submission names uploads that its first run consumed).
type DocumentRef = tuple[str, BidUpload | uuid.UUID]


@dataclass(frozen=True, kw_only=True)
class BidOutcome:
    """What a submission, replacement or withdrawal gives back.

    `created` is False when the request repeats one already carried out with the same
    idempotency key: nothing new was written, and `bid` is the bid (and receipt) of the first.
    """

    bid: Bid
    created: bool


class IdempotencyKeyReused(DomainError):
    """The idempotency key was already used for a request with another content."""

    status = 422
    code = "idempotency_key_reused"


class UploadOffsetMismatch(DomainError):
    """A chunk that does not start where the upload stands; the problem says where it does."""

    status = 409
    code = "wrong_offset"

    def __init__(self, message: Any, *, received: int) -> None:
        super().__init__(message)
        self.received = received

    def as_problem(self, *, instance: str = "") -> dict[str, Any]:
        """The problem, with `received`: where the next chunk must start."""
        problem = super().as_problem(instance=instance)
        problem["received"] = self.received
        return problem


# ---------------------------------------------------------------------------------------------
# who may bid


def bid_supplier(actor: Actor) -> Organization:
    """The supplier the actor bids for; refused unless it is a registered supplier organization
    and the actor acts for it (a member with a supplier role, or the supplier's API key)."""
    organization = actor.organization
    if organization is None or organization.kind != OrganizationKind.SUPPLIER:
        raise PermissionDenied(_("Only registered suppliers can bid."))
    require_role(actor, organization, SUPPLIER_ROLES)
    return organization


def declaration_check(version: str) -> None:
    """Refuse a bid without the supplier's self-declaration, or signed in another wording
    than the current one."""
    if not isinstance(version, str) or not version.strip():
        raise ValidationFailed(
            _(
                "Sign the self-declaration to submit the bid: it stands in for the "
                "certificates, which only the winner gives, before the contract."
            ),
            field="declaration",
            code="declaration_missing",
        )
    if version != DECLARATION_VERSION:
        raise ValidationFailed(
            _(
                "The self-declaration you signed (%(signed)s) is not the current one "
                "(%(current)s). Read the current one and sign it."
            )
            % {"signed": version[:16], "current": DECLARATION_VERSION},
            field="declaration",
            code="declaration_outdated",
        )


def require_own(supplier: Organization, obj: Bid | BidUpload) -> None:
    """Refuse a bid or upload of another supplier."""
    if obj.supplier_id != supplier.pk:
        raise PermissionDenied(_("This belongs to another supplier."))


def idempotency_key_check(key: str) -> None:
    """Refuse an idempotency key that is not 1 to 64 letters, digits, "-" or "_"."""
    if not isinstance(key, str) or not _IDEMPOTENCY_KEY.fullmatch(key):
        raise ValidationFailed(
            _("The idempotency key must be 1 to 64 characters among letters, digits, “-” and “_”."),
            field="idempotency_key",
            code="invalid_idempotency_key",
        )


def key_reused() -> IdempotencyKeyReused:
    """The refusal of a known idempotency key sent with another request."""
    return IdempotencyKeyReused(
        _(
            "This idempotency key was already used for another request. Use a new key for a "
            "new bid, and the same key only to repeat exactly the same request."
        ),
        field="idempotency_key",
    )


def millisecond(moment: dt.datetime) -> dt.datetime:
    """The moment as receipts write it (to the millisecond, earlier never later)."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def tender_has_committee(locked: Tender) -> list[str]:
    """The fingerprints of the tender's opening committee, in published order; refused when
    the tender has none (published before sealed bids existed)."""
    fingerprints = list(locked.committee.order_by("position").values_list("fingerprint", flat=True))
    if not fingerprints or locked.opening_threshold is None:
        raise InvalidTransition(
            _("This tender has no opening committee, so it cannot receive sealed bids."),
            code="no_committee",
        )
    return fingerprints


# ---------------------------------------------------------------------------------------------
# the envelope


def _envelope_messages() -> dict[str, str]:
    return {
        "too_large": _("The envelope is too large; the limit is %(limit)s.")
        % {"limit": filesizeformat(MAX_ENVELOPE_BYTES)},
        "malformed_envelope": _(
            "The envelope is not a sealed bid as the platform's clients make it (its JSON "
            "members or values are wrong). Seal the bid again with the bid page or pregon.client."
        ),
        "unknown_format": _("The envelope is not in a format this platform knows."),
        "not_canonical": _(
            "The envelope is not in its canonical form (RFC 8785), so its commitment would not "
            "match. Send the exact bytes the sealing produced."
        ),
        "bad_base64": _("A value of the envelope is not valid base64url without padding."),
        "bad_size": _("A value of the envelope does not have the size the format requires."),
        "bad_threshold": _(
            "The envelope's number of shares or threshold is not possible (1 ≤ k ≤ n)."
        ),
        "duplicate_member": _("The envelope holds two shares for one committee member."),
        "duplicate_document": _("The envelope lists one document twice."),
    }


def envelope_parse(data: bytes) -> Envelope:
    """Parse the envelope's bytes; refusals in the caller's language (413 when too large)."""
    try:
        return parse_envelope(data)
    except SealingError as error:
        message = _envelope_messages().get(
            error.code,
            _("The envelope was refused (%(code)s).") % {"code": error.code},
        )
        if error.code == "too_large":
            raise PayloadTooLarge(message, field="envelope") from error
        raise ValidationFailed(message, field="envelope", code=f"envelope_{error.code}") from error


def envelope_check(envelope: Envelope, locked: Tender) -> None:
    """Refuse an envelope not sealed for this tender, to its committee in published order,
    with its threshold."""
    if envelope.tender != locked.ocid:
        raise ValidationFailed(
            _("The envelope was sealed for another tender (%(ocid)s).")
            % {"ocid": envelope.tender[:100]},
            field="envelope",
            code="envelope_wrong_tender",
        )
    committee = tender_has_committee(locked)
    if [share.member for share in envelope.shares] != committee:
        raise ValidationFailed(
            _(
                "The envelope is not sealed to this tender's opening committee, one share per "
                "member in the published order. Fetch the committee again and seal the bid again."
            ),
            field="envelope",
            code="envelope_wrong_committee",
        )
    if envelope.threshold != locked.opening_threshold:
        raise ValidationFailed(
            _(
                "The envelope needs %(given)s members to open, but this tender's committee "
                "opens with %(threshold)s."
            )
            % {"given": envelope.threshold, "threshold": locked.opening_threshold},
            field="envelope",
            code="envelope_wrong_threshold",
        )


def documents_check(
    envelope: Envelope,
    documents: Sequence[DocumentRef],
    *,
    tender: Tender,
    supplier: Organization,
) -> list[tuple[str, BidUpload]]:
    """Refuse documents that are not exactly the envelope's, each a complete upload of this
    supplier for this tender with the size and SHA-256 the envelope declares. Returns the
    upload rows read again under their locks, in the envelope's order."""
    declared = {document.id: document for document in envelope.documents}
    given = [doc_id for doc_id, _upload in documents]
    if len(set(given)) != len(given) or set(given) != set(declared):
        raise ValidationFailed(
            _("The documents sent (%(given)s) are not those the envelope declares (%(declared)s).")
            % {
                "given": ", ".join(given) or "—",
                "declared": ", ".join(declared) or "—",
            },
            field="documents",
            code="documents_mismatch",
        )
    wanted = {
        upload.pk if isinstance(upload, BidUpload) else upload: doc_id
        for doc_id, upload in documents
    }
    locked = {
        upload.pk: upload
        for upload in BidUpload.objects.select_for_update().filter(pk__in=list(wanted))
    }
    checked: list[tuple[str, BidUpload]] = []
    for document in envelope.documents:
        upload_pk = next(pk for pk, doc_id in wanted.items() if doc_id == document.id)
        upload = locked.get(upload_pk)
        if upload is None or upload.tender_id != tender.pk or upload.supplier_id != supplier.pk:
            raise ValidationFailed(
                _(
                    "The upload given for document %(document)s does not exist, or is not "
                    "yours for this tender (an upload serves one bid only)."
                )
                % {"document": document.id},
                field="documents",
                code="upload_unknown",
            )
        if not upload.is_complete:
            raise ValidationFailed(
                _(
                    "The upload of document %(document)s is not complete: %(received)s of "
                    "%(size)s bytes arrived."
                )
                % {"document": document.id, "received": upload.received, "size": upload.size},
                field="documents",
                code="upload_incomplete",
            )
        if upload.size != document.size or upload.sha256 != document.sha256:
            raise ValidationFailed(
                _(
                    "The upload of document %(document)s is not the document the envelope "
                    "declares (its size or SHA-256 differ)."
                )
                % {"document": document.id},
                field="documents",
                code="document_mismatch",
            )
        checked.append((document.id, upload))
    return checked


# ---------------------------------------------------------------------------------------------
# log and receipt


def receipt_text(*, ocid: str, commitment: str, action: str, time: dt.datetime, index: int) -> str:
    """The text of a bid receipt, as the log's key signs it (SEALED.md)."""
    return (
        f"{keys.log_origin()}\npregon bid receipt\n{ocid}\n{commitment}\n{action}\n"
        f"{rfc3339(time)}\n{index}\n"
    )


def log_and_sign(*, ocid: str, commitment: str, action: str, time: dt.datetime) -> tuple[int, str]:
    """Append the bid's leaf to the transparency log and sign its receipt.

    Runs inside the caller's transaction: the leaf, the bid and its audit row commit together.
    Returns the leaf index and the signed receipt.
    """
    if not transaction.get_connection().in_atomic_block:  # pragma: no cover - a caller's bug
        raise RuntimeError("log_and_sign runs inside the transaction that stores the bid")
    leaf = leaf_append(
        kind=LeafKind.BID_COMMITMENT,
        data=bid_leaf_data(ocid=ocid, commitment=commitment, action=action, time=time),
        ref=commitment,
    )
    text = receipt_text(
        ocid=ocid, commitment=commitment, action=action, time=time, index=leaf.index
    )
    return leaf.index, sign_note(text, keys.signer_keys())
