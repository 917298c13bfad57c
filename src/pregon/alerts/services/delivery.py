"""Sending the deliveries: immediate e-mails and webhooks (one notice each), the daily digests,
and the confirmation of an address. Run by the task worker (`tasks.py`) and by
`pregon alerts deliver|digest` from cron; every function here is idempotent (see `claims.py`).
"""

from __future__ import annotations

import datetime as dt
import smtplib
import time
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation

from pregon.alerts import emails, webhooks
from pregon.alerts.choices import Channel, DeliveryStatus, Event, Frequency, SubscriptionStatus
from pregon.alerts.models import Delivery, DeliveryAttempt, DeliverySchedule, Subscription
from pregon.alerts.processes import process_page
from pregon.alerts.services.claims import claim, due, mark_failed, mark_sent
from pregon.search.models import SearchDocument
from pregon.tenders.models import Tender

#: Deliveries read per batch by a sending run.
BATCH = 500
#: The webhook event names, by event.
WEBHOOK_EVENTS = {
    Event.PUBLISHED: "tender.published",
    Event.AMENDED: "tender.amended",
    Event.CANCELLED: "tender.cancelled",
    Event.PLANNED: "plan_line.published",
}


class SendFailure(Exception):
    """An attempt that did not reach the receiver (retried later)."""


@dataclass
class SendResult:
    """What a sending run did: notices sent, attempts failed, and when the earliest retry is."""

    sent: int = 0
    failed: int = 0
    retry_at: dt.datetime | None = None
    ids: list[int] = field(default_factory=list)

    def add(self, other: SendResult) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.ids += other.ids
        if other.retry_at is not None and (self.retry_at is None or other.retry_at < self.retry_at):
            self.retry_at = other.retry_at

    def failure(self, retry_at: dt.datetime | None) -> None:
        self.failed += 1
        if retry_at is not None and (self.retry_at is None or retry_at < self.retry_at):
            self.retry_at = retry_at


def recipient(subscription: Subscription) -> str:
    """Where a subscription's e-mails go: its person's current address, or its own."""
    if subscription.user_id is not None:
        return subscription.user.email  # type: ignore[union-attr]
    return subscription.email


def _process(ocid: str) -> tuple[SearchDocument | None, Tender | None]:
    document = SearchDocument.objects.defer("vector").filter(ocid=ocid).first()
    tender = Tender.objects.select_related("buyer").filter(ocid=ocid).first()
    return document, tender


