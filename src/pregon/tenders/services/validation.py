"""Checks of the values a service is given, before anything is locked or written.

Whatever a page or the API let through is checked again here, so that every door refuses the
same values with the same messages: a text with a NUL character (PostgreSQL cannot store it,
and it would be published), a text past its limit, a number the column cannot hold, a date that
has no UTC equivalent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from pregon.core import classifications
from pregon.core.errors import ValidationFailed
from pregon.core.validation import check_text
from pregon.tenders.choices import (
    DESCRIPTION_MAX_LENGTH,
    AwardCriteria,
    Category,
    ClassificationScheme,
    ContentLanguage,
    Currency,
    Method,
)
from pregon.tenders.models import Item, Lot, Tender
from pregon.tenders.services.data import (
    DATE_FIELDS,
    AmendmentData,
    ItemData,
    LotData,
    TenderChanges,
    TenderData,
)

#: The largest count of requests or expected offers a lot records (a small-integer column).
LOT_COUNT_LIMIT = 32767


def column_limit(model: type[models.Model], name: str) -> int | None:
    """The length a text column holds, or None (a TextField)."""
    return getattr(model._meta.get_field(name), "max_length", None)


def check_column_text(model: type[models.Model], name: str, value: str) -> None:
    """`check_text` with the column's own limit (PostgreSQL would refuse a longer value with a
    server error)."""
    check_text(value, name, limit=column_limit(model, name))


def check_choice(value: str, choices: type[Any], name: str, message: str) -> None:
    """Refuse a value that is not one of `choices`."""
    if value not in choices.values:
        raise ValidationFailed(message, field=name)


def check_number(
    value: Decimal | None, model: type[models.Model], name: str, *, positive: bool = False
) -> None:
    """Refuse a number the column cannot hold exactly (or a negative one, or zero if `positive`)."""
    column = model._meta.get_field(name)
    assert isinstance(column, models.DecimalField)
    if isinstance(value, int | float):
        # Callers are typed to pass Decimal; a plain number from a script still gets checked.
        value = Decimal(str(value))
    if value is None or not value.is_finite():
        raise ValidationFailed(_("Give a number."), field=name)
    if value < 0 or (positive and value == 0):
        message = (
            _("The quantity must be more than zero.")
            if positive
            else _("The estimated value cannot be negative.")
        )
        raise ValidationFailed(message, field=name)
    places, digits = column.decimal_places or 0, column.max_digits or 0
    if value >= Decimal(10) ** (digits - places):
        raise ValidationFailed(_("This number is too large."), field=name)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValidationFailed(
            _("Use at most %(places)s decimal places.") % {"places": places}, field=name
        )


def check_moment(value: dt.datetime, name: str) -> dt.datetime:
    """The moment in UTC, the way the database stores it. Refuse one that exists in its own
    zone but not in UTC (before year 1 or after year 9999 there), which the database cannot
    store. (An offset such as -21:29, which Python takes, PostgreSQL does not: it only ever
    receives UTC.)"""
    try:
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise ValidationFailed(
            _("This date is out of the range the platform can store."), field=name
        ) from None


def validate_fields(data: TenderData | TenderChanges | AmendmentData, *, partial: bool) -> None:
    """Checks that do not depend on the stored tender. With `partial`, fields left as None are
    not checked (they are not changed). The dates given are replaced by their UTC moment
    (`check_moment`), the form the database stores."""

    def given(name: str) -> bool:
        return hasattr(data, name) and (not partial or getattr(data, name) is not None)

    if given("reference") and not (getattr(data, "reference", "") or "").strip():
        raise ValidationFailed(_("Give the buyer's reference for this tender."), field="reference")
    if given("method"):
        _check_given_choice(data, "method", Method, _("Choose a procurement method."))
    if given("category"):
        _check_given_choice(data, "category", Category, _("Choose a main category."))
    if given("currency"):
        _check_given_choice(data, "currency", Currency, _("Choose a currency."))
    if given("language"):
        _check_given_choice(data, "language", ContentLanguage, _("Choose a language."))
    if given("reference"):
        check_column_text(Tender, "reference", getattr(data, "reference", ""))
    if given("title") and not (data.title or "").strip():
        raise ValidationFailed(_("Give the tender a title."), field="title")
    if given("title"):
        check_column_text(Tender, "title", data.title or "")
    if given("description") and not (data.description or "").strip():
        raise ValidationFailed(_("Describe what is being bought."), field="description")
    if given("description"):
        check_text(data.description or "", "description", limit=DESCRIPTION_MAX_LENGTH)
    if given("estimated_value"):
        check_number(data.estimated_value, Tender, "estimated_value")
    if given("award_criteria"):
        _check_given_choice(data, "award_criteria", AwardCriteria, _("Choose the award criteria."))
    if given("award_criteria_details"):
        check_text(
            data.award_criteria_details or "",
            "award_criteria_details",
            limit=DESCRIPTION_MAX_LENGTH,
        )
    if given("undivided_reason"):
        check_text(
            getattr(data, "undivided_reason", "") or "",
            "undivided_reason",
            limit=DESCRIPTION_MAX_LENGTH,
        )
    share = getattr(data, "subcontracting_share", None)
    if given("subcontracting_share") and share is not None and not 0 <= share <= 100:
        raise ValidationFailed(
            _("Give the share to subcontract as a percent from 1 to 100, or leave it empty."),
            field="subcontracting_share",
        )
    for name in DATE_FIELDS:
        if given(name):
            setattr(data, name, check_moment(getattr(data, name), name))


def _check_given_choice(data: Any, name: str, choices: type[Any], message: str) -> None:
    check_choice(getattr(data, name) or "", choices, name, message)


def validate_dates(enquiry_end: dt.datetime, deadline: dt.datetime, opening: dt.datetime) -> None:
    """Questions end before the deadline, and bids are opened after it."""
    if enquiry_end > deadline:
        raise ValidationFailed(
            _("Questions must close before the bid deadline."), field="enquiry_end"
        )
    if opening < deadline:
        raise ValidationFailed(_("Bids cannot be opened before the deadline."), field="opening_at")


def validate_item(item: ItemData) -> None:
    """An item's description, classification, quantity and unit."""
    if not item.description.strip():
        raise ValidationFailed(_("Describe each item."), field="description")
    if item.classification_scheme not in ClassificationScheme.values:
        raise ValidationFailed(_("Choose CPV or UNSPSC."), field="classification_scheme")
    check_text(item.classification_code, "classification_code", limit=None)
    if not classifications.is_valid(item.classification_scheme, item.classification_code):
        raise ValidationFailed(
            _("%(code)s is not a %(scheme)s code we know. Pick one from the list.")
            % {"code": item.classification_code, "scheme": item.classification_scheme},
            field="classification_code",
        )
    check_column_text(Item, "description", item.description.strip())
    check_number(item.quantity, Item, "quantity", positive=True)
    if not item.unit.strip():
        raise ValidationFailed(_("Give the unit of measure (e.g. unit, box, hour)."), field="unit")
    check_column_text(Item, "unit", item.unit.strip())


def validate_lot(lot: LotData) -> None:
    """A lot's title, description and value, and each of its items."""
    if not lot.title.strip():
        raise ValidationFailed(_("Give each lot a title."), field="title")
    check_column_text(Lot, "title", lot.title.strip())
    check_text(lot.description, "description", limit=DESCRIPTION_MAX_LENGTH)
    if lot.estimated_value is not None:
        check_number(lot.estimated_value, Lot, "estimated_value")
    for name, count in (
        ("msme_requests", lot.msme_requests),
        ("expected_small_offers", lot.expected_small_offers),
    ):
        if count is not None and not 0 <= count <= LOT_COUNT_LIMIT:
            raise ValidationFailed(
                _("Give a whole number from 0 to %(limit)s.") % {"limit": LOT_COUNT_LIMIT},
                field=name,
            )
    for item in lot.items:
        validate_item(item)
