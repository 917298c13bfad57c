"""Matching a published process against the subscriptions, inside the publishing transaction.

`alerts_record_observe` is registered with publication's record observers (`apps.py`), after
the search's, so the process's `SearchDocument` is already up to date: matching reads that
document (texts, codes, region, buyer, value), so anything published, whatever produced it,
is matched the same way. For a release that announces a new, amended or cancelled tender it:

1. looks the document's keys up in the index (`SubscriptionKey`): one indexed query gives the
   subscriptions whose value range it is within, most of them certain matches (exact keys);
   the others' specs are read and `matching.fits` keeps those the process fits;
2. for an amendment or a cancellation, adds the subscriptions already told of the process;
3. writes one `Delivery` per subscription and channel (e-mail unless it wants none, its
   webhook if it has one), at most once (the unique constraint), in two INSERT … SELECT
   statements, and for an amendment or a cancellation one `TenderNotice` per follower of the
   tender;
4. after commit, enqueues the task that sends them (daily-digest e-mails wait for the digest).

A handful of queries per release, whatever the number of subscriptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from pregon.alerts import tasks
from pregon.alerts.choices import (
    EVENT_OF_TAG,
    Channel,
    DeliveryStatus,
    Event,
    Frequency,
    SubscriptionStatus,
)
from pregon.alerts.matching import DocumentFacts, MatchSpec, document_facts, fits
from pregon.alerts.models import Delivery, Subscription, SubscriptionKey
from pregon.alerts.services.reminders import tender_notices_create
from pregon.publication.models import Record, Release
from pregon.search.models import SearchCode, SearchDocument
from pregon.tenders.models import Tender


@dataclass(frozen=True, kw_only=True)
class MatchResult:
    """What matching one release did: the subscriptions it reached, the deliveries and the
    followers' notices written."""

    matched: int = 0
    deliveries: int = 0
    notices: int = 0


def facts_of(document: SearchDocument) -> DocumentFacts:
    """What matching reads of a search document (one query, for its codes)."""
    codes = SearchCode.objects.filter(document=document).values_list("scheme", "prefix")
    return document_facts(
        title=document.title,
        body=document.body,
        language=document.language,
        codes=list(codes),
        region=document.region,
        buyer=document.buyer_id,
        value=document.value_amount,
        reserved_msme=document.reserved_msme,
    )


def _value_condition(value: Decimal | None) -> Q:
    """The index rows whose value range a process of `value` is within."""
    if value is None:
        return Q(value_min__isnull=True, value_max__isnull=True)
    return (Q(value_min__isnull=True) | Q(value_min__lte=value)) & (
        Q(value_max__isnull=True) | Q(value_max__gte=value)
    )


def subscriptions_matching(facts: DocumentFacts) -> list[int]:
    """The ids of the active subscriptions a process with `facts` fits, in order.

    One indexed query on the index (its rows exist for active subscriptions only, with their
    value range); the hits on inexact keys are then checked against their specs (a second
    query, for those only).
    """
    hits = SubscriptionKey.objects.filter(
        _value_condition(facts.value), key__in=sorted(facts.keys())
    ).values_list("subscription_id", "exact")
    matched: set[int] = set()
    unsure: set[int] = set()
    for subscription_id, exact in hits:
        (matched if exact else unsure).add(subscription_id)
    unsure -= matched
    for start in range(0, len(unsure), CHUNK):
        chunk = sorted(unsure)[start : start + CHUNK]
        specs = Subscription.objects.filter(
            pk__in=chunk, status=SubscriptionStatus.ACTIVE
        ).values_list("pk", "spec")
        matched.update(pk for pk, spec in specs if fits(MatchSpec.from_json(spec), facts))
    return sorted(matched)


