"""The public opening of a tender's sealed bids: the committee's shares, then the bids opened.

From the tender's opening time (its `opening_at`, read from the database's clock) each member of
its opening committee hands in, per sealed bid, the plaintext share they decrypted on their own
device (`opening_shares_hand_in`); the first hand-in starts the opening (`opening_start`). Each
share is checked against the SHA-256 the bidder's envelope holds for that member: one wrong share
refuses the whole hand-in, naming the member's position and the bid, and nothing of it is stored.

When every bid standing at the deadline holds k valid shares, the same transaction opens them
(`opening_complete`):

1. each envelope is checked against its commitment (the SHA-256 that was logged when it was
   submitted), its shares rebuild its data key and the key decrypts the bid. A bid that cannot
   be decrypted (its stored envelope altered, its ciphertext altered, shares the bidder made
   wrong, a plain bid that is not a `pregon-bid/1` document for this tender) is recorded as
   such, publicly; the other bids open all the same;
2. each encrypted document is checked against the size and SHA-256 the envelope declares, and
   decrypted under the bid's key (the plaintext is dropped at once): one that fails is recorded
   as altered;
3. what was found is stored (`OpenedBid`, with the data key, to read the documents later), each
   bid moves to opened or undecryptable, the opening record (bidders, prices per lot, member
   positions whose shares opened each bid, statistics) is appended to the transparency log
   (kind `opening`, its RFC 8785 bytes) and published as an OCDS release (`bids.ocds`).

With fewer than k shares for any bid nothing opens, and the refusal says how many more members
must hand in. Everything runs in one transaction under the row locks of the tender and of its
`Opening`, with its audit rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pregon.bids.choices import (
    OPENING_TRANSITIONS,
    SHARE_BYTES,
    TRANSITIONS,
    BidStatus,
    OpenedBidOutcome,
    OpeningStatus,
)
from pregon.bids.choices_opening import HAND_IN_MAX_SHARES, OPENING_FORMAT, REASON_ENVELOPE_ALTERED
from pregon.bids.models import Bid, BidDocument, OpenedBid, Opening, ShareHandIn, rfc3339
from pregon.bids.selectors_opening import opening_due_check, opening_member_get
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, ValidationFailed
from pregon.core.transitions import transition
from pregon.ledger.choices import LeafKind
from pregon.ledger.services import leaf_append
from pregon.organizations.choices import Scale
from pregon.organizations.models import Organization
from pregon.publication.choices import ReleaseTag
from pregon.publication.services import publication_record
from pregon.sealing import Envelope, SealingError, bid_open, document_open, parse_envelope
from pregon.sealing import share_check as sealing_share_check
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import CommitteeMember, Tender
from pregon.tenders.services import tender_close_if_due
from pregon.tlog.jcs import canonical_bytes

#: The SME scales, as `bid_statistics` counts them.
_SME = frozenset(
    scale.value for scale in (Scale.MICRO, Scale.SMALL, Scale.MEDIUM, Scale.SELF_EMPLOYED)
)


class WrongShare(ValidationFailed):
    """A share that is not the one sealed to its member in that bid (422); names both."""

    code = "wrong_share"

    def __init__(self, message: str, *, member: int, bid: str) -> None:
        super().__init__(message, field="shares")
        self.member = member
        self.bid = bid

    def as_problem(self, *, instance: str = "") -> dict[str, Any]:
        """The problem, with the member's position and the bid's id."""
        problem = super().as_problem(instance=instance)
        problem["member"] = self.member
        problem["bid"] = self.bid
        return problem


class TooFewShares(InvalidTransition):
    """Some bid holds fewer than k shares: nothing opens yet (409); says how many are missing."""

    code = "too_few_shares"

    def __init__(self, message: str, *, missing: int) -> None:
        super().__init__(message)
        self.missing = missing

    def as_problem(self, *, instance: str = "") -> dict[str, Any]:
        """The problem, with `missing`: how many more members must hand in."""
        problem = super().as_problem(instance=instance)
        problem["missing"] = self.missing
        return problem


@dataclass(frozen=True, kw_only=True)
class HandIn:
    """What a hand-in did: how many shares of this member the opening now holds, and whether
    the bids are open."""

    opening: Opening
    member: CommitteeMember
    handed_in: int
    opened: bool


# ---------------------------------------------------------------------------------------------
# the services


def opening_start(*, actor: Actor, tender: Tender) -> Opening:
    """Start the opening of a tender whose opening time has come (by the database's clock).

    A member of its committee acts; the first hand-in does this by itself. Creates the tender's
    `Opening` (collecting shares) once; later calls return it. A tender still open past its
    deadline is closed first.
    """
    opening_member_get(actor=actor, tender=tender)
    with transaction.atomic():
        locked, now = _lock_due(tender)
        return _started(actor, locked, now)


def opening_shares_hand_in(
    *, actor: Actor, tender: Tender, shares: Sequence[tuple[Bid, bytes]]
) -> HandIn:
    """A committee member hands in their plaintext shares, one per sealed bid.

    Each share must be the one sealed to this member in that bid (its SHA-256 is in the
    envelope): otherwise the whole hand-in is refused (`WrongShare`, naming the member's position
    and the bid) and nothing is stored. A share already handed in is not stored twice. When the
    hand-in gives every bid its k-th share, the bids are opened in the same transaction. A
    tender without bids opens with an empty hand-in. Repeating a hand-in after the opening (a
    lost answer) answers the same, as long as it hands in the shares already stored.
    """
    member = opening_member_get(actor=actor, tender=tender)
    _check_shapes(shares)
    with transaction.atomic():
        locked, now = _lock_due(tender)
        opening = _started(actor, locked, now)
        given = _bids_of(locked, shares)
        stored = {
            hand_in.bid_id: bytes(hand_in.share)
            for hand_in in ShareHandIn.objects.filter(opening=opening, member=member)
        }
        if opening.status == OpeningStatus.OPENED and all(
            stored.get(bid.pk) == share for bid, share in given
        ):
            return HandIn(opening=opening, member=member, handed_in=len(stored), opened=True)
        transition(opening, "hand_in", OPENING_TRANSITIONS)
        live = [bid for bid, _share in given if bid.status == BidStatus.SUBMITTED]
        if not given and Bid.objects.filter(tender=locked, status=BidStatus.SUBMITTED).exists():
            raise ValidationFailed(
                _("Hand in your share of at least one sealed bid."),
                field="shares",
                code="no_shares",
            )
        if len(live) != len(given):
            late = next(bid for bid, _share in given if bid.status != BidStatus.SUBMITTED)
            raise ValidationFailed(
                _("Bid %(bid)s is not among the bids to open (it was %(status)s).")
                % {"bid": late.pk, "status": late.get_status_display().lower()},
                field="shares",
                code="bid_not_sealed",
            )
        new = []
        for bid, share in given:
            if not _share_check(bid, member, share):
                continue
            if bid.pk not in stored:
                new.append(
                    ShareHandIn(opening=opening, bid=bid, member=member, share=share, handed_at=now)
                )
        ShareHandIn.objects.bulk_create(new)
        audit_record(
            actor=actor,
            action="opening.hand_in",
            target=opening,
            summary={"member": member.position, "shares": len(new)},
        )
        opened = False
        if not _short_of_shares(locked, opening):
            _open(actor=actor, locked=locked, opening=opening, now=now)
            opened = True
    return HandIn(opening=opening, member=member, handed_in=len(stored) + len(new), opened=opened)


def opening_complete(*, actor: Actor, tender: Tender) -> Opening:
    """Open the tender's sealed bids, when each holds k valid shares (a member of the committee
    acts; the hand-in that brings the last share does this by itself).

    Refused with `TooFewShares` (saying how many more members must hand in) while any bid holds
    fewer than k shares: nothing opens. See the module's docstring for what opening does.
    """
    opening_member_get(actor=actor, tender=tender)
    with transaction.atomic():
        locked, now = _lock_due(tender)
        opening = _started(actor, locked, now)
        short = (
            _short_of_shares(locked, opening) if opening.status == OpeningStatus.COLLECTING else {}
        )
        if short:
            raise _too_few(locked, short)
        _open(actor=actor, locked=locked, opening=opening, now=now)
    return opening


# ---------------------------------------------------------------------------------------------
# statistics (shared with the OCDS mapping and the pages)


def bid_statistics(bids: Sequence[dict[str, Any]]) -> dict[str, int]:
    """The opening's statistics from its record's bids: how many bids, and how many of them from
    SMEs (micro, small and medium enterprises and the self-employed), from each size, and from
    cooperatives, by the bidder's profile at the opening (the record's `tenderer`)."""
    tenderers = [bid["tenderer"] for bid in bids]
    return {
        "bids": len(tenderers),
        "smeBids": sum(1 for t in tenderers if t["scale"] in _SME),
        "microBids": sum(1 for t in tenderers if t["scale"] == Scale.MICRO),
        "smallBids": sum(1 for t in tenderers if t["scale"] == Scale.SMALL),
        "mediumBids": sum(1 for t in tenderers if t["scale"] == Scale.MEDIUM),
        "cooperativeBids": sum(1 for t in tenderers if t["cooperative"]),
    }


# ---------------------------------------------------------------------------------------------
# steps


def _lock_due(tender: Tender) -> tuple[Tender, dt.datetime]:
    """The tender's row under lock and the database's time, once its opening time has come; a
    tender whose deadline passed before the close task ran is closed first."""
    locked = Tender.objects.select_for_update().select_related("buyer").get(pk=tender.pk)
    now = clock.db_now()
    opening_due_check(locked, now)
    if locked.status == TenderStatus.ACTIVE:
        # The opening time is never before the deadline (tender validation): it has passed.
        tender_close_if_due(tender_id=locked.pk)
        locked = Tender.objects.select_for_update().select_related("buyer").get(pk=tender.pk)
    return locked, now


def _started(actor: Actor, locked: Tender, now: dt.datetime) -> Opening:
    """The tender's opening under its row lock, created at the first call."""
    opening = Opening.objects.select_for_update().filter(tender=locked).first()
    if opening is None:
        opening = Opening.objects.create(tender=locked, started_at=now)
        audit_record(
            actor=actor,
            action="opening.start",
            target=opening,
            summary={
                "threshold": locked.opening_threshold,
                "bids": Bid.objects.filter(tender=locked, status=BidStatus.SUBMITTED).count(),
            },
        )
    return opening


