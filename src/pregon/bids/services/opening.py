"""The public opening of a tender's sealed bids: the committee's shares, then the bids opened.

From the tender's opening time (its `opening_at`, read from the database's clock) each member of
its opening committee hands in, per sealed bid, the plaintext share they decrypted on their own
device (`opening_shares_hand_in`); the first hand-in starts the opening (`opening_start`). Each
share is checked against the SHA-256 the bidder's envelope holds for that member: one wrong share
refuses the whole hand-in, naming the member's position and the bid, and nothing of it is stored.

A member whose share of a bid does not decrypt with their key, or decrypts to something other than
the share the envelope's SHA-256 names, declares so for that bid in the same hand-in, with the
reason (`ShareDeclaration`), instead of handing in a share. A declaration is a statement, not a
proof (ADR 0015): it is stored for good, and the member's position is published with the bid. A
member gives one share or one declaration per bid, never both.

A bid is settled when it holds k valid shares, or when more than n - k members declared (fewer
than k could ever hand in a share: it is recorded as undecryptable, `shares_undecryptable`, with
the positions that declared). When every bid standing at the deadline is settled, the same
transaction opens them (`opening_complete`):

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

While any bid is not settled nothing opens, and the refusal says how many more members must
act (hand in, or declare). Everything runs in one transaction under the row locks of the tender
and of its `Opening`, with its audit rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
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
from pregon.bids.choices_opening import (
    HAND_IN_MAX_SHARES,
    OPENING_FORMAT,
    REASON_ENVELOPE_ALTERED,
    REASON_SHARES_UNDECRYPTABLE,
    ShareDeclaration,
    acts_missing,
)
from pregon.bids.models import Bid, BidDocument, OpenedBid, Opening, ShareHandIn, rfc3339
from pregon.bids.selectors_opening import opening_due_check, opening_member_get
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, ValidationFailed
from pregon.core.transitions import transition
from pregon.ledger.choices import LeafKind
from pregon.ledger.services import leaf_append
from pregon.organizations.models import Organization
from pregon.organizations.selectors import consortium_members
from pregon.publication.choices import ReleaseTag
from pregon.publication.services import publication_record
from pregon.sealing import Envelope, SealingError, bid_open, document_open, parse_envelope
from pregon.sealing import share_check as sealing_share_check
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import CommitteeMember, Tender
from pregon.tenders.services import tender_close_if_due
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.leaves import opening_statistics


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
    """Some bid is not settled (fewer than k shares, and not more than n - k declarations):
    nothing opens yet (409); says how many more members must act."""

    code = "too_few_shares"

    def __init__(self, message: str, *, missing: int) -> None:
        super().__init__(message)
        self.missing = missing

    def as_problem(self, *, instance: str = "") -> dict[str, Any]:
        """The problem, with `missing`: how many more members must act (hand in or declare)."""
        problem = super().as_problem(instance=instance)
        problem["missing"] = self.missing
        return problem


@dataclass(frozen=True, kw_only=True)
class HandIn:
    """What a hand-in did: how many shares and declarations of this member the opening now
    holds, and whether the bids are open."""

    opening: Opening
    member: CommitteeMember
    handed_in: int
    opened: bool
    declared: int = 0


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
    *,
    actor: Actor,
    tender: Tender,
    shares: Sequence[tuple[Bid, bytes]],
    declarations: Sequence[tuple[Bid, str]] = (),
) -> HandIn:
    """A committee member hands in their plaintext shares, one per sealed bid, and declares the
    bids whose share they cannot decrypt (`declarations`: the bid and a `ShareDeclaration`).

    Each share must be the one sealed to this member in that bid (its SHA-256 is in the
    envelope): otherwise the whole hand-in is refused (`WrongShare`, naming the member's position
    and the bid) and nothing is stored. A member gives one share or one declaration per bid:
    declaring a bid they handed in a share of, handing in a share of a bid they declared, or
    changing a declaration is refused. A share or a declaration already stored is not stored
    twice. When the hand-in settles the last bid (each holds k shares, or more than n - k
    declarations), the bids are opened in the same transaction. A tender without bids opens
    with an empty hand-in. Repeating a hand-in after the opening (a lost answer) answers the
    same, as long as it hands in the shares and declarations already stored.
    """
    member = opening_member_get(actor=actor, tender=tender)
    _check_shapes(shares, declarations)
    with transaction.atomic():
        locked, now = _lock_due(tender)
        opening = _started(actor, locked, now)
        given = _bids_of(locked, shares, field="shares")
        declared = _bids_of(locked, declarations, field="declarations")
        stored = {
            row.bid_id: row for row in ShareHandIn.objects.filter(opening=opening, member=member)
        }
        if opening.status == OpeningStatus.OPENED and _repeats(stored, given, declared):
            return _result(opening, member, list(stored.values()), opened=True)
        transition(opening, "hand_in", OPENING_TRANSITIONS)
        if (
            not given
            and not declared
            and Bid.objects.filter(tender=locked, status=BidStatus.SUBMITTED).exists()
        ):
            raise ValidationFailed(
                _(
                    "Hand in your share of at least one sealed bid, or declare that you cannot "
                    "decrypt it."
                ),
                field="shares",
                code="no_shares",
            )
        _check_sealed([bid for bid, _share in given] + [bid for bid, _reason in declared])
        _check_once(member, stored, given, declared)
        new = []
        for bid, share in given:
            if not _share_check(bid, member, share):
                continue
            if bid.pk not in stored:
                new.append(
                    ShareHandIn(opening=opening, bid=bid, member=member, share=share, handed_at=now)
                )
        new_declarations = [
            ShareHandIn(
                opening=opening,
                bid=bid,
                member=member,
                share=None,
                declaration=reason,
                handed_at=now,
            )
            for bid, reason in declared
            if bid.pk not in stored
        ]
        ShareHandIn.objects.bulk_create(new + new_declarations)
        if given or not declared:
            audit_record(
                actor=actor,
                action="opening.hand_in",
                target=opening,
                summary={"member": member.position, "shares": len(new)},
            )
        if new_declarations:
            _audit_declarations(actor, opening, member, new_declarations)
        opened = False
        if not _unsettled(locked, opening):
            _open(actor=actor, locked=locked, opening=opening, now=now)
            opened = True
    return _result(opening, member, [*stored.values(), *new, *new_declarations], opened=opened)


def opening_complete(*, actor: Actor, tender: Tender) -> Opening:
    """Open the tender's sealed bids, when each is settled: it holds k valid shares, or more than
    n - k members declared they cannot decrypt theirs (a member of the committee acts; the
    hand-in that settles the last bid does this by itself).

    Refused with `TooFewShares` (saying how many more members must hand in or declare) while any
    bid is not settled: nothing opens. See the module's docstring for what opening does.
    """
    opening_member_get(actor=actor, tender=tender)
    with transaction.atomic():
        locked, now = _lock_due(tender)
        opening = _started(actor, locked, now)
        short = _unsettled(locked, opening) if opening.status == OpeningStatus.COLLECTING else {}
        if short:
            raise _too_few(locked, short)
        _open(actor=actor, locked=locked, opening=opening, now=now)
    return opening


# ---------------------------------------------------------------------------------------------
# statistics (shared with the OCDS mapping and the pages)


def bid_statistics(bids: Sequence[dict[str, Any]]) -> dict[str, int]:
    """The opening's statistics from its record's bids: how many bids, how many from SMEs
    (micro, small and medium enterprises and the self-employed; a consortium is as large as its
    largest member), and in how many a micro, a small, a medium enterprise or a cooperative
    takes part, alone or in a consortium, by the bidder's profile at the opening (the record's
    `tenderer`). The transparency log's verifier counts them the same way: one definition."""
    return opening_statistics(bids)


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


