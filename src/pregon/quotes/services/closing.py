"""Closing at the closing time: what the scheduled task and the safety net run.

This module imports nothing that schedules tasks, so the task module can import it alone.
"""

from __future__ import annotations

from django.db import transaction

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.transitions import can_transition, transition
from pregon.publication.choices import ReleaseTag
from pregon.publication.services import publication_record
from pregon.quotes.choices import TRANSITIONS, QuickQuoteStatus, QuoteStatus
from pregon.quotes.models import QuickQuote, Quote


def quick_quote_close_if_due(*, quick_quote_id: int) -> bool:
    """Close an open quick quote whose closing time has passed. Safe to call any number of
    times; returns whether this call closed it.

    With at least the pack's number of quotes (`min_quotes`, kept at the publication) it is
    `closed`, and its buyer may choose a quote; with fewer, `unsuccessful`. Either way its quotes
    become public (`tenderUpdate`). The closing time is decided by the database's clock, read
    under the row lock, as a submission decides it.
    """
    with transaction.atomic():
        locked = QuickQuote.objects.select_for_update().filter(pk=quick_quote_id).first()
        now = clock.db_now()
        if locked is None or not can_transition(locked, "close", TRANSITIONS):
            return False
        if locked.closes_at > now:
            return False
        count = Quote.objects.filter(quick_quote=locked, status=QuoteStatus.SUBMITTED).count()
        enough = count >= locked.min_quotes
        transition(locked, "close" if enough else "close_unsuccessful", TRANSITIONS)
        locked.closed_at = now
        locked.updated_at = now
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        audit_record(
            actor=Actor.system(),
            action="quick_quote.close" if enough else "quick_quote.unsuccessful",
            target=locked,
            summary={"quotes": count, "min_quotes": locked.min_quotes},
        )
        publication_record(ocid=locked.ocid, tag=ReleaseTag.TENDER_UPDATE)
    return True


def quick_quotes_close_due() -> int:
    """Close every open quick quote past its closing time (the safety net behind the
    scheduled tasks). Returns how many it closed."""
    due = QuickQuote.objects.filter(
        status=QuickQuoteStatus.OPEN, closes_at__lte=clock.db_now()
    ).values_list("pk", flat=True)
    return sum(quick_quote_close_if_due(quick_quote_id=pk) for pk in list(due))
