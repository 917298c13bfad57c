"""The quick quotes' part of a release: OCDS 1.1 `tender`, `awards` and `contracts`.

Registered with `pregon.publication.mapping` from `apps.py`. Each quick quote is a contracting
process of its own (ocid series ``quote-``), or continues the process of the plan line it
follows (its ocid, as a tender drafted from a line). Choices (also in docs/quick-quotes.md):

* Releases: `tender` at the publication, `tenderUpdate` at the closing, `tenderCancellation`
  at a cancellation, `award` when the buyer chooses a quote, then the order's own (`contract`,
  `contractUpdate`, `implementation`…, written by the contracts' services).
* `tender.procurementMethod` is the pack's mapping (`limited` or `direct`), and
  `procurementMethodDetails` the title of the pack's rule ("Compra Ágil: …");
  `tender.status` is `active` while open, `complete` once closed or ordered, `unsuccessful`
  with fewer quotes than the pack's minimum, `cancelled`.
* The delivery is a tender milestone of type `delivery` (its place in the description, its
  date as `dueDate`); who may quote, when restricted, is `eligibilityCriteria`.
* Quotes are bids and stay secret until the closing: then every supplier with a standing quote
  is a `tenderer` and `numberOfTenderers` counts them.
* The chosen quote is the one award (`quote-<n>`, status `active`), its `description` the
  buyer's reason when it is not the lowest; the order is its contract (`contracts`' own entry,
  with the award's id).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _

from pregon.contracts.ocds import contract_entry
from pregon.core import classifications
from pregon.core.procurement import interface_language
from pregon.publication.mapping import (
    NotPublishable,
    Parties,
    ReleaseRequest,
    Sections,
    absolute_url,
    ocds_datetime,
    ocds_number,
    ocds_value,
)
from pregon.quotes import packs
from pregon.quotes.choices import QuickQuoteStatus, QuoteStatus, Restriction
from pregon.quotes.models import QuickQuote, QuickQuoteItem, Quote

_TENDER_STATUS = {
    QuickQuoteStatus.OPEN: "active",
    QuickQuoteStatus.CLOSED: "complete",
    QuickQuoteStatus.ORDERED: "complete",
    QuickQuoteStatus.UNSUCCESSFUL: "unsuccessful",
    QuickQuoteStatus.CANCELLED: "cancelled",
}


def _item(item: QuickQuoteItem) -> dict[str, Any]:
    classification: dict[str, Any] = {
        "scheme": item.classification_scheme,
        "id": item.classification_code,
    }
    entry = classifications.lookup(item.classification_scheme, item.classification_code)
    if entry is not None and entry.code == item.classification_code:
        classification["description"] = entry.name(translation.get_language())
    return {
        "id": str(item.number),
        "description": item.description,
        "classification": classification,
        "quantity": ocds_number(item.quantity),
        "unit": {"name": item.unit},
    }


def _delivery_due(quick_quote: QuickQuote) -> str:
    zone = ZoneInfo(quick_quote.buyer.effective_time_zone)
    end = dt.datetime.combine(quick_quote.delivery_date, dt.time(23, 59, 59), tzinfo=zone)
    return ocds_datetime(end)


def quick_quote_tender(quick_quote: QuickQuote, parties: Parties) -> dict[str, Any]:
    """The `tender` of a published quick quote (texts in the active language)."""
    assert quick_quote.published_at is not None
    rule = packs.rule_of(quick_quote)
    data: dict[str, Any] = {
        "id": quick_quote.reference,
        "title": quick_quote.title,
        "status": _TENDER_STATUS[QuickQuoteStatus(quick_quote.status)],
        "items": [_item(item) for item in quick_quote.items.all()],
        "value": ocds_value(quick_quote.estimated_value, quick_quote.currency),
        "procurementMethod": quick_quote.ocds_method,
        "procurementMethodDetails": packs.text(rule.title) if rule else _("Quick quote"),
        "mainProcurementCategory": quick_quote.category,
        "tenderPeriod": {
            "startDate": ocds_datetime(quick_quote.published_at),
            "endDate": ocds_datetime(quick_quote.closes_at),
        },
        "milestones": [
            {
                "id": "delivery",
                "title": _("Delivery"),
                "type": "delivery",
                "description": quick_quote.delivery_place,
                "dueDate": _delivery_due(quick_quote),
                "status": "scheduled",
            }
        ],
    }
    if quick_quote.description:
        data["description"] = quick_quote.description
    if quick_quote.restriction == Restriction.ELIGIBLE:
        data["eligibilityCriteria"] = packs.who_may_quote(quick_quote)
    if quick_quote.quotes_visible:
        standing = list(
            Quote.objects.filter(quick_quote=quick_quote, status=QuoteStatus.SUBMITTED)
            .select_related("supplier")
            .order_by("price", "submitted_at", "pk")
        )
        data["numberOfTenderers"] = len(standing)
        if standing:
            data["tenderers"] = [parties.add(q.supplier, "tenderer") for q in standing]
    if quick_quote.status == QuickQuoteStatus.CANCELLED:
        assert quick_quote.cancelled_at is not None
        data["documents"] = [
            {
                "id": "cancellation",
                "documentType": "cancellationDetails",
                "title": _("Reason for the cancellation"),
                "description": quick_quote.cancellation_reason,
                "url": absolute_url(quick_quote.get_absolute_url()),
                "datePublished": ocds_datetime(quick_quote.cancelled_at),
                "format": "text/html",
                "language": quick_quote.language,
            }
        ]
    return data


def _award(quick_quote: QuickQuote, chosen: Quote, parties: Parties) -> dict[str, Any]:
    assert quick_quote.chosen_at is not None
    award: dict[str, Any] = {
        "id": chosen.ocds_id,
        "title": quick_quote.title,
        "status": "active",
        "date": ocds_datetime(quick_quote.chosen_at),
        "value": ocds_value(chosen.price, quick_quote.currency),
        "suppliers": [parties.add(chosen.supplier, "supplier")],
    }
    if quick_quote.choice_reason:
        award["description"] = quick_quote.choice_reason
    return award


def quick_quote_sections(request: ReleaseRequest) -> Sections | None:
    """The quick quote's sections of the process `request.ocid`; None if no quick quote has
    that ocid (or only a draft that follows a plan line, whose line still speaks for it)."""
    quick_quote = (
        QuickQuote.objects.select_related("buyer", "chosen__supplier", "order")
        .filter(ocid=request.ocid)
        .first()
    )
    if quick_quote is None:
        return None
    if not quick_quote.is_public:
        if quick_quote.plan_line_id is not None:
            return None
        raise NotPublishable(f"quick quote {quick_quote.pk} is a draft and was never published")
    with translation.override(interface_language(quick_quote.language)):
        buyer = request.parties.add(quick_quote.buyer, "buyer", "procuringEntity")
        body: dict[str, Any] = {
            "buyer": buyer,
            "tender": quick_quote_tender(quick_quote, request.parties),
        }
        chosen = quick_quote.chosen
        awards = [_award(quick_quote, chosen, request.parties)] if chosen is not None else []
        # A choice changed before the order: the quote chosen first stays in the compiled
        # release (merging never removes an entry), so it is published as cancelled.
        for old in (request.previous or {}).get("awards") or []:
            old_id = old.get("id") if isinstance(old, dict) else None
            if old_id and (chosen is None or old_id != chosen.ocds_id):
                awards.append({"id": old_id, "status": "cancelled"})
        if awards:
            body["awards"] = awards
        order = quick_quote.order
        if order is not None and chosen is not None and order.is_public:
            previous = {
                entry.get("id"): entry
                for entry in (request.previous or {}).get("contracts") or []
                if isinstance(entry, dict)
            }
            entry = contract_entry(
                order, quick_quote.language, request.parties, previous.get(order.ocds_id)
            )
            entry["awardID"] = chosen.ocds_id
            body["contracts"] = [entry]
    return Sections(head={"initiationType": "tender", "language": quick_quote.language}, body=body)