def _send_email_notice(delivery: Delivery) -> None:
    subscription = delivery.subscription
    document, tender = _process(delivery.ocid)
    message = emails.notice_message(
        to=recipient(subscription),
        language=subscription.language,
        subscription_id=subscription.pk,
        subscription_name=subscription.name,
        event=delivery.event,
        document=document,
        ocid=delivery.ocid,
        tender=tender,
        unique=delivery.public_id,
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        raise SendFailure(f"{type(error).__name__}: {error}") from error


def webhook_payload(delivery: Delivery) -> dict[str, Any]:
    """The JSON a webhook receives for a delivery (the process as published now)."""
    document, tender = _process(delivery.ocid)
    subscription = delivery.subscription
    process: dict[str, Any] = {"ocid": delivery.ocid}
    if document is not None:
        process |= {
            "title": document.title,
            "status": document.status,
            "language": document.language,
            "buyer": {"id": document.buyer_id, "name": document.buyer_name},
            "country": document.country,
            "region": document.region,
            "method": document.method,
            "category": document.category,
            "value": (
                None
                if document.value_amount is None
                else {"amount": str(document.value_amount), "currency": document.currency}
            ),
            "reserved_msme": document.reserved_msme,
            "closing_at": document.closing_at.isoformat() if document.closing_at else None,
        }
    with translation.override(subscription.language):
        page = process_page(delivery.ocid, tender)
    process |= {"kind": page.kind, "url": emails.absolute(page.path)}
    return {
        "id": delivery.public_id,
        "event": WEBHOOK_EVENTS[Event(delivery.event)],
        "created_at": delivery.created_at.isoformat(),
        "subscription": {"id": subscription.pk, "name": subscription.name},
        "release": {
            "id": delivery.release_id,
            "url": emails.absolute(
                reverse("ocds_api:release", kwargs={"release_id": delivery.release_id})
            ),
        },
        "record_url": emails.absolute(reverse("ocds_api:record", kwargs={"ocid": delivery.ocid})),
        "process": process,
    }


def _send_webhook(delivery: Delivery) -> None:
    endpoint = delivery.webhook
    assert endpoint is not None  # a webhook delivery always has one (constraint)
    body = orjson.dumps(webhook_payload(delivery), option=orjson.OPT_SORT_KEYS)
    timestamp = int(time.time())
    result = webhooks.post(
        endpoint.url,
        body,
        headers={
            webhooks.EVENT_HEADER: WEBHOOK_EVENTS[Event(delivery.event)],
            webhooks.DELIVERY_HEADER: delivery.public_id,
            webhooks.TIMESTAMP_HEADER: str(timestamp),
            webhooks.SIGNATURE_HEADER: webhooks.signature(endpoint.secret, timestamp, body),
        },
        timeout=settings.PREGON_ALERTS_WEBHOOK_TIMEOUT,
        allow_private=settings.PREGON_ALERTS_WEBHOOK_ALLOW_PRIVATE,
    )
    DeliveryAttempt.objects.create(
        delivery=delivery,
        succeeded=result.ok,
        status_code=result.status,
        error=result.error,
        duration_ms=result.duration_ms,
    )
    if not result.ok:
        raise SendFailure(result.error)


def delivery_send(*, delivery_id: int) -> SendResult:
    """Send one delivery if it is due and no other worker has it (claim, send, mark)."""
    result = SendResult()
    now = timezone.now()
    if not claim(Delivery, delivery_id, now):
        return result
    delivery = Delivery.objects.select_related("subscription__user", "webhook").get(pk=delivery_id)
    if delivery.subscription.status != SubscriptionStatus.ACTIVE:
        Delivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.FAILED, last_error="unsubscribed"
        )
        return result
    try:
        if delivery.channel == Channel.WEBHOOK:
            _send_webhook(delivery)
        else:
            _send_email_notice(delivery)
    except SendFailure as error:
        result.failure(mark_failed(Delivery, delivery_id, delivery.attempts, str(error)))
        return result
    mark_sent(Delivery, delivery_id)
    result.sent += 1
    result.ids.append(delivery_id)
    return result


def _sendable(now: dt.datetime) -> Q:
    """Deliveries sent one by one: webhooks, and the e-mails of immediate subscriptions."""
    return due(now) & (
        Q(channel=Channel.WEBHOOK)
        | Q(channel=Channel.EMAIL, subscription__frequency=Frequency.IMMEDIATE)
    )


def deliveries_send(*, release_id: str | None = None) -> SendResult:
    """Send every due delivery (of one release, when given), one at a time, each claimed
    first. Returns what was sent and when the earliest retry is due."""
    result = SendResult()
    now = timezone.now()
    rows = Delivery.objects.filter(_sendable(now))
    if release_id is not None:
        rows = rows.filter(release_id=release_id)
    last = 0
    while True:
        ids = list(rows.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            break
        for delivery_id in ids:
            result.add(delivery_send(delivery_id=delivery_id))
        last = ids[-1]
    return result


# ---------------------------------------------------------------------------------------------
# the sending task's schedule (debounced, see `models.DeliverySchedule`)


def deliveries_schedule() -> bool:
    """Mark the sending task as wanted, inside the caller's transaction. Returns True when this
    call made the mark (the caller then enqueues the task after commit), False when a task is
    pending already. One statement: an upsert that changes the row only when it is not marked,
    or marked by a worker that died."""
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.PREGON_ALERTS_CLAIM_TIMEOUT)
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(DeliverySchedule._meta.db_table)
    # Only the model's own table name is formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {table} (id, pending, requested_at) VALUES (1, %s, %s) "  # noqa: S608
        f"ON CONFLICT (id) DO UPDATE SET pending = %s, requested_at = excluded.requested_at "
        f"WHERE {table}.pending = %s OR {table}.requested_at < %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, adapt(now), True, False, adapt(stale)])
        return cursor.rowcount == 1


