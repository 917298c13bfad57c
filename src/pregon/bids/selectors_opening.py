"""Reading the opening: who may see the sealed bids at the opening, how far the committee has
got, and the public opening record.

- The committee's side (`opening_member_get`, `opening_envelopes`, `opening_progress`): only a
  member of the tender's opening committee, signed in as themselves and holding the committee
  role in the buyer, from the opening time on (by the database's clock). They see the sealed
  bids as envelopes and numbers, never who sent them.
- The public side (`opening_record_get`): the opening record, once the bids are opened; before
  that it does not exist for anyone, the buyer's people included.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from pregon.accounts.choices import COMMITTEE_ROLES
from pregon.accounts.models import User
from pregon.accounts.permissions import require_role
from pregon.bids.choices import BidStatus, OpeningStatus
from pregon.bids.choices_opening import ShareDeclaration, acts_missing, bid_settled
from pregon.bids.models import Bid, Opening, ShareHandIn
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from pregon.core.time_zones import moment_text
from pregon.ledger import selectors as ledger_selectors
from pregon.organizations.models import Organization
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import CommitteeMember, Tender
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import leaf_hash

#: The bids an opening opens: those standing at the deadline (and, once opened, what they became).
AT_OPENING = (BidStatus.SUBMITTED, BidStatus.OPENED, BidStatus.UNDECRYPTABLE)


# ---------------------------------------------------------------------------------------------
# the committee's side


def opening_member_get(*, actor: Actor, tender: Tender) -> CommitteeMember:
    """The actor's seat on the tender's opening committee; refused for anyone else.

    A committee member acts in person: an organization's API key is refused, and so is a person
    who is not named on this tender's committee or no longer holds the committee role in its
    buyer. (Signing in with multi-factor authentication is enforced for every official before
    any page or API call reaches this: `accounts.middleware`, `organizations.api_auth`.)
    """
    if actor.api_key is not None:
        raise PermissionDenied(
            _(
                "Committee members hand in their shares signed in as themselves, never with an "
                "organization's API key."
            ),
            code="person_required",
        )
    if actor.user is None or not actor.user.is_active:
        raise PermissionDenied(_("Sign in to do this."))
    require_role(actor, tender.buyer, COMMITTEE_ROLES)
    member = CommitteeMember.objects.filter(tender=tender, user=actor.user).first()
    if member is None:
        raise PermissionDenied(
            _("Only the members of this tender's opening committee take part in its opening."),
            code="not_on_committee",
        )
    return member


def opening_due_check(tender: Tender, now: dt.datetime) -> None:
    """Refuse unless the tender's bids may be opened at `now`: published, not cancelled, and
    its opening time come."""
    if tender.status == TenderStatus.CANCELLED:
        raise InvalidTransition(
            _("This tender was cancelled; its sealed bids are never opened."),
            code="tender_cancelled",
        )
    if tender.status == TenderStatus.DRAFT or tender.published_at is None:
        raise NotFound(_("There is no published tender by this id."))
    if now < tender.opening_at:
        raise InvalidTransition(
            _("The opening starts at %(moment)s; the sealed bids are not available before.")
            % {"moment": moment_text(tender.opening_at, tender.buyer.effective_time_zone)},
            code="opening_not_started",
        )


def opening_envelopes(*, actor: Actor, tender: Tender) -> list[Bid]:
    """The sealed bids of the opening in the order they were received, for a committee member
    from the opening time on. The caller shows their envelopes and ids, never their suppliers.
    """
    opening_member_get(actor=actor, tender=tender)
    opening_due_check(tender, clock.db_now())
    return list(
        Bid.objects.filter(tender=tender, status__in=AT_OPENING)
        .only("id", "tender_id", "status", "envelope", "commitment", "received_at", "leaf_index")
        .order_by("received_at", "pk")
    )


def opening_share_pairs[Given](
    *, tender: Tender, shares: Sequence[tuple[uuid.UUID, Given]], field: str = "shares"
) -> list[tuple[Bid, Given]]:
    """The bids a hand-in names, with their shares (or declarations' reasons: `field`
    "declarations"); refused when one is not a bid of `tender`."""
    if not shares:
        return []
    bids = Bid.objects.filter(tender=tender, pk__in=[bid_id for bid_id, _share in shares])
    found = {bid.pk: bid for bid in bids}
    pairs = []
    for bid_id, share in shares:
        bid = found.get(bid_id)
        if bid is None:
            raise ValidationFailed(
                _("There is no sealed bid %(bid)s in this tender.") % {"bid": bid_id},
                field=field,
                code="unknown_bid",
            )
        pairs.append((bid, share))
    return pairs


def opening_seat(*, user: User | AnonymousUser, tender: Tender) -> CommitteeMember | None:
    """The person's seat on the tender's opening committee, if they have one (to show them the
    way to the opening page; acting there checks everything again)."""
    if not user.is_authenticated:
        return None
    return CommitteeMember.objects.filter(tender=tender, user_id=user.pk).first()


@dataclass(frozen=True, kw_only=True)
class SealedBidRow:
    """One sealed bid as the committee's page lists it: a number, never a bidder.

    `shares`: how many members handed in their share of it; `declared_by`: the positions of
    the members who declared they cannot decrypt theirs; `mine`: whether the page's member
    handed in their share; `my_declaration`: the reason they declared, if they did. `ready`:
    it holds k shares; `lost`: more than n - k members declared, so it can never hold k (it
    will be recorded as undecryptable). Either settles it.
    """

    number: int
    bid: Bid
    shares: int
    mine: bool
    declared_by: tuple[int, ...] = ()
    my_declaration: str = ""
    ready: bool = False
    lost: bool = False

    @property
    def declarations(self) -> int:
        return len(self.declared_by)

    @property
    def settled(self) -> bool:
        return self.ready or self.lost

    @property
    def my_declaration_label(self) -> str:
        """The reason of the member's declaration, in the active language ("" if none)."""
        if not self.my_declaration:
            return ""
        return str(ShareDeclaration(self.my_declaration).label)