def _told_before(ocid: str) -> list[int]:
    """The active subscriptions already told of the process (they hear of its amendments and
    its cancellation even if it no longer fits them)."""
    return list(
        Subscription.objects.filter(
            status=SubscriptionStatus.ACTIVE,
            pk__in=Delivery.objects.filter(ocid=ocid).values("subscription_id"),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


#: Ids per statement (far under every database's limit of parameters).
CHUNK = 5000


def _deliveries_write(
    subscription_ids: list[int], *, ocid: str, release_id: str, event: str
) -> int:
    """Write the pending deliveries of a release to these subscriptions, on each channel they
    use, skipping those written already (the unique constraint). Returns how many were new.

    Two INSERT … SELECT statements (e-mail, webhook) per chunk of ids: the database copies
    what it needs from the subscriptions, and Python builds no row at all. Matching writes a
    row per match, so this is where its time goes; the ORM's `bulk_create` spends far longer
    building a model and its SQL for each row than the database spends storing it. Every
    column is given (`models.Delivery` says so).
    """
    quote = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    delivery = quote(Delivery._meta.db_table)
    subscription = quote(Subscription._meta.db_table)
    columns = ", ".join(
        map(
            quote,
            (
                "subscription_id",
                "webhook_id",
                "channel",
                "event",
                "ocid",
                "release_id",
                "status",
                "attempts",
                "last_error",
                "next_attempt_at",
                "created_at",
            ),
        )
    )
    channels = (
        (Channel.EMAIL, "NULL", f"{quote('frequency')} <> %s", [Frequency.NONE.value]),
        (Channel.WEBHOOK, quote("webhook_id"), f"{quote('webhook_id')} IS NOT NULL", []),
    )
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(subscription_ids), CHUNK):
            chunk = subscription_ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            for channel, webhook, condition, condition_params in channels:
                # Only the models' own table and column names are formatted in; every value
                # is a parameter.
                sql = (
                    f"INSERT INTO {delivery} ({columns}) "  # noqa: S608
                    f"SELECT {quote('id')}, {webhook}, %s, %s, %s, %s, %s, 0, '', %s, %s "
                    f"FROM {subscription} WHERE {quote('id')} IN ({marks}) AND {condition} "
                    "ON CONFLICT DO NOTHING"
                )
                params = [
                    channel.value,
                    event,
                    ocid,
                    release_id,
                    DeliveryStatus.PENDING.value,
                    now,
                    now,
                    *chunk,
                    *condition_params,
                ]
                cursor.execute(sql, params)
                written += max(cursor.rowcount, 0)
    return written


def alerts_match(*, ocid: str, release_id: str, event: str) -> MatchResult:
    """Write the deliveries (and the followers' notices) of one release of the process `ocid`
    announcing `event`; the sending task is enqueued after commit. Idempotent: matching the
    same release again writes nothing new."""
    event = str(event)
    document = SearchDocument.objects.defer("vector").filter(ocid=ocid).first()
    matched = subscriptions_matching(facts_of(document)) if document is not None else []
    if event != Event.PUBLISHED:
        matched = sorted(set(matched) | set(_told_before(ocid)))
    written = _deliveries_write(matched, ocid=ocid, release_id=release_id, event=event)
    notices = 0
    if event != Event.PUBLISHED:
        tender = Tender.objects.filter(ocid=ocid).first()
        if tender is not None:
            notices = tender_notices_create(tender=tender, event=event, release_id=release_id)
    if written or notices:
        transaction.on_commit(lambda: tasks.deliver_release.enqueue(release_id))
    return MatchResult(matched=len(matched), deliveries=written, notices=notices)


def alerts_record_observe(record: Record) -> MatchResult | None:
    """The record observer: match the release that just updated `record`, when its tag
    announces a new, amended or cancelled tender (`choices.EVENT_OF_TAG`)."""
    release = Release.objects.filter(seq=record.last_seq).values_list("release_id", "tag").first()
    if release is None:
        return None
    release_id, tags = release
    event = next((EVENT_OF_TAG[tag] for tag in tags if tag in EVENT_OF_TAG), None)
    if event is None:
        return None
    return alerts_match(ocid=record.ocid, release_id=release_id, event=event)