def _check_shapes(
    shares: Sequence[tuple[Bid, bytes]], declarations: Sequence[tuple[Bid, str]]
) -> None:
    if len(shares) + len(declarations) > HAND_IN_MAX_SHARES:
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
    shared = set(seen)
    for bid, reason in declarations:
        if reason not in ShareDeclaration.values:
            raise ValidationFailed(
                _("The declaration on bid %(bid)s gives no known reason: it is one of %(reasons)s.")
                % {"bid": bid.pk, "reasons": ", ".join(ShareDeclaration.values)},
                field="declarations",
                code="unknown_reason",
            )
        if bid.pk in shared:
            raise ValidationFailed(
                _(
                    "For bid %(bid)s you both hand in a share and declare that you cannot "
                    "decrypt it; do one or the other."
                )
                % {"bid": bid.pk},
                field="declarations",
                code="share_and_declaration",
            )
        if bid.pk in seen:
            raise ValidationFailed(
                _("Bid %(bid)s is declared twice; declare each bid once.") % {"bid": bid.pk},
                field="declarations",
                code="duplicate_declaration",
            )
        seen.add(bid.pk)


def _bids_of[Given](
    locked: Tender, items: Sequence[tuple[Bid, Given]], *, field: str
) -> list[tuple[Bid, Given]]:
    """The bids of the hand-in read again under their row locks; refused if one is not a bid of
    this tender."""
    rows = {
        bid.pk: bid
        for bid in Bid.objects.select_for_update().filter(
            tender=locked, pk__in=[bid.pk for bid, _item in items]
        )
    }
    given = []
    for bid, item in items:
        row = rows.get(bid.pk)
        if row is None:
            raise ValidationFailed(
                _("There is no sealed bid %(bid)s in this tender.") % {"bid": bid.pk},
                field=field,
                code="unknown_bid",
            )
        given.append((row, item))
    return given


