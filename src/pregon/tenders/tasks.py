"""Background work of tenders. Tasks take ids and are thin, idempotent wrappers over services.

Only the closing services are imported: the module that schedules these tasks
(`services.lifecycle`) imports this one, never the other way round.
"""

from __future__ import annotations

from django.tasks import task

from pregon.tenders.services.closing import tender_close_if_due, tenders_close_due


@task()
def close_tender_at_deadline(tender_id: int) -> bool:
    """Close the tender if its deadline has passed (scheduled for the deadline at publication)."""
    return tender_close_if_due(tender_id=tender_id)


@task()
def close_due_tenders() -> int:
    """Close every tender past its deadline; a safety net run at start-up and by cron."""
    return tenders_close_due()
