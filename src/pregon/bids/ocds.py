"""The bids' part of a release: OCDS `bids` (the bid extension) and the bidders as parties, once
a tender's sealed bids are opened. Before the opening it publishes nothing: who bid, and how
many bid, is secret until then.

Registered with `pregon.publication.mapping` from `apps.py`; publication asks it for the
sections of a process and puts them together with the tenders' (see that module).

Everything here is read from the opening record, the exact document logged at the opening
(`Opening.record`), so every later release of the process repeats the same facts, whatever the
bidders change in their profiles afterwards. Only the parties (names, addresses, today's scale)
come from the organizations, as for every party.

Choices (also in docs/open-data.md):

* `bids.details`: one entry per bid and lot it offers, with id `<bid id>-<lot id>`, the price
  as `value`, the lot in `relatedLots`, the bidder in `tenderers`, `date` the moment the bid
  was received, and `status` `pending` (evaluation decides whether it is valid). A bid that
  could not be decrypted is one entry, id `<bid id>`, status `disqualified`, with a
  `description` that says so and why (for a bid whose shares more than n - k committee members
  declared they could not decrypt, their positions, as the record's `declaredBy` lists them).
* `bids.statistics`: `bids` (every bid standing at the deadline, decrypted or not) and `smeBids`
  from the bid extension's codelist; `microBids`, `smallBids`, `mediumBids` and
  `cooperativeBids` are this platform's (the statistic codelist is open). A bidder's size is
  its profile's scale at the opening; the self-employed count as SMEs, not as micro. A
  consortium counts once, as large as its largest member; the size and cooperative measures
  count its bid when any member qualifies (`tlog.leaves.opening_statistics`).
* Each bidder is a party with the role `tenderer` (and its `details.scale`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pregon.bids.choices import OpenedBidOutcome, OpeningStatus
from pregon.bids.choices_opening import (
    MEASURES,
    REASON_ENVELOPE_ALTERED,
    REASON_SHARES_UNDECRYPTABLE,
)
from pregon.bids.models import Opening
from pregon.organizations.models import Organization
from pregon.publication.mapping import ReleaseRequest, Sections, ocds_number
from pregon.tenders.models import Tender
from pregon.tenders.ocds import OPENING_MILESTONE_ID


def _reasons() -> dict[str, str]:
    """Why a bid could not be opened, in the active language, by the record's reason code."""
    return {
        REASON_ENVELOPE_ALTERED: _(
            "The stored envelope is not the one the bidder committed to in the transparency log."
        ),
        "undecryptable": _(
            "The key rebuilt from the committee's shares does not decrypt it: its ciphertext "
            "was altered, or the bidder sealed it wrongly."
        ),
        "malformed_bid": _("It decrypts, but its content is not a bid for this tender."),
        "too_few_shares": _("The shares handed in do not rebuild its key."),
    }


def undecryptable_reason(code: str, declared_by: Sequence[int] = ()) -> str:
    """Why a bid could not be decrypted, in the active language (pages and the OCDS text);
    `declared_by`: the committee positions that declared they could not decrypt their shares
    (the record's `declaredBy`), named for `shares_undecryptable`."""
    if code == REASON_SHARES_UNDECRYPTABLE:
        return ngettext(
            "Too few members of the opening committee could hand in their shares of it: member "
            "%(positions)s declared that the share sealed to them could not be decrypted.",
            "Too few members of the opening committee could hand in their shares of it: members "
            "%(positions)s declared that the shares sealed to them could not be decrypted.",
            len(declared_by),
        ) % {"positions": ", ".join(str(position) for position in declared_by)}
    return _reasons().get(code, _("It could not be decrypted (%(code)s).") % {"code": code})


def _moment(text: str) -> str:
    """A record's RFC 3339 moment (milliseconds) as an OCDS date-time (whole seconds)."""
    return text[:19] + "Z"


def _value(lot: dict[str, Any]) -> dict[str, Any] | None:
    try:
        amount = Decimal(lot["amount"])
    except (InvalidOperation, TypeError, KeyError):
        return None
    return {"amount": ocds_number(amount), "currency": lot["currency"]}


def bid_details(record: dict[str, Any], parties: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """`bids.details` of an opening record; `parties` maps a party id to its reference."""
    details: list[dict[str, Any]] = []
    for bid in record["bids"]:
        common = {
            "date": _moment(bid["receivedAt"]),
            "tenderers": [parties[bid["tenderer"]["id"]]],
        }
        if bid["outcome"] != OpenedBidOutcome.OPENED:
            details.append(
                {
                    "id": bid["id"],
                    **common,
                    "status": "disqualified",
                    "description": _("This bid could not be decrypted at the opening. %(reason)s")
                    % {
                        "reason": undecryptable_reason(
                            bid.get("reason", ""), bid.get("declaredBy", ())
                        )
                    },
                }
            )
            continue
        for lot in bid["lots"]:
            entry: dict[str, Any] = {"id": f"{bid['id']}-{lot['lot']}", **common}
            entry["status"] = "pending"
            value = _value(lot)
            if value is not None:
                entry["value"] = value
            entry["relatedLots"] = [lot["lot"]]
            details.append(entry)
    return details


def bid_statistics_section(record: dict[str, Any]) -> list[dict[str, Any]]:
    """`bids.statistics` of an opening record."""
    date = _moment(record["openedAt"])
    return [
        {"id": measure, "measure": measure, "value": record["statistics"][measure], "date": date}
        for measure in MEASURES
    ]


def bid_sections(request: ReleaseRequest) -> Sections | None:
    """The bids' sections of the process `request.ocid`: None until its bids are opened."""
    opening = (
        Opening.objects.select_related("tender")
        .filter(tender__ocid=request.ocid, status=OpeningStatus.OPENED)
        .first()
    )
    if opening is None or opening.record is None:
        return None
    tender: Tender = opening.tender
    record = opening.record
    ids = {bid["tenderer"]["id"] for bid in record["bids"]}
    organizations = {
        organization.party_id: organization
        for organization in Organization.objects.filter(
            pk__in=opening.tender.bids.values("supplier")
        )
        if organization.party_id in ids
    }
    references = {
        party_id: request.parties.add(organization, "tenderer")
        for party_id, organization in sorted(organizations.items())
    }
    # A bidder whose organization is gone keeps the name the record gave it.
    for bid in record["bids"]:
        tenderer = bid["tenderer"]
        references.setdefault(tenderer["id"], {"id": tenderer["id"], "name": tenderer["name"]})
    with translation.override(tender.language):
        details = bid_details(record, references)
    return Sections(
        body={
            # Merged into the tenders' milestone of the same id (`mapping.merge_section`).
            "tender": {"milestones": [opening_milestone_met(record)]},
            "bids": {
                "statistics": bid_statistics_section(record),
                "details": details,
            },
        }
    )


def opening_milestone_met(record: dict[str, Any]) -> dict[str, Any]:
    """The tender's bid-opening milestone, met when the opening record was made."""
    return {"id": OPENING_MILESTONE_ID, "status": "met", "dateMet": _moment(record["openedAt"])}