def _check_sealed(bids: Sequence[Bid]) -> None:
    """Refuse a hand-in naming a bid that is not among those to open."""
    for bid in bids:
        if bid.status != BidStatus.SUBMITTED:
            raise ValidationFailed(
                _("Bid %(bid)s is not among the bids to open (it was %(status)s).")
                % {"bid": bid.pk, "status": bid.get_status_display().lower()},
                field="shares",
                code="bid_not_sealed",
            )


def _check_once(
    member: CommitteeMember,
    stored: dict[Any, ShareHandIn],
    given: Sequence[tuple[Bid, bytes]],
    declared: Sequence[tuple[Bid, str]],
) -> None:
    """Refuse what contradicts what this member already handed in: a share of a bid they
    declared, a declaration on a bid they gave a share of, another reason for a declaration."""
    for bid, _share in given:
        row = stored.get(bid.pk)
        if row is not None and row.declaration:
            raise ValidationFailed(
                _(
                    "Member %(position)s declared that they cannot decrypt their share of bid "
                    "%(bid)s; a declaration is final, and no share of that bid can follow it. "
                    "Nothing was handed in."
                )
                % {"position": member.position, "bid": bid.pk},
                field="shares",
                code="already_declared",
            )
    for bid, reason in declared:
        row = stored.get(bid.pk)
        if row is None:
            continue
        if not row.declaration:
            raise ValidationFailed(
                _(
                    "Member %(position)s already handed in their share of bid %(bid)s; it "
                    "cannot be declared undecryptable after that. Nothing was handed in."
                )
                % {"position": member.position, "bid": bid.pk},
                field="declarations",
                code="already_handed_in",
            )
        if row.declaration != reason:
            raise ValidationFailed(
                _(
                    "Member %(position)s already declared bid %(bid)s for another reason "
                    "(%(reason)s); a declaration never changes. Nothing was handed in."
                )
                % {
                    "position": member.position,
                    "bid": bid.pk,
                    "reason": ShareDeclaration(row.declaration).label,
                },
                field="declarations",
                code="already_declared",
            )


def _repeats(
    stored: dict[Any, ShareHandIn],
    given: Sequence[tuple[Bid, bytes]],
    declared: Sequence[tuple[Bid, str]],
) -> bool:
    """Whether a hand-in only repeats what this member already handed in."""

    def share_of(bid: Bid) -> bytes | None:
        row = stored.get(bid.pk)
        return bytes(row.share) if row is not None and row.share is not None else None

    def declaration_of(bid: Bid) -> str | None:
        row = stored.get(bid.pk)
        return row.declaration if row is not None and row.declaration else None

    return all(share_of(bid) == share for bid, share in given) and all(
        declaration_of(bid) == reason for bid, reason in declared
    )


def _result(
    opening: Opening, member: CommitteeMember, rows: Sequence[ShareHandIn], *, opened: bool
) -> HandIn:
    declared = sum(1 for row in rows if row.declaration)
    return HandIn(
        opening=opening,
        member=member,
        handed_in=len(rows) - declared,
        declared=declared,
        opened=opened,
    )


