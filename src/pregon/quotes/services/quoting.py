"""The suppliers' quotes: submitted, replaced or withdrawn while the quick quote is open.

A supplier the quick quote admits (`packs.supplier_refusal`) submits one quote (`quote_submit`);
submitting again replaces it (the old one is kept, `replaced`), and it may be withdrawn
(`quote_withdraw`), both only until the closing, which the database's clock decides under the
quick quote's row lock, as a tender's deadline. Quotes are not published: they become public
when the quick quote closes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from pregon.accounts.choices import OrganizationKind
from pregon.contracts.services.common import clean_amount
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.transitions import transition
from pregon.core.validation import check_text
from pregon.organizations.models import Organization
from pregon.quotes import packs
from pregon.quotes.choices import (
    NOTE_MAX_LENGTH,
    QUOTE_TRANSITIONS,
    TRANSITIONS,
    QuoteStatus,
)
from pregon.quotes.models import QuickQuote, Quote
from pregon.quotes.services.common import lock, require_supplier
from pregon.quotes.services.data import QuoteData


def _check(data: QuoteData) -> tuple[Decimal, dt.date, str]:
    price = clean_amount(data.price, "price")
    if not isinstance(data.delivery_date, dt.date) or isinstance(data.delivery_date, dt.datetime):
        raise ValidationFailed(_("Give the date you can deliver."), field="delivery_date")
    note = (data.note or "").strip()
    check_text(note, "note", limit=NOTE_MAX_LENGTH)
    return price, data.delivery_date, note


def _still_open(locked: QuickQuote) -> None:
    """Refuse once the closing has passed (the database's clock), even before the close runs."""
    transition(locked, "quote", TRANSITIONS)
    if locked.closes_at <= clock.db_now():
        raise InvalidTransition(
            _("This quick quote closed at its closing time; quotes are no longer taken."),
            code="closed",
        )


def quote_submit(
    *, actor: Actor, quick_quote: QuickQuote, supplier: Organization, data: QuoteData
) -> Quote:
    """A supplier quotes on an open quick quote: its price for everything asked (in the quick
    quote's currency), the date it can deliver (not before today in the buyer's calendar), a
    short note. Its standing quote, if any, is replaced. Refused to a supplier the quick quote
    does not admit (its size or location, where the country's rules restrict it)."""
    if supplier.kind != OrganizationKind.SUPPLIER:
        raise PermissionDenied(_("Only suppliers quote."))
    require_supplier(actor, supplier)
    price, delivery_date, note = _check(data)
    with transaction.atomic():
        locked = lock(quick_quote)
        _still_open(locked)
        today = clock.now().astimezone(ZoneInfo(locked.buyer.effective_time_zone)).date()
        if delivery_date < today:
            raise ValidationFailed(
                _("The delivery date cannot be in the past."), field="delivery_date"
            )
        refusal = packs.supplier_refusal(locked, supplier)
        if refusal is not None:
            raise PermissionDenied(refusal, code="not_eligible")
        standing = (
            Quote.objects.select_for_update()
            .filter(quick_quote=locked, supplier=supplier, status=QuoteStatus.SUBMITTED)
            .first()
        )
        now = clock.now()
        if standing is not None:
            transition(standing, "replace", QUOTE_TRANSITIONS)
            standing.ended_at = now
            standing.save(update_fields=["status", "ended_at"])
        quote = Quote.objects.create(
            quick_quote=locked,
            supplier=supplier,
            price=price,
            delivery_date=delivery_date,
            note=note,
            submitted_by=actor.user,
            submitted_at=now,
        )
        audit_record(
            actor=actor,
            action="quote.submit",
            target=quote,
            summary={
                "quick_quote": locked.reference,
                "price": price,
                "delivery_date": delivery_date,
                **({"quote": standing.pk} if standing is not None else {}),
            },
        )
    return quote


def quote_withdraw(*, actor: Actor, quote: Quote) -> Quote:
    """A supplier withdraws its standing quote before the closing."""
    require_supplier(actor, quote.supplier)
    with transaction.atomic():
        locked = lock(quote.quick_quote)
        _still_open(locked)
        mine = Quote.objects.select_for_update().get(pk=quote.pk)
        transition(mine, "withdraw", QUOTE_TRANSITIONS)
        mine.ended_at = clock.now()
        mine.save(update_fields=["status", "ended_at"])
        audit_record(
            actor=actor,
            action="quote.withdraw",
            target=mine,
            summary={"quick_quote": locked.reference},
        )
    return mine
