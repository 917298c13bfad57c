"""What the figures are computed over: the buyer's country, one buyer, and a period.

A period is a calendar year ("2026") or a quarter ("2026-Q3"), in UTC; empty means every
period. Each figure says which date of its records falls in the period (docs/figures.md).
Parsing is shared by the page, the CSV downloads and the API, so bad input is refused the same
way everywhere (`FilterError`, naming the field), and nothing is computed from it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from pregon.accounts.choices import OrganizationKind
from pregon.bids.choices import OpeningStatus
from pregon.bids.models import Opening
from pregon.contracts.models import Contract
from pregon.core.api_pagination import MAX_ID
from pregon.core.errors import ValidationFailed
from pregon.organizations.models import Organization

PERIOD_PATTERN = r"^(\d{4})(?:-Q([1-4]))?$"
COUNTRY_PATTERN = r"^[A-Za-z]{2}$"
_PERIOD = re.compile(PERIOD_PATTERN)
_COUNTRY = re.compile(COUNTRY_PATTERN)
#: The years a period may name (a typo such as "0226" is refused rather than answered empty).
FIRST_YEAR, LAST_YEAR = 2000, 2100


class FilterError(ValidationFailed):
    """A filter that cannot be read (the field is in `field`)."""


@dataclass(frozen=True, kw_only=True)
class Period:
    """A calendar year or quarter: `start` (included) to `end` (excluded), both UTC midnights."""

    label: str
    start: dt.date
    end: dt.date

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), tzinfo=dt.UTC)

    @property
    def end_at(self) -> dt.datetime:
        return dt.datetime.combine(self.end, dt.time(), tzinfo=dt.UTC)


def period_parse(text: str) -> Period | None:
    """The period "YYYY" or "YYYY-Qn" names (None for an empty text); `FilterError` otherwise."""
    text = text.strip()
    if not text:
        return None
    match = _PERIOD.match(text)
    if match is None or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        raise FilterError(
            _('Write a year ("2026") or a quarter ("2026-Q3") between %(first)s and %(last)s.')
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field="period",
        )
    year = int(match[1])
    if match[2] is None:
        return Period(label=text, start=dt.date(year, 1, 1), end=dt.date(year + 1, 1, 1))
    quarter = int(match[2])
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return Period(label=text, start=start, end=end)


@dataclass(frozen=True, kw_only=True)
class Filters:
    """The figures' filters: the buyer's country (ISO 3166-1 alpha-2, "" for all), one buyer
    (None for all) and a period (None for all)."""

    country: str = ""
    buyer: Organization | None = None
    period: Period | None = None

    def as_query(self) -> dict[str, str]:
        """The filters as the query string of the page, the CSV downloads and the API."""
        query = {}
        if self.country:
            query["country"] = self.country
        if self.buyer is not None:
            query["buyer"] = str(self.buyer.pk)
        if self.period is not None:
            query["period"] = self.period.label
        return query


def filters_parse(
    *, country: str = "", buyer: str | int | None = None, period: str = ""
) -> Filters:
    """The filters from their text (a query string's values); `FilterError` names the first
    one that is not valid: a country that is not two letters, a buyer id that is no buyer, a
    period that is no year or quarter."""
    country = (country or "").strip()
    if country and not _COUNTRY.match(country):
        raise FilterError(
            _("Write the country as its two-letter ISO code (CL, BR, FR…)."), field="country"
        )
    found: Organization | None = None
    text = "" if buyer is None else str(buyer).strip()
    if text:
        if not text.isdigit() or int(text) > MAX_ID:
            raise FilterError(_("There is no such buyer."), field="buyer")
        found = Organization.objects.filter(pk=int(text), kind=OrganizationKind.BUYER).first()
        if found is None:
            raise FilterError(_("There is no such buyer."), field="buyer")
    return Filters(country=country.upper(), buyer=found, period=period_parse(period or ""))


def buyers_choices() -> list[tuple[int, str]]:
    """The buyers with something the figures count (a contract they signed, or bids they
    opened), by name, for the page's filter (one query): the others would show empty tables,
    and the page stays light."""
    signed = Contract.objects.filter(buyer=OuterRef("pk"), buyer_signed_at__isnull=False)
    opened = Opening.objects.filter(tender__buyer=OuterRef("pk"), status=OpeningStatus.OPENED)
    return [
        (organization.pk, organization.display_name)
        for organization in Organization.objects.filter(kind=OrganizationKind.BUYER)
        .filter(Exists(signed) | Exists(opened))
        .only("pk", "legal_name", "name")
        .order_by("legal_name", "pk")
    ]


def buyer_countries() -> list[str]:
    """The countries (ISO 3166-1 alpha-2 codes) of the buyers, for the page's filter."""
    codes = (
        Organization.objects.filter(kind=OrganizationKind.BUYER)
        .order_by("country")
        .values_list("country", flat=True)
        .distinct()
    )
    return [str(code) for code in codes if code]