def _audit_declarations(
    actor: Actor, opening: Opening, member: CommitteeMember, rows: Sequence[ShareHandIn]
) -> None:
    """The audit row of a member's new declarations: their position and the bids, by reason."""
    summary: dict[str, Any] = {"member": member.position}
    for reason in ShareDeclaration.values:
        bids = [str(row.bid_id) for row in rows if row.declaration == reason]
        if bids:
            summary[reason] = bids
    audit_record(actor=actor, action="opening.declare", target=opening, summary=summary)


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
    decrypted" whatever is handed in, and needs no share (`_unsettled`)."""
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


def _unsettled(locked: Tender, opening: Opening) -> dict[Any, int]:
    """The bids not settled yet, with the fewest more members who must act on each (hand in
    their share, or declare they cannot); empty when the bids can open.

    A bid whose stored envelope is no longer the one committed to needs nothing: no share can
    open it.
    """
    threshold = locked.opening_threshold or 0
    members = CommitteeMember.objects.filter(tender=locked).count()
    shares: Counter[Any] = Counter()
    declared: Counter[Any] = Counter()
    for bid_id, declaration in ShareHandIn.objects.filter(opening=opening).values_list(
        "bid_id", "declaration"
    ):
        (declared if declaration else shares)[bid_id] += 1
    short = {}
    for bid in Bid.objects.filter(tender=locked, status=BidStatus.SUBMITTED):
        missing = acts_missing(
            shares=shares[bid.pk],
            declarations=declared[bid.pk],
            members=members,
            threshold=threshold,
        )
        if missing and _envelope_at_rest(bid) is not None:
            short[bid.pk] = missing
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
        "At least %(missing)s more member must hand in their shares, or declare that they "
        "cannot decrypt them.",
        "At least %(missing)s more members must hand in their shares, or declare that they "
        "cannot decrypt them.",
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
    declared: dict[Any, list[int]] = defaultdict(list)
    for hand_in in (
        ShareHandIn.objects.filter(opening=opening)
        .select_related("member")
        .order_by("member__position")
    ):
        if hand_in.share is None:
            declared[hand_in.bid_id].append(hand_in.member.position)
        else:
            shares[hand_in.bid_id].append((hand_in.member.position, bytes(hand_in.share)))
    threshold = locked.opening_threshold or 0
    found = [
        _open_bid(bid, shares[bid.pk], ocid=ocid, declared_by=declared[bid.pk], threshold=threshold)
        for bid in bids
    ]
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
    """The bidder as the record names it, with its profile at the opening (and, for a
    consortium, each member's, with its share)."""
    tenderer: dict[str, Any] = {
        "id": organization.party_id,
        "name": organization.display_name,
        "scale": organization.scale,
        "cooperative": organization.is_cooperative,
    }
    members = consortium_members(organization)
    if members:
        tenderer["consortium"] = [
            {
                "id": m.member.party_id,
                "name": m.member.display_name,
                "scale": m.member.scale,
                "cooperative": m.member.is_cooperative,
                "share": format(m.share.normalize(), "f"),
                "lead": m.is_lead,
            }
            for m in members
        ]
    return tenderer


def _open_bid(
    bid: Bid,
    shares: list[tuple[int, bytes]],
    *,
    ocid: str,
    declared_by: list[int],
    threshold: int,
) -> _Found:
    """Open one bid with its shares, and check its documents; a settled bid short of k shares
    (more than n - k members declared) is not tried: it is recorded as undecryptable, naming
    the positions that declared (`declaredBy`, in every entry that has declarations)."""
    entry: dict[str, Any] = {
        "id": str(bid.pk),
        "commitment": bid.commitment,
        "receivedAt": rfc3339(bid.received_at),
        "leafIndex": bid.leaf_index,
        "tenderer": _tenderer(bid.supplier),
        "members": [position for position, _share in shares],
    }
    if declared_by:
        entry["declaredBy"] = list(declared_by)
    envelope = _envelope_at_rest(bid)
    reason = REASON_ENVELOPE_ALTERED
    if envelope is not None and len(shares) < threshold and declared_by:
        reason = REASON_SHARES_UNDECRYPTABLE
    elif envelope is not None:
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
