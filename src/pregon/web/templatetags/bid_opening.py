"""The bid opening on the tender's page: `{% bid_opening tender %}`.

The tender page is the tenders app's, which sits below the bids app and so cannot read an
opening; this tag, in the pages' layer above both, renders the opening's section into it. Before
the opening it says when the bids will be opened (and shows a committee member the way to the
opening page); after, the public opening record: every bidder with its prices per lot, the bid
statistics, the bids that could not be decrypted and the documents that did not match.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.urls import reverse

from pregon.bids.ocds import undecryptable_reason
from pregon.bids.selectors_opening import (
    opening_bidders,
    opening_log_position,
    opening_of,
    opening_seat,
)
from pregon.organizations.choices import Scale
from pregon.organizations.models import Organization
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import Tender

register = template.Library()


@dataclass(frozen=True, kw_only=True)
class PriceRow:
    """One price of the record: a bidder's offer for one lot."""

    bidder: str
    organization: Organization | None
    lot: str
    amount: Decimal | None
    text: str
    currency: str


@dataclass(frozen=True, kw_only=True)
class UnopenedRow:
    """A bid that could not be decrypted, and why."""

    bidder: str
    organization: Organization | None
    reason: str


@dataclass(frozen=True, kw_only=True)
class AlteredDocument:
    bidder: str
    document: str


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return None


def _scale_label(code: str) -> str:
    return str(Scale(code).label) if code in Scale.values else code


@register.inclusion_tag("bids/opening/tender_section.html", takes_context=True)
def bid_opening(context: template.Context, tender: Tender) -> dict[str, Any]:
    """The opening section of `tender`'s page (see the module's docstring)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    seat = opening_seat(user=user, tender=tender) if user is not None else None
    section: dict[str, Any] = {
        "tender": tender,
        "cancelled": tender.status == TenderStatus.CANCELLED,
        "committee_url": reverse("opening:committee", kwargs={"pk": tender.pk})
        if seat is not None
        else "",
        "opening": None,
    }
    # Only a closed tender has had an opening (opening one closes it first): the others cost
    # the page no query.
    opening = opening_of(tender=tender) if tender.status == TenderStatus.CLOSED else None
    if opening is None or opening.record is None:
        return section
    record = opening.record
    bidders = opening_bidders(opening=opening)
    prices: list[PriceRow] = []
    unopened: list[UnopenedRow] = []
    altered: list[AlteredDocument] = []
    tenderers = []
    for bid in record["bids"]:
        name = bid["tenderer"]["name"]
        organization = bidders.get(bid["id"])
        tenderers.append(
            {
                "name": name,
                "organization": organization,
                "scale": _scale_label(bid["tenderer"]["scale"]),
                "cooperative": bid["tenderer"]["cooperative"],
                "opened": bid["outcome"] == "opened",
            }
        )
        if bid["outcome"] != "opened":
            unopened.append(
                UnopenedRow(
                    bidder=name,
                    organization=organization,
                    reason=undecryptable_reason(bid.get("reason", ""), bid.get("declaredBy", ())),
                )
            )
            continue
        prices.extend(
            PriceRow(
                bidder=name,
                organization=organization,
                lot=lot["lot"],
                amount=_amount(lot["amount"]),
                text=lot["amount"],
                currency=lot["currency"],
            )
            for lot in bid["lots"]
        )
        altered.extend(
            AlteredDocument(bidder=name, document=document["id"])
            for document in bid.get("documents", [])
            if not document["intact"]
        )
    lots = sorted({row.lot for row in prices}, key=lambda lot: (len(lot), lot))
    section |= {
        "opening": opening,
        "record": record,
        "statistics": record["statistics"],
        "tenderers": tenderers,
        "lots": [(lot, [row for row in prices if row.lot == lot]) for lot in lots],
        "unopened": unopened,
        "altered": altered,
        "log": opening_log_position(opening),
        "record_url": reverse("api:opening_record", kwargs={"ocid": tender.ocid}),
    }
    return section