@dataclass(frozen=True, kw_only=True)
class OpeningProgress:
    """How far the committee has got: who handed in shares and who declared (by position), and
    what is still missing."""

    threshold: int
    members: int
    handed_in: list[int]
    bids: list[SealedBidRow]
    opening: Opening | None
    declared: tuple[int, ...] = ()

    @property
    def opened(self) -> bool:
        return self.opening is not None and self.opening.status == OpeningStatus.OPENED

    @property
    def tolerated(self) -> int:
        """How many declarations a bid can take and still be opened (n - k)."""
        return self.members - self.threshold

    @property
    def missing(self) -> int:
        """The fewest more members who must act (hand in their shares, or declare that they
        cannot decrypt them) before the bids open (0 when none: the bids open, or are open)."""
        if self.opened:
            return 0
        if not self.bids:
            return 0 if self.handed_in else 1
        return max(
            acts_missing(
                shares=row.shares,
                declarations=row.declarations,
                members=self.members,
                threshold=self.threshold,
            )
            for row in self.bids
        )


def opening_progress(*, tender: Tender, member: CommitteeMember | None = None) -> OpeningProgress:
    """Where the opening of `tender` stands; `mine` marks the bids `member` handed a share in for,
    `my_declaration` those they declared.

    Counts and positions only: no bidder, no share.
    """
    opening = Opening.objects.filter(tender=tender).first()
    bids = list(
        Bid.objects.filter(tender=tender, status__in=AT_OPENING)
        .only("id", "tender_id", "status", "commitment", "received_at")
        .order_by("received_at", "pk")
    )
    hand_ins = (
        list(
            ShareHandIn.objects.filter(opening=opening).values_list(
                "bid_id", "member_id", "declaration"
            )
        )
        if opening is not None
        else []
    )
    positions = dict(CommitteeMember.objects.filter(tender=tender).values_list("pk", "position"))
    threshold = tender.opening_threshold or 0
    shares: dict[Any, int] = defaultdict(int)
    declared_by: dict[Any, list[int]] = defaultdict(list)
    mine: dict[Any, str] = {}
    for bid_id, member_id, declaration in hand_ins:
        if declaration:
            declared_by[bid_id].append(positions[member_id])
        else:
            shares[bid_id] += 1
        if member is not None and member_id == member.pk:
            mine[bid_id] = declaration
    rows = []
    for number, bid in enumerate(bids, start=1):
        held, declared = shares[bid.pk], sorted(declared_by[bid.pk])
        settled = bid_settled(
            shares=held, declarations=len(declared), members=len(positions), threshold=threshold
        )
        rows.append(
            SealedBidRow(
                number=number,
                bid=bid,
                shares=held,
                mine=bid.pk in mine and not mine[bid.pk],
                declared_by=tuple(declared),
                my_declaration=mine.get(bid.pk, ""),
                ready=held >= threshold,
                lost=settled and held < threshold,
            )
        )
    return OpeningProgress(
        threshold=threshold,
        members=len(positions),
        handed_in=sorted({positions[m] for _bid, m, declaration in hand_ins if not declaration}),
        declared=tuple(sorted({positions[m] for _bid, m, declaration in hand_ins if declaration})),
        bids=rows,
        opening=opening,
    )


# ---------------------------------------------------------------------------------------------
# the public side


def opening_record_get(*, tender: Tender) -> Opening:
    """The opened opening of a published tender; `NotFound` until its bids are opened.

    Nobody, the buyer's people included, learns who bid before that.
    """
    opening = Opening.objects.filter(
        tender=tender, tender__published_at__isnull=False, status=OpeningStatus.OPENED
    ).first()
    if opening is None:
        raise NotFound(_("The bids of this tender have not been opened yet; nobody knows who bid."))
    return opening


def opening_of(*, tender: Tender) -> Opening | None:
    """The tender's opened opening, or None (before its bids are opened)."""
    try:
        return opening_record_get(tender=tender)
    except NotFound:
        return None


def opening_bidders(*, opening: Opening) -> dict[str, Organization]:
    """The organizations behind the bids of an opened opening, by bid id (for links)."""
    ids = [bid["id"] for bid in (opening.record or {}).get("bids", [])]
    return {
        str(bid.pk): bid.supplier
        for bid in Bid.objects.filter(tender_id=opening.tender_id, pk__in=ids).select_related(
            "supplier"
        )
    }


@dataclass(frozen=True, kw_only=True)
class RecordLogPosition:
    """Where the opening record sits in the transparency log, for an inclusion proof."""

    leaf_index: int
    leaf_hash: str
    tree_size: int | None


def opening_log_position(opening: Opening) -> RecordLogPosition:
    """The opening record's leaf: its index, its hash, and the size of the latest signed
    checkpoint that covers it (None until one does)."""
    assert opening.leaf_index is not None and opening.record is not None
    latest = ledger_selectors.checkpoint_latest()
    size = latest.size if latest is not None and latest.size > opening.leaf_index else None
    return RecordLogPosition(
        leaf_index=opening.leaf_index,
        leaf_hash=leaf_hash(canonical_bytes(opening.record)).hex(),
        tree_size=size,
    )