def deliveries_unschedule() -> None:
    """The sending task has started: the next release that wants it enqueues another."""
    DeliverySchedule.objects.filter(pk=1).update(pending=False)


# ---------------------------------------------------------------------------------------------
# daily digests


def digest_send(*, subscription_id: int, delivery_ids: list[int]) -> SendResult:
    """Send one subscription's digest of these e-mail deliveries (those still due: claimed in
    one UPDATE, so a second sender finds none). Nothing is sent when none is left."""
    result = SendResult()
    now = timezone.now()
    subscription = (
        Subscription.objects.select_related("user")
        .filter(pk=subscription_id, status=SubscriptionStatus.ACTIVE)
        .first()
    )
    if subscription is None:
        return result
    Delivery.objects.filter(due(now), pk__in=delivery_ids).update(
        status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    claimed = list(
        Delivery.objects.filter(
            pk__in=delivery_ids, status=DeliveryStatus.SENDING, claimed_at=now
        ).order_by("created_at", "pk")
    )
    if not claimed:
        return result
    ids = [delivery.pk for delivery in claimed]
    items = []
    for delivery in claimed:
        document, tender = _process(delivery.ocid)
        items.append(
            emails.DigestItem(
                event=delivery.event, ocid=delivery.ocid, document=document, tender=tender
            )
        )
    message = emails.digest_message(
        to=recipient(subscription),
        language=subscription.language,
        subscription_id=subscription.pk,
        subscription_name=subscription.name,
        items=items,
        unique=f"digest-{claimed[0].public_id}",
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        retry_at = None
        for delivery in claimed:
            retry_at = mark_failed(
                Delivery, delivery.pk, delivery.attempts, f"{type(error).__name__}: {error}"
            )
        result.failure(retry_at)
        return result
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    result.sent += len(ids)
    result.ids += ids
    return result


def digests_send() -> SendResult:
    """Send the digest of every daily subscription that has due e-mail deliveries (read once,
    through the due deliveries' index, and grouped by subscription)."""
    result = SendResult()
    due_rows = (
        Delivery.objects.filter(
            due(timezone.now()),
            channel=Channel.EMAIL,
            subscription__frequency=Frequency.DAILY,
            subscription__status=SubscriptionStatus.ACTIVE,
        )
        .order_by("subscription_id", "pk")
        .values_list("subscription_id", "pk")
    )
    by_subscription: dict[int, list[int]] = {}
    for subscription_id, pk in due_rows:
        by_subscription.setdefault(subscription_id, []).append(pk)
    for subscription_id, ids in by_subscription.items():
        result.add(digest_send(subscription_id=subscription_id, delivery_ids=ids))
    return result


# ---------------------------------------------------------------------------------------------
# confirmation


def confirmation_send(*, subscription_id: int) -> bool:
    """Send the confirmation link of a pending subscription (nothing once it is confirmed).
    Returns whether it was sent; raises SendFailure when the mail server refused it."""
    subscription = Subscription.objects.filter(
        pk=subscription_id, status=SubscriptionStatus.PENDING
    ).first()
    if subscription is None or not subscription.email:
        return False
    message = emails.confirmation_message(
        to=subscription.email,
        language=subscription.language,
        subscription_id=subscription.pk,
        subscription_name=subscription.name,
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        raise SendFailure(f"{type(error).__name__}: {error}") from error
    return True
