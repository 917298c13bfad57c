"""Bid receipts: the note the log's key signs for each submission, replacement and withdrawal.

A receipt (SEALED.md) is a C2SP signed note whose text is seven lines::

    <log origin>
    pregon bid receipt
    <ocid>
    <commitment>
    <action>
    <time>
    <leaf index>

signed with the transparency log's key. The leaf the log holds for it is the RFC 8785 bytes of
``{"type": "bid-commitment", "tender", "commitment", "action", "time"}``; with those bytes and
the leaf index a client checks, against a signed checkpoint, that the log really holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Final

from pregon.client import errors
from pregon.client.errors import ClientError
from pregon.client.i18n import _
from pregon.tlog.checkpoint import VerifierKey, format_verifier_key, open_note
from pregon.tlog.errors import LedgerError
from pregon.tlog.jcs import canonical_bytes

HEADER: Final = "pregon bid receipt"
ACTIONS: Final = ("submit", "replace", "withdraw")
LEAF_TYPE: Final = "bid-commitment"
_COMMITMENT = re.compile(r"[0-9a-f]{64}")
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?Z")
_INDEX = re.compile(r"0|[1-9][0-9]{0,18}")


@dataclass(frozen=True, slots=True)
class Inclusion:
    """What a signed checkpoint says about a receipt's leaf.

    ``verified``: the inclusion proof leads to the root of the checkpoint of ``tree_size``
    leaves. When False, the checkpoint was signed before the leaf was appended: the proof is
    available after the next checkpoint.
    """

    verified: bool
    tree_size: int


@dataclass(frozen=True, slots=True)
class Receipt:
    """A verified receipt: the signed fields, the bid they belong to, and the note itself."""

    bid_id: str
    tender: str
    commitment: str
    action: str
    time: str
    leaf_index: int
    note: str
    log_key: str
    received_at: str = ""
    idempotency_key: str = ""
    status: str = ""
    inclusion: Inclusion | None = None

    @property
    def leaf(self) -> bytes:
        """The exact bytes the log holds for this receipt."""
        return receipt_leaf(
            tender=self.tender, commitment=self.commitment, action=self.action, time=self.time
        )

    def with_inclusion(self, inclusion: Inclusion) -> Receipt:
        """This receipt with what a checkpoint says about it."""
        return replace(self, inclusion=inclusion)

    def as_json(self) -> dict[str, Any]:
        """The receipt as the command saves it (``--receipt-out``)."""
        data: dict[str, Any] = {
            "format": "pregon-bid-receipt/1",
            "bid": self.bid_id,
            "tender": self.tender,
            "action": self.action,
            "commitment": self.commitment,
            "time": self.time,
            "leafIndex": self.leaf_index,
            "receivedAt": self.received_at,
            "logKey": self.log_key,
            "receipt": self.note,
        }
        if self.idempotency_key:
            data["idempotencyKey"] = self.idempotency_key
        if self.inclusion is not None:
            data["inclusion"] = {
                "verified": self.inclusion.verified,
                "treeSize": self.inclusion.tree_size,
            }
        return data


def receipt_leaf(*, tender: str, commitment: str, action: str, time: str) -> bytes:
    """The log leaf of a bid commitment (it does not name the bidder)."""
    return canonical_bytes(
        {
            "type": LEAF_TYPE,
            "tender": tender,
            "commitment": commitment,
            "action": action,
            "time": time,
        }
    )


def receipt_text(
    *, origin: str, tender: str, commitment: str, action: str, time: str, leaf_index: int
) -> str:
    """The text of a receipt note (what the log's key signs)."""
    lines = [origin, HEADER, tender, commitment, action, time, str(leaf_index)]
    return "".join(line + "\n" for line in lines)


def receipt_open(note: str, key: VerifierKey, *, bid_id: str) -> Receipt:
    """Verify a receipt note with the log's key and read its fields.

    Raises ``ClientError`` ``receipt_invalid`` when no signature of ``key`` verifies or the text
    is not a receipt of this log.
    """
    invalid = _("The receipt for bid %(bid)s is not valid: %(reason)s.")
    hint = _receipt_hint(bid_id)
    try:
        opened = open_note(note, [key])
    except LedgerError as error:
        raise ClientError(
            errors.RECEIPT_INVALID,
            invalid % {"bid": bid_id, "reason": _("it is not signed by the log's key")},
            hint=hint,
        ) from error
    lines = opened.text[:-1].split("\n")
    problem = ""
    if len(lines) != 7 or lines[1] != HEADER:
        problem = _("it is not a bid receipt")
    elif lines[0] != key.name:
        problem = _("it was signed for another log (%(origin)s)") % {"origin": lines[0]}
    elif not _COMMITMENT.fullmatch(lines[3]):
        problem = _("its commitment is not a SHA-256 in hexadecimal")
    elif lines[4] not in ACTIONS:
        problem = _("its action is not submit, replace or withdraw")
    elif not _TIME.fullmatch(lines[5]):
        problem = _("its time is not an RFC 3339 UTC time")
    elif not _INDEX.fullmatch(lines[6]):
        problem = _("its leaf index is not a whole number")
    if problem:
        raise ClientError(
            errors.RECEIPT_INVALID, invalid % {"bid": bid_id, "reason": problem}, hint=hint
        )
    return Receipt(
        bid_id=bid_id,
        tender=lines[2],
        commitment=lines[3],
        action=lines[4],
        time=lines[5],
        leaf_index=int(lines[6]),
        note=note,
        log_key=format_verifier_key(key),
    )


def receipt_check(
    receipt: Receipt,
    *,
    tender: str | None = None,
    commitment: str | None = None,
    action: str | None = None,
    leaf_index: int | None = None,
) -> None:
    """Check the signed fields of ``receipt`` against what the caller expects of it."""
    expected = {
        "tender": tender,
        "commitment": commitment,
        "action": action,
        "leafIndex": leaf_index,
    }
    signed = {
        "tender": receipt.tender,
        "commitment": receipt.commitment,
        "action": receipt.action,
        "leafIndex": receipt.leaf_index,
    }
    for name, value in expected.items():
        if value is not None and signed[name] != value:
            raise ClientError(
                errors.RECEIPT_INVALID,
                _(
                    "The receipt for bid %(bid)s signs %(field)s %(signed)s, but %(expected)s "
                    "was expected."
                )
                % {
                    "bid": receipt.bid_id,
                    "field": name,
                    "signed": signed[name],
                    "expected": value,
                },
                hint=_receipt_hint(receipt.bid_id),
            )


def _receipt_hint(bid_id: str) -> str:
    return _(
        "Do not rely on this receipt. Run `pregon bid receipt %(bid)s` to fetch it again, and "
        "report it to the platform's operator if it stays invalid."
    ) % {"bid": bid_id}
