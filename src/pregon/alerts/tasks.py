"""Background work of the alerts. Tasks take ids and are thin, idempotent wrappers over the
sending services: a task run twice, or after a worker died, sends nothing twice (see
`services/claims.py`).

Only the sending services are imported: the modules that enqueue these tasks
(`services.matching`, `services.subscriptions`) import this one, never the other way round.
Matching enqueues `deliver_due` after its commit (one pending at a time, see
`models.DeliverySchedule`); a failed attempt is retried by `deliver_due` enqueued for the
moment the earliest retry is due; `pregon alerts deliver` from cron is the safety net.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from pregon.alerts.services.delivery import (
    SendFailure,
    SendResult,
    confirmation_send,
    deliveries_send,
    deliveries_unschedule,
    digests_send,
)
from pregon.alerts.services.reminders import deadline_reminders_schedule, tender_notices_send


def _retry_later(result: SendResult) -> dict[str, Any]:
    if result.retry_at is not None:
        deliver_due.using(run_after=result.retry_at).enqueue()
    return {"sent": result.sent, "failed": result.failed}


@task()
def deliver_due() -> dict[str, Any]:
    """Send every due notice: what matching wrote (it enqueues this task after its commit,
    debounced: one pending at a time), retries, and anything a lost task left."""
    deliveries_unschedule()
    result = deliveries_send()
    result.add(tender_notices_send())
    return _retry_later(result)


@task()
def send_digests() -> dict[str, Any]:
    """Send the daily digests (enqueued by `pregon alerts digest`, or run by it)."""
    return _retry_later(digests_send())


@task()
def send_reminders() -> dict[str, Any]:
    """Write and send the reminders of the tenders whose deadline is near."""
    written = deadline_reminders_schedule()
    result = tender_notices_send()
    return {"written": written, **_retry_later(result)}


@task()
def send_confirmation(subscription_id: int, attempt: int = 1) -> bool:
    """Send the confirmation link of a pending subscription (nothing once it is confirmed);
    when the mail server refuses it, try again later, `PREGON_ALERTS_MAX_ATTEMPTS` times."""
    try:
        return confirmation_send(subscription_id=subscription_id)
    except SendFailure:
        if attempt >= settings.PREGON_ALERTS_MAX_ATTEMPTS:
            raise
        delay = dt.timedelta(seconds=settings.PREGON_ALERTS_RETRY_BASE * 2 ** (attempt - 1))
        send_confirmation.using(run_after=timezone.now() + delay).enqueue(
            subscription_id, attempt + 1
        )
        return False