def _check_shapes(shares: Sequence[tuple[Bid, bytes]]) -> None:
    if len(shares) > HAND_IN_MAX_SHARES:
        raise ValidationFailed(
            _("Hand in at most %(limit)s shares at a time.") % {"limit": HAND_IN_MAX_SHARES},
            field="shares",
        )
    seen: set[Any] = set()
    for bid, share in shares:
        if not isinstance(share, bytes) or len(share) != SHARE_BYTES:
            raise ValidationFailed(
                _("The share for bid %(bid)s is not a share: a share is %(size)s bytes.")
                % {"bid": bid.pk, "size": SHARE_BYTES},
                field="shares",
                code="malformed_share",
            )
        if bid.pk in seen:
            raise ValidationFailed(
                _("Bid %(bid)s appears twice; hand in one share per bid.") % {"bid": bid.pk},
                field="shares",
                code="duplicate_share",
            )
        seen.add(bid.pk)


def _bids_of(locked: Tender, shares: Sequence[tuple[Bid, bytes]]) -> list[tuple[Bid, bytes]]:
    """The bids of the hand-in read again under their row locks; refused if one is not a bid of
    this tender."""
    rows = {
        bid.pk: bid
        for bid in Bid.objects.select_for_update().filter(
            tender=locked, pk__in=[bid.pk for bid, _share in shares]
        )
    }
    given = []
    for bid, share in shares:
        row = rows.get(bid.pk)
        if row is None:
            raise ValidationFailed(
                _("There is no sealed bid %(bid)s in this tender.") % {"bid": bid.pk},
                field="shares",
                code="unknown_bid",
            )
        given.append((row, share))
    return given


