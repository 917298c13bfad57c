"""Reading sealed bids: who may see which bid, and what the buyer may know before the opening.

- A supplier reads its own bids and uploads, with their receipts. Another organization's bid
  or upload answers "not found", the same as one that does not exist, so ids reveal nothing.
- Nobody else reads a bid's supplier before the opening: not the buyer's officials, committee
  members or auditors, and not the public. The bid's audit rows are recorded under the
  supplier, which the buyer's audit trail never shows (`pregon.audit.selectors`).
- The buyer learns only how many bids are sealed, as a number, and only once the bid deadline
  has passed (by the database's clock), to prepare the opening. Before the deadline the count
  would tell a buyer's official, and through them a favoured supplier, how much competition
  there is; after it, no bid can change any more.

The opening (which reveals bidders and prices) has its own selectors.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pregon.accounts.choices import BUYER_READ_ROLES
from pregon.accounts.permissions import require_role
from pregon.bids.choices import BidStatus
from pregon.bids.models import Bid, BidUpload
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import NotFound, PermissionDenied
from pregon.organizations.models import Organization
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import Tender

#: The bids that count: those standing at the deadline, whatever the opening later found.
COUNTED = (BidStatus.SUBMITTED, BidStatus.OPENED, BidStatus.UNDECRYPTABLE)


def tender_for_bidding(*, ocid: str) -> Tender:
    """A published tender by its ocid (drafts answer "not found", like unknown ocids)."""
    tender = (
        Tender.objects.exclude(status=TenderStatus.DRAFT)
        .filter(ocid=ocid, published_at__isnull=False)
        .first()
    )
    if tender is None:
        raise NotFound(_("There is no published tender %(ocid)s.") % {"ocid": ocid[:100]})
    return tender


def bids_of_supplier(*, organization: Organization, tender: Tender | None = None) -> QuerySet[Bid]:
    """The supplier's own bids (of one tender, or all), newest first."""
    queryset = Bid.objects.filter(supplier=organization).select_related("tender")
    if tender is not None:
        queryset = queryset.filter(tender=tender)
    return queryset.order_by("-received_at", "-pk")


def bid_of_supplier(*, organization: Organization | None, pk: uuid.UUID) -> Bid:
    """One of the supplier's own bids; any other bid answers "not found"."""
    bid = None
    if organization is not None:
        bid = Bid.objects.select_related("tender").filter(pk=pk, supplier=organization).first()
    if bid is None:
        raise NotFound(_("You have no bid with this id."))
    return bid


def bid_upload_of_supplier(*, organization: Organization | None, pk: uuid.UUID) -> BidUpload:
    """One of the supplier's own uploads; any other upload answers "not found"."""
    upload = None
    if organization is not None:
        upload = BidUpload.objects.filter(pk=pk, supplier=organization).first()
    if upload is None:
        raise NotFound(
            _("You have no upload with this id (an upload used by a bid is no longer one).")
        )
    return upload


def bids_sealed_count(*, actor: Actor, tender: Tender) -> int | None:
    """How many bids the tender holds (neither replaced nor withdrawn), for the people of its
    buyer; None while the bid deadline has not passed.

    Only the number: never who bid.
    """
    try:
        require_role(actor, tender.buyer, BUYER_READ_ROLES)
    except PermissionDenied:
        raise PermissionDenied(
            _("Only the buyer's people learn how many bids a tender holds before the opening.")
        ) from None
    if clock.db_now() < tender.submission_deadline:
        return None
    return Bid.objects.filter(tender=tender, status__in=COUNTED).count()
