"""Background work of tenders. Tasks take ids and are thin, idempotent wrappers over services."""

from __future__ import annotations

from django.tasks import task

from pregon.tenders import services


@task()
def close_tender_at_deadline(tender_id: int) -> bool:
    """Close the tender if its deadline has passed (scheduled for the deadline at publication)."""
    return services.tender_close_if_due(tender_id=tender_id)


@task()
def close_due_tenders() -> int:
    """Close every tender past its deadline; a safety net run at start-up and by cron."""
    return services.tenders_close_due()