def _envelope_at_rest(bid: Bid) -> Envelope | None:
    """The bid's stored envelope, parsed, if it is still the one committed to (None if not)."""
    data = bytes(bid.envelope)
    if hashlib.sha256(data).hexdigest() != bid.commitment:
        return None
    try:
        return parse_envelope(data)
    except SealingError:
        return None


def _share_check(bid: Bid, member: CommitteeMember, share: bytes) -> bool:
    """Refuse a share that is not the member's in this bid; False (the share is not kept) when
    the bid's stored envelope is no longer the one committed to: it opens as "could not be
    decrypted" whatever is handed in, and needs no share (`_short_of_shares`)."""
    envelope = _envelope_at_rest(bid)
    if envelope is None:
        return False
    try:
        sealing_share_check(envelope, member.fingerprint, share)
    except SealingError:
        raise WrongShare(
            _(
                "The share handed in by member %(position)s for bid %(bid)s is not the share "
                "sealed to that member in the bid. Nothing was handed in; decrypt your shares "
                "again with your own key file."
            )
            % {"position": member.position, "bid": bid.pk},
            member=member.position,
            bid=str(bid.pk),
        ) from None
    return True


def _short_of_shares(locked: Tender, opening: Opening) -> dict[Any, int]:
    """The bids still short of k shares, with how many each lacks (empty: they can open).

    A bid whose stored envelope is no longer the one committed to needs none: no share can
    open it.
    """
    threshold = locked.opening_threshold or 0
    counts: dict[Any, int] = defaultdict(int)
    for bid_id in ShareHandIn.objects.filter(opening=opening).values_list("bid_id", flat=True):
        counts[bid_id] += 1
    short = {}
    for bid in Bid.objects.filter(tender=locked, status=BidStatus.SUBMITTED):
        if counts[bid.pk] < threshold and _envelope_at_rest(bid) is not None:
            short[bid.pk] = threshold - counts[bid.pk]
    return short


