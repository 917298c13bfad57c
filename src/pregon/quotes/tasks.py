"""Background work of quick quotes. Tasks take ids and are thin, idempotent wrappers over
services.

Only the closing services are imported: the module that schedules these tasks
(`services.drafting`) imports this one, never the other way round.
"""

from __future__ import annotations

from django.tasks import task

from pregon.quotes.services.closing import quick_quote_close_if_due, quick_quotes_close_due


@task()
def close_quick_quote_at_deadline(quick_quote_id: int) -> bool:
    """Close the quick quote if its closing time has passed (scheduled at publication)."""
    return quick_quote_close_if_due(quick_quote_id=quick_quote_id)


@task()
def close_due_quick_quotes() -> int:
    """Close every quick quote past its closing time; a safety net run by cron."""
    return quick_quotes_close_due()
