"""The states of sealed bids and of their opening, their moves, and the labels of the bids'
audit rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pregon.core.audit_vocabulary import AuditVocabulary
from pregon.core.transitions import Transition


class BidStatus(models.TextChoices):
    """Where a sealed bid is in its life. The allowed moves are in `TRANSITIONS`."""

    SUBMITTED = "submitted", _("Submitted (sealed)")
    REPLACED = "replaced", _("Replaced by a later bid")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    OPENED = "opened", _("Opened")
    UNDECRYPTABLE = "undecryptable", _("Could not be decrypted")


class OpeningStatus(models.TextChoices):
    """Where the public opening of a tender's bids is."""

    COLLECTING = "collecting", _("Collecting the committee's shares")
    OPENED = "opened", _("Opened")


class OpenedBidOutcome(models.TextChoices):
    """What the opening found in one bid."""

    OPENED = "opened", _("Opened")
    UNDECRYPTABLE = "undecryptable", _("Could not be decrypted")


#: The largest envelope accepted (its JCS bytes): a bid's JSON plus one share per member.
ENVELOPE_MAX_BYTES = 1_048_576
#: An idempotency key: 1 to 64 letters, digits, "-" or "_" (the API's `Idempotency-Key`).
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
#: A SHA-256 in lowercase hexadecimal (commitments, document hashes).
SHA256_PATTERN = r"^[0-9a-f]{64}$"
#: A document id in an envelope ("d1"): what the stored file is named after.
DOCUMENT_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
#: The length of a plaintext Shamir share (a 32-byte data key plus its x coordinate).
SHARE_BYTES = 33
#: The length of a bid's data key (AES-256).
DATA_KEY_BYTES = 32
#: How many uploads a supplier may have unfinished for one tender at a time.
UPLOADS_PENDING_MAX = 50

#: The state machine of a bid (drawn in `models.Bid`'s docstring). Every service that moves a
#: bid goes through `pregon.core.transitions.transition` with it, on the locked row.
TRANSITIONS: dict[str, Transition] = {
    "replace": Transition(
        sources=frozenset({BidStatus.SUBMITTED}),
        target=BidStatus.REPLACED,
        refusal=_("Only a submitted bid can be replaced; this bid is %(status)s."),
    ),
    "withdraw": Transition(
        sources=frozenset({BidStatus.SUBMITTED}),
        target=BidStatus.WITHDRAWN,
        refusal=_("Only a submitted bid can be withdrawn; this bid is %(status)s."),
    ),
    "open": Transition(
        sources=frozenset({BidStatus.SUBMITTED}),
        target=BidStatus.OPENED,
        refusal=_("Only a submitted bid can be opened; this bid is %(status)s."),
    ),
    "mark_undecryptable": Transition(
        sources=frozenset({BidStatus.SUBMITTED}),
        target=BidStatus.UNDECRYPTABLE,
        refusal=_("Only a submitted bid can be found undecryptable; this bid is %(status)s."),
    ),
}

#: The state machine of an opening (drawn in `models.Opening`'s docstring).
OPENING_TRANSITIONS: dict[str, Transition] = {
    "hand_in": Transition(
        sources=frozenset({OpeningStatus.COLLECTING}),
        target=None,
        refusal=_("The bids of this tender are already opened; no more shares are needed."),
        code="already_opened",
    ),
    "open": Transition(
        sources=frozenset({OpeningStatus.COLLECTING}),
        target=OpeningStatus.OPENED,
        refusal=_("The bids of this tender are already opened."),
        code="already_opened",
    ),
}


#: What the bids' audit rows mean (registered in `apps.py`, read by the audit page). A bid's
#: rows are recorded under the supplier that acted, never under the buyer, and no owner field
#: is declared: the buyer's auditors and officials must not learn who bid before the opening.
AUDIT_VOCABULARY = AuditVocabulary(
    actions={
        "bid.submit": _("Sealed bid submitted"),
        "bid.replace": _("Sealed bid replaced"),
        "bid.withdraw": _("Sealed bid withdrawn"),
        "bid_upload.purge": _("Abandoned upload of a sealed document deleted"),
    },
    summary_keys={
        "commitment": _("Commitment (SHA-256 of the envelope)"),
        "leaf_index": _("Transparency log entry"),
        "replaced": _("Commitment of the replaced bid"),
        "size": _("Size in bytes"),
        "received": _("Bytes received"),
        "started": _("Upload started"),
    },
    summary_choices={("bids.bid", "status"): BidStatus},
)