def _too_few(locked: Tender, short: dict[Any, int]) -> TooFewShares:
    missing = max(short.values())
    message = ngettext(
        "Nothing was opened: %(count)s sealed bid holds fewer than the %(threshold)s shares "
        "needed.",
        "Nothing was opened: %(count)s sealed bids hold fewer than the %(threshold)s shares "
        "needed.",
        len(short),
    ) % {"count": len(short), "threshold": locked.opening_threshold}
    message += " " + ngettext(
        "%(missing)s more member must hand in their shares.",
        "%(missing)s more members must hand in their shares.",
        missing,
    ) % {"missing": missing}
    return TooFewShares(message, missing=missing)


@dataclass(kw_only=True)
class _Found:
    """What opening one bid found: its row to store and its entry in the record."""

    row: OpenedBid
    entry: dict[str, Any]


def _open(*, actor: Actor, locked: Tender, opening: Opening, now: dt.datetime) -> None:
    """Open every bid standing at the deadline, log and publish the record (see the module)."""
    transition(opening, "open", OPENING_TRANSITIONS)
    ocid = str(locked.ocid)
    bids = list(
        Bid.objects.select_for_update()
        .filter(tender=locked, status=BidStatus.SUBMITTED)
        .select_related("supplier")
        .order_by("received_at", "pk")
    )
    shares: dict[Any, list[tuple[int, bytes]]] = defaultdict(list)
    for hand_in in (
        ShareHandIn.objects.filter(opening=opening)
        .select_related("member")
        .order_by("member__position")
    ):
        shares[hand_in.bid_id].append((hand_in.member.position, bytes(hand_in.share)))
    found = [_open_bid(bid, shares[bid.pk], ocid=ocid) for bid in bids]
    entries = [item.entry for item in found]
    record = {
        "format": OPENING_FORMAT,
        "tender": ocid,
        "openedAt": rfc3339(now),
        "threshold": locked.opening_threshold,
        "bids": entries,
        "statistics": bid_statistics(entries),
    }
    leaf = leaf_append(kind=LeafKind.OPENING, data=canonical_bytes(record), ref=f"{ocid}/opening")
    OpenedBid.objects.bulk_create([item.row for item in found])
    for bid, item in zip(bids, found, strict=True):
        opened = item.row.outcome == OpenedBidOutcome.OPENED
        transition(bid, "open" if opened else "mark_undecryptable", TRANSITIONS)
        bid.save(update_fields=["status"])
    opening.opened_at = now
    opening.record = record
    opening.leaf_index = leaf.index
    opening.save(update_fields=["status", "opened_at", "record", "leaf_index"])
    undecryptable = [e["id"] for e in entries if e["outcome"] == OpenedBidOutcome.UNDECRYPTABLE]
    altered = [
        f"{e['id']}/{document['id']}"
        for e in entries
        for document in e.get("documents", [])
        if not document["intact"]
    ]
    audit_record(
        actor=actor,
        action="opening.open",
        target=opening,
        summary={
            "bids": len(entries),
            "undecryptable": undecryptable,
            "documents_altered": altered,
            "leaf_index": leaf.index,
        },
    )
    publication_record(ocid=ocid, tag=ReleaseTag.TENDER_UPDATE)


