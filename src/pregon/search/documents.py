"""From a compiled OCDS release to what the search indexes: texts and facet values.

Reads only the compiled release, so it indexes any published process the same way. Pure: no
database access.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_datetime
from django_countries import countries

from pregon.search.text import LANGUAGES, fold, joined, reference_key, search_language

_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, kw_only=True)
class DocumentData:
    """The searchable view of one compiled release."""

    ocid: str
    title: str
    #: The buyer's own reference (OCDS tender.id).
    reference: str = ""
    description: str
    body: str
    language: str
    buyer_id: str = ""
    buyer_name: str = ""
    country: str = ""
    region: str = ""
    method: str = ""
    category: str = ""
    status: str = ""
    value_amount: Decimal | None = None
    currency: str = ""
    reserved_msme: bool = False
    reserved_for: str = ""
    closing_at: dt.datetime | None = None
    codes: set[tuple[str, str]] = field(default_factory=set)

    @property
    def title_folded(self) -> str:
        return fold(self.title)

    @property
    def reference_key(self) -> str:
        return reference_key(self.reference)


def code_prefixes(code: str) -> list[str]:
    """Every prefix of a classification code's digits, from two digits on ("4521" -> 45, 452,
    4521); a CPV check digit ("-7") is not part of the code."""
    digits = _DIGITS.match(code.strip())
    value = digits.group() if digits else ""
    return [value[:length] for length in range(2, len(value) + 1)]


def code_significant(code: str) -> str:
    """The digits that name a group and its descendants: trailing zeros dropped, at least two
    ("45210000-8" -> "4521", "45000000" -> "45")."""
    digits = _DIGITS.match(code.strip())
    value = digits.group() if digits else ""
    trimmed = value.rstrip("0")
    return trimmed if len(trimmed) >= 2 else value[:2]


@functools.lru_cache(maxsize=1024)
def _country_code(name: str) -> str:
    """The ISO code of a country name in any of the four languages ("" when unknown).

    Remembered: django-countries compares the name with every country's translated name (a few
    milliseconds), and a reindex asks for the same few names again and again.
    """
    if not name:
        return ""
    for language in LANGUAGES:
        code = countries.by_name(name, language=language)
        if code:
            return str(code)
    return ""


def _amount(value: Any) -> tuple[Decimal | None, str]:
    if not isinstance(value, dict) or value.get("amount") is None:
        return None, ""
    try:
        return Decimal(str(value["amount"])), str(value.get("currency") or "")
    except InvalidOperation:
        return None, ""


def _buyer_party(compiled: dict[str, Any]) -> dict[str, Any]:
    buyer = compiled.get("buyer") or {}
    for party in compiled.get("parties") or []:
        if isinstance(party, dict) and party.get("id") == buyer.get("id"):
            return party
    return {}


def _reserved_for_msmes(lot: dict[str, Any]) -> bool:
    """Whether a published lot is reserved for smaller firms: its `reservation` (a field of
    ours, docs/open-data.md) names sizes, none of them large."""
    reservation = lot.get("reservation")
    if not isinstance(reservation, dict):
        return False
    scales = reservation.get("scales")
    return isinstance(scales, list) and bool(scales) and "large" not in scales


def _reserved_tags(lot: dict[str, Any]) -> set[str]:
    """Who may bid on a lot reserved for MSMEs: its sizes, and "cooperative" when cooperatives
    of any size may."""
    if not _reserved_for_msmes(lot):
        return set()
    reservation = lot["reservation"]
    tags = {str(scale) for scale in reservation["scales"]}
    if reservation.get("cooperatives") is True:
        tags.add("cooperative")
    return tags


def document_from_release(compiled: dict[str, Any]) -> DocumentData | None:
    """The searchable view of a compiled release; None when it has no tender to find."""
    tender = compiled.get("tender")
    if not isinstance(tender, dict) or not tender.get("title"):
        return None
    buyer = compiled.get("buyer") or {}
    address = _buyer_party(compiled).get("address") or {}
    items = [item for item in tender.get("items") or [] if isinstance(item, dict)]
    codes: set[tuple[str, str]] = set()
    item_texts = []
    for item in items:
        item_texts.append(str(item.get("description") or ""))
        for classification in [
            item.get("classification"),
            *item.get("additionalClassifications", []),
        ]:
            if not isinstance(classification, dict):
                continue
            item_texts.append(str(classification.get("description") or ""))
            scheme = str(classification.get("scheme") or "")
            codes.update(
                (scheme, prefix) for prefix in code_prefixes(str(classification.get("id") or ""))
            )
    lot_entries = [lot for lot in tender.get("lots") or [] if isinstance(lot, dict)]
    lots = [str(lot.get("title") or "") for lot in lot_entries]
    amount, currency = _amount(tender.get("value"))
    period = tender.get("tenderPeriod") or {}
    closing = parse_datetime(str(period.get("endDate") or "")) if period.get("endDate") else None
    description = str(tender.get("description") or "")
    return DocumentData(
        ocid=str(compiled.get("ocid") or ""),
        title=str(tender["title"]),
        reference=str(tender.get("id") or "")[:200],
        description=description,
        body=joined([description, *lots, *item_texts, str(buyer.get("name") or "")]),
        language=search_language(compiled.get("language")),
        buyer_id=str(buyer.get("id") or ""),
        buyer_name=str(buyer.get("name") or ""),
        country=_country_code(str(address.get("countryName") or "")),
        region=str(address.get("region") or ""),
        method=str(tender.get("procurementMethod") or ""),
        category=str(tender.get("mainProcurementCategory") or ""),
        status=str(tender.get("status") or ""),
        value_amount=amount,
        currency=currency,
        reserved_msme=any(_reserved_for_msmes(lot) for lot in lot_entries),
        reserved_for=" ".join(sorted(set().union(*(_reserved_tags(lot) for lot in lot_entries)))),
        closing_at=closing,
        codes=codes,
    )
