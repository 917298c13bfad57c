"""How a worker takes a notice to send, so that two workers, a retried task or a restarted
worker never send it twice (shared by deliveries and tender notices).

A notice is `pending` until due; a worker *claims* it with one conditional UPDATE (pending and
due, or claimed by a worker that has been silent for `PREGON_ALERTS_CLAIM_TIMEOUT` seconds:
it died), which only one worker can win, and commits that before sending. Once sent it is
marked `sent`; a failure puts it back to `pending` for a later attempt, after an exponential
back-off (`PREGON_ALERTS_RETRY_BASE` seconds, doubled each time), until
`PREGON_ALERTS_MAX_ATTEMPTS` attempts have failed (`failed`).

No database lock is held while a message is on the wire. The one case that can repeat a
notice is a worker killed after the receiver took it and before it was marked: the claim
times out and another worker sends it again, with the same id (Message-ID,
`X-Pregon-Delivery`), by which the receiver can recognize it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F, Model, Q
from django.utils import timezone

from pregon.alerts.choices import DeliveryStatus

#: The longest wait between two attempts.
MAX_BACKOFF = dt.timedelta(hours=6)


def due(now: dt.datetime) -> Q:
    """The notices a worker may claim at `now`."""
    stale = now - dt.timedelta(seconds=settings.PREGON_ALERTS_CLAIM_TIMEOUT)
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=stale
    )


def claim(model: type[Model], pk: int, now: dt.datetime) -> bool:
    """Take the notice `pk` of `model` to send; False when another worker has it or it is done."""
    claimed: int = model._default_manager.filter(due(now), pk=pk).update(
        status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def mark_sent(model: type[Model], pk: int) -> None:
    """The notice reached its receiver."""
    model._default_manager.filter(pk=pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )


def mark_failed(model: type[Model], pk: int, attempts: int, error: str) -> dt.datetime | None:
    """An attempt failed: schedule the next one after the back-off, or give up. Returns when
    the next attempt is due (None: given up)."""
    if attempts >= settings.PREGON_ALERTS_MAX_ATTEMPTS:
        model._default_manager.filter(pk=pk).update(
            status=DeliveryStatus.FAILED, last_error=error[:2000]
        )
        return None
    delay = min(
        dt.timedelta(seconds=settings.PREGON_ALERTS_RETRY_BASE * 2 ** (attempts - 1)), MAX_BACKOFF
    )
    retry_at = timezone.now() + delay
    model._default_manager.filter(pk=pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=retry_at, last_error=error[:2000]
    )
    return retry_at
