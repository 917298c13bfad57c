"""Sealed bids, their encrypted documents and uploads, and the public opening.

The platform keeps only what the bidder's client sealed: the envelope (the bid encrypted under
a data key, the data key split into shares, each share encrypted to one committee member) and
the encrypted documents. Nothing here holds a plaintext price or document before the opening;
`OpenedBid` holds what the opening decrypted, once k members handed in their shares.
The state diagrams are in `Bid`'s and `Opening`'s docstrings.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from pregon.bids.choices import (
    DATA_KEY_BYTES,
    DOCUMENT_ID_PATTERN,
    ENVELOPE_MAX_BYTES,
    IDEMPOTENCY_KEY_PATTERN,
    SHA256_PATTERN,
    SHARE_BYTES,
    BidStatus,
    OpenedBidOutcome,
    OpeningStatus,
)
from pregon.bids.choices_opening import ShareDeclaration
from pregon.bids.declaration import DECLARATION_TEXTS
from pregon.core import clock
from pregon.core.append_only import AppendOnlyModel
from pregon.tlog import jcs

#: Where the bytes of an upload are written while they arrive (under MEDIA_ROOT, never served).
UPLOADS_DIR = "bids/uploads"
#: Where the encrypted documents of submitted bids are kept (under MEDIA_ROOT, never served).
DOCUMENTS_DIR = "bids/documents"


def rfc3339(moment: dt.datetime) -> str:
    """A moment as the receipts and log leaves write it: UTC, milliseconds, "Z"."""
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


class BidUpload(models.Model):
    """An encrypted document arriving in chunks, before the bid that uses it is submitted.

    The bytes go to `path` (under MEDIA_ROOT, never served); `received` says how many of them
    count, so a chunk interrupted half-way is simply sent again from `received`. The upload is
    complete when `received` reaches `size` and the bytes' SHA-256 is the one announced. A bid
    takes the bytes over as one of its `BidDocument`s and the upload row is then deleted.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tender = models.ForeignKey(
        "tenders.Tender",
        verbose_name=_("tender"),
        on_delete=models.CASCADE,
        related_name="bid_uploads",
    )
    supplier = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    received = models.PositiveBigIntegerField(_("bytes received"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_at = models.DateTimeField(_("started"), default=clock.now)

    class Meta:
        verbose_name = _("upload of a sealed document")
        verbose_name_plural = _("uploads of sealed documents")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["tender", "supplier", "completed_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1), name="bid_upload_size_positive"),
            models.CheckConstraint(
                condition=Q(received__lte=F("size")), name="bid_upload_received_within_size"
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(received=F("size")),
                name="bid_upload_complete_when_all_received",
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=SHA256_PATTERN), name="bid_upload_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return _("Upload %(id)s") % {"id": self.pk}

    @property
    def path(self) -> str:
        """The stored name of the bytes (relative to MEDIA_ROOT)."""
        return f"{UPLOADS_DIR}/{self.pk}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class Bid(models.Model):
    """One supplier's sealed offer for one tender, as its client sealed it.

    Its life, as `choices.TRANSITIONS` writes it (every move goes through a service on the
    locked row; the database refuses any other change, see migration 0002)::

                        replace (a new bid, submitted, names this one in `replaces`)
                      ┌─────────────────────────────▶ replaced
                      │
        ┌───────────┐ │ withdraw
        │ submitted ├─┼─────────────────────────────▶ withdrawn
        └───────────┘ │
                      │ open (at the opening, k shares rebuilt the data key)
                      ├─────────────────────────────▶ opened
                      │ mark_undecryptable (the key rebuilt does not open it)
                      └─────────────────────────────▶ undecryptable

    Replace and withdraw are allowed until the tender's deadline (read from the database's
    clock under the tender's row lock); open and mark_undecryptable happen at the opening.
    A supplier has at most one submitted bid per tender.

    What never changes once written: the envelope, its commitment (SHA-256 of the envelope),
    the log leaf and receipt of the submission, the time it was received (the database's
    clock), the supplier, the idempotency key. The withdrawal's receipt, leaf and time are
    written once. The log leaf does not name the supplier, and nobody but the supplier itself
    reads who bid before the opening (`selectors`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tender = models.ForeignKey(
        "tenders.Tender", verbose_name=_("tender"), on_delete=models.PROTECT, related_name="bids"
    )
    supplier = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="bids",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        # People are deactivated, never deleted; an API key submits without a person.
        on_delete=models.PROTECT,
        related_name="+",
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=BidStatus.choices,
        default=BidStatus.SUBMITTED,
        db_index=True,
    )
    envelope = models.BinaryField(_("envelope"), max_length=ENVELOPE_MAX_BYTES)
    commitment = models.CharField(_("commitment"), max_length=64, unique=True)
    leaf_index = models.PositiveBigIntegerField(_("log leaf"), unique=True)
    receipt = models.TextField(_("receipt"))
    received_at = models.DateTimeField(_("received"))
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdraw_receipt = models.TextField(_("receipt of the withdrawal"), blank=True)
    withdraw_leaf_index = models.PositiveBigIntegerField(
        _("log leaf of the withdrawal"), null=True, blank=True, unique=True
    )
    # The key the withdrawal was asked with: a retry with it answers the same receipt.
    withdraw_idempotency_key = models.CharField(
        _("idempotency key of the withdrawal"), max_length=64, blank=True
    )

    class Meta:
        verbose_name = _("sealed bid")
        verbose_name_plural = _("sealed bids")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["tender", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BidStatus.values), name="bid_status_valid"
            ),
            models.UniqueConstraint(
                fields=["supplier", "idempotency_key"],
                name="bid_idempotency_key_unique_per_supplier",
            ),
            models.UniqueConstraint(
                fields=["supplier", "withdraw_idempotency_key"],
                condition=~Q(withdraw_idempotency_key=""),
                name="bid_withdraw_idempotency_key_unique_per_supplier",
            ),
            models.UniqueConstraint(
                fields=["tender", "supplier"],
                condition=Q(status=BidStatus.SUBMITTED),
                name="bid_one_submitted_per_supplier_and_tender",
            ),
            models.CheckConstraint(
                condition=Q(commitment__regex=SHA256_PATTERN), name="bid_commitment_hex"
            ),
            models.CheckConstraint(
                condition=Q(idempotency_key__regex=IDEMPOTENCY_KEY_PATTERN),
                name="bid_idempotency_key_valid",
            ),
            models.CheckConstraint(
                condition=Q(withdraw_idempotency_key="")
                | Q(withdraw_idempotency_key__regex=IDEMPOTENCY_KEY_PATTERN),
                name="bid_withdraw_idempotency_key_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    GreaterThanOrEqual(Length("envelope"), 1),
                    LessThanOrEqual(Length("envelope"), ENVELOPE_MAX_BYTES),
                ),
                name="bid_envelope_size",
            ),
            models.CheckConstraint(condition=~Q(receipt=""), name="bid_has_receipt"),
            models.CheckConstraint(
                condition=~Q(replaces=F("id")), name="bid_does_not_replace_itself"
            ),
            # Withdrawn, and only withdrawn, bids carry the withdrawal's time, leaf and receipt.
            models.CheckConstraint(
                condition=(
                    Q(status=BidStatus.WITHDRAWN)
                    & Q(withdrawn_at__isnull=False)
                    & Q(withdraw_leaf_index__isnull=False)
                    & ~Q(withdraw_receipt="")
                    & ~Q(withdraw_idempotency_key="")
                )
                | (
                    ~Q(status=BidStatus.WITHDRAWN)
                    & Q(withdrawn_at__isnull=True)
                    & Q(withdraw_leaf_index__isnull=True)
                    & Q(withdraw_receipt="")
                    & Q(withdraw_idempotency_key="")
                ),
                name="bid_withdrawal_recorded",
            ),
        ]

    def __str__(self) -> str:
        # Never the supplier: this is what the audit trail and the admin name the bid by.
        return _("Sealed bid %(commitment)s") % {"commitment": self.commitment[:16]}

    @property
    def action(self) -> str:
        """What the submission's log leaf says this bid was: "submit" or "replace"."""
        return "replace" if self.replaces_id is not None else "submit"

    def leaf_data(self, ocid: str, *, withdrawal: bool = False) -> bytes:
        """The exact bytes of this bid's log leaf (or of its withdrawal's).

        Not stored: they are rebuilt from the row, which is how anyone holding a receipt
        checks its inclusion in the log (the receipt carries every value).
        """
        if withdrawal:
            if self.withdrawn_at is None:
                raise ValueError("this bid was not withdrawn")
            return bid_leaf_data(
                ocid=ocid, commitment=self.commitment, action="withdraw", time=self.withdrawn_at
            )
        return bid_leaf_data(
            ocid=ocid, commitment=self.commitment, action=self.action, time=self.received_at
        )


def bid_leaf_data(*, ocid: str, commitment: str, action: str, time: dt.datetime) -> bytes:
    """The JCS bytes of a bid's log leaf (it names the tender, never the bidder)."""
    return jcs.canonical_bytes(
        {
            "type": "bid-commitment",
            "tender": ocid,
            "commitment": commitment,
            "action": action,
            "time": rfc3339(time),
        }
    )


class BidDeclaration(AppendOnlyModel):
    """The self-declaration the supplier signed with a bid, instead of uploading certificates
    (`bids.declaration`): which wording (`version`), who signed it and when (the moment the bid
    was received). It is not secret: it says nothing of what the sealed bid offers. A bid is
    refused without one; the evidence behind it is asked only of the winner, before the
    contract. Signed once, never changed or removed (a replacing bid is declared anew); the
    database refuses it too (migration 0005)."""

    append_only_message = "The self-declaration of a bid never changes."

    bid = models.OneToOneField(
        Bid,
        verbose_name=_("bid"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="declaration",
    )
    version = models.CharField(_("version of the declaration"), max_length=16)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Who signed, as the audit trail names them (a person, or an API key of the supplier).
    declared_by_label = models.CharField(_("declared by"), max_length=300)
    declared_at = models.DateTimeField(_("declared at"))

    class Meta:
        verbose_name = _("self-declaration")
        verbose_name_plural = _("self-declarations")
        constraints = [
            models.CheckConstraint(
                condition=Q(version__in=sorted(DECLARATION_TEXTS)),
                name="bid_declaration_version_known",
            ),
            models.CheckConstraint(
                condition=~Q(declared_by_label=""), name="bid_declaration_signer_named"
            ),
        ]

    def __str__(self) -> str:
        return _("Self-declaration %(version)s") % {"version": self.version}


def bid_document_path(instance: BidDocument, filename: str) -> str:
    # Named after the bid and the envelope's document id, never after anything a user typed.
    return f"{DOCUMENTS_DIR}/{instance.bid_id}/{instance.doc_id}"


class BidDocument(AppendOnlyModel):
    """One encrypted document of a bid: the bytes its client uploaded (nonce, ciphertext,
    tag), with the size and SHA-256 the envelope declares for it."""

    append_only_message = "The documents of a sealed bid never change."

    bid = models.ForeignKey(
        Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="documents"
    )
    doc_id = models.CharField(_("document id"), max_length=64)
    file = models.FileField(_("file"), upload_to=bid_document_path, max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("sealed document")
        verbose_name_plural = _("sealed documents")
        ordering = ["bid", "doc_id"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "doc_id"], name="bid_document_id_unique"),
            models.CheckConstraint(
                condition=Q(doc_id__regex=DOCUMENT_ID_PATTERN), name="bid_document_id_valid"
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=SHA256_PATTERN), name="bid_document_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return _("Sealed document %(id)s") % {"id": self.doc_id}


class Opening(models.Model):
    """The public opening of one tender's bids.

    ::

        ┌────────────┐  open (every bid settled, see below)  ┌──────────┐
        │ collecting ├──────────────────────────────────────▶│  opened  │
        └─────┬──────┘                                       └──────────┘
              │ hand_in (a member's shares and declarations; refused once opened)
              └──▶ itself

    A bid is settled when it holds k valid shares, or when more than n - k members declared
    that they cannot decrypt their share of it (then fewer than k could ever hand in one, and
    it is recorded as undecryptable, naming them).

    `record` is the opening record as published (bidders, prices, statistics), `leaf_index`
    its leaf in the transparency log; both are written when it opens.
    """

    tender = models.OneToOneField(
        "tenders.Tender",
        verbose_name=_("tender"),
        on_delete=models.PROTECT,
        related_name="opening",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OpeningStatus.choices,
        default=OpeningStatus.COLLECTING,
    )
    started_at = models.DateTimeField(_("started"), default=clock.now)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    record = models.JSONField(_("opening record"), null=True, blank=True)
    leaf_index = models.PositiveBigIntegerField(_("log leaf"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("bid opening")
        verbose_name_plural = _("bid openings")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OpeningStatus.values), name="opening_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=OpeningStatus.OPENED)
                    & Q(opened_at__isnull=False)
                    & Q(record__isnull=False)
                    & Q(leaf_index__isnull=False)
                )
                | (
                    Q(status=OpeningStatus.COLLECTING)
                    & Q(opened_at__isnull=True)
                    & Q(record__isnull=True)
                    & Q(leaf_index__isnull=True)
                ),
                name="opening_opened_has_record",
            ),
        ]

    def __str__(self) -> str:
        return _("Opening of tender %(tender)s") % {"tender": self.tender_id}


class ShareHandIn(AppendOnlyModel):
    """What a committee member handed in for one bid at the opening: either their plaintext
    share, or a declaration that they cannot decrypt it (`declaration`, the reason; no share).

    A share is checked against the SHA-256 the envelope holds for that member before it is
    stored. One row per bid and member, so a member either hands in a share or declares, never
    both, and never twice (the constraints say so to every client). Never changed nor removed
    afterwards: the evidence of who opened what, and of who said they could not.
    """

    append_only_message = "Shares handed in at an opening never change."

    opening = models.ForeignKey(
        Opening, verbose_name=_("opening"), on_delete=models.PROTECT, related_name="hand_ins"
    )
    bid = models.ForeignKey(
        Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="share_hand_ins"
    )
    member = models.ForeignKey(
        "tenders.CommitteeMember",
        verbose_name=_("committee member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Empty when the member declared they cannot decrypt it (then `declaration` says why).
    share = models.BinaryField(_("share"), max_length=SHARE_BYTES, null=True, blank=True)
    declaration = models.CharField(
        _("declared undecryptable"),
        max_length=32,
        choices=ShareDeclaration.choices,
        blank=True,
        default="",
    )
    handed_at = models.DateTimeField(_("handed in"), default=clock.now)

    class Meta:
        verbose_name = _("share handed in")
        verbose_name_plural = _("shares handed in")
        ordering = ["opening", "bid", "member"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "member"], name="share_hand_in_once"),
            models.CheckConstraint(
                condition=Exact(Length("share"), SHARE_BYTES), name="share_hand_in_33_bytes"
            ),
            models.CheckConstraint(
                condition=(Q(share__isnull=False) & Q(declaration=""))
                | (Q(share__isnull=True) & Q(declaration__in=ShareDeclaration.values)),
                name="share_hand_in_share_or_declaration",
            ),
        ]

    def __str__(self) -> str:
        if self.declaration:
            return _("Declaration on bid %(bid)s") % {"bid": self.bid_id}
        return _("Share of bid %(bid)s") % {"bid": self.bid_id}


class OpenedBid(AppendOnlyModel):
    """What the opening found in one bid: its prices per lot, answers and documents, or that
    it could not be decrypted. Written once, at the opening."""

    append_only_message = "An opened bid never changes."

    bid = models.OneToOneField(
        Bid, verbose_name=_("bid"), on_delete=models.PROTECT, related_name="opened"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=OpenedBidOutcome.choices)
    # [{"lot": lot id, "amount": "decimal string", "currency": "ISO 4217"}]
    lots = models.JSONField(_("prices per lot"), default=list, blank=True)
    # [{"question": str, "answer": str}]
    answers = models.JSONField(_("answers"), default=list, blank=True)
    # [{"id": "d1", "name": filename, "mediaType": str, "size": plaintext size}]
    documents = models.JSONField(_("documents"), default=list, blank=True)
    # Kept after the opening to read the bid's documents; none when it did not decrypt.
    data_key = models.BinaryField(_("data key"), max_length=DATA_KEY_BYTES, null=True, blank=True)

    class Meta:
        verbose_name = _("opened bid")
        verbose_name_plural = _("opened bids")
        ordering = ["bid"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=OpenedBidOutcome.values), name="opened_bid_outcome_valid"
            ),
            models.CheckConstraint(
                condition=~Q(outcome=OpenedBidOutcome.OPENED)
                | Q(Exact(Length("data_key"), DATA_KEY_BYTES)),
                name="opened_bid_has_data_key",
            ),
        ]

    def __str__(self) -> str:
        return _("Opened bid %(bid)s") % {"bid": self.bid_id}