def _tenderer(organization: Organization) -> dict[str, Any]:
    """The bidder as the record names it, with its profile at the opening."""
    return {
        "id": organization.party_id,
        "name": organization.display_name,
        "scale": organization.scale,
        "cooperative": organization.is_cooperative,
    }


def _open_bid(bid: Bid, shares: list[tuple[int, bytes]], *, ocid: str) -> _Found:
    """Open one bid with its shares, and check its documents."""
    entry: dict[str, Any] = {
        "id": str(bid.pk),
        "commitment": bid.commitment,
        "receivedAt": rfc3339(bid.received_at),
        "leafIndex": bid.leaf_index,
        "tenderer": _tenderer(bid.supplier),
        "members": [position for position, _share in shares],
    }
    envelope = _envelope_at_rest(bid)
    reason = REASON_ENVELOPE_ALTERED
    if envelope is not None:
        try:
            data_key, plain = bid_open(envelope, [share for _p, share in shares], ocid=ocid)
        except SealingError as error:
            reason = error.code
        else:
            documents = _documents_check(bid, envelope, plain, data_key=data_key, ocid=ocid)
            entry |= {
                "outcome": OpenedBidOutcome.OPENED.value,
                "lots": [dict(lot) for lot in plain["lots"]],
                "documents": [
                    {"id": d["id"], "sha256": d["sha256"], "intact": d["intact"]} for d in documents
                ],
            }
            row = OpenedBid(
                bid=bid,
                outcome=OpenedBidOutcome.OPENED,
                lots=entry["lots"],
                answers=[dict(answer) for answer in plain["answers"]],
                documents=documents,
                data_key=data_key,
            )
            return _Found(row=row, entry=entry)
    entry |= {"outcome": OpenedBidOutcome.UNDECRYPTABLE.value, "reason": reason}
    return _Found(
        row=OpenedBid(bid=bid, outcome=OpenedBidOutcome.UNDECRYPTABLE, data_key=None), entry=entry
    )


def _documents_check(
    bid: Bid, envelope: Envelope, plain: dict[str, Any], *, data_key: bytes, ocid: str
) -> list[dict[str, Any]]:
    """Each document of the bid as the plain bid describes it, with whether its stored bytes
    are intact: the size and SHA-256 the envelope declares, and decrypting under the bid's key.
    """
    stored = {document.doc_id: document for document in BidDocument.objects.filter(bid=bid)}
    described = {document["id"]: document for document in plain["documents"]}
    result = []
    for declared in envelope.documents:
        data = _read(stored.get(declared.id))
        intact = (
            data is not None
            and len(data) == declared.size
            and hashlib.sha256(data).hexdigest() == declared.sha256
        )
        if intact and data is not None:
            try:
                document_open(data_key, ocid, declared.id, data)
            except SealingError:
                intact = False
        meta = described[declared.id]
        result.append(
            {
                "id": declared.id,
                "name": meta["name"],
                "mediaType": meta["mediaType"],
                "size": meta["size"],
                "sha256": declared.sha256,
                "intact": intact,
            }
        )
    return result


def _read(document: BidDocument | None) -> bytes | None:
    """A stored document's bytes, or None when the row or its file is missing."""
    if document is None:
        return None
    try:
        with document.file.open("rb") as handle:
            return bytes(handle.read())
    except (FileNotFoundError, ValueError):
        return None
