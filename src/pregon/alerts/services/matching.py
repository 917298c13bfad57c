"""Matching a published process against the subscriptions, inside the publishing transaction.

`alerts_record_observe` is registered with publication's record observers (`apps.py`), after
the search's, so the process's `SearchDocument` is already up to date: matching reads that
document (texts, codes, region, buyer, value), so anything published, whatever produced it,
is matched the same way. For a release that announces a new, amended or cancelled tender, or
a plan line coming soon (`choices.EVENT_OF_TAG`), it:

1. looks the document's keys up in the index (`SubscriptionKey`): one indexed query gives the
   subscriptions whose value range it is within, most of them certain matches (exact keys);
   the others' specs are read and `matching.fits` keeps those the process fits;
2. for an amendment or a cancellation, adds the subscriptions already told of the process;
3. writes one `Delivery` per subscription and channel (e-mail unless it wants none, its
   webhook if it has one), at most once (the unique constraint), as plain rows (the index gave
   each subscription's channels), and for an amendment or a cancellation one `TenderNotice`
   per follower of the tender;
4. marks the sending task as wanted and, unless one is pending already, enqueues it after
   commit (daily-digest e-mails wait for the digest).

A handful of queries per release, whatever the number of subscriptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from django.db import connection, models, transaction
from django.utils import timezone

from pregon.alerts import tasks
from pregon.alerts.choices import (
    EVENT_OF_TAG,
    FOLLOW_UP_EVENTS,
    Channel,
    DeliveryStatus,
    Frequency,
    SubscriptionStatus,
)
from pregon.alerts.matching import DocumentFacts, MatchSpec, document_facts, fits
from pregon.alerts.models import Delivery, Subscription, SubscriptionKey
from pregon.alerts.services.delivery import deliveries_schedule
from pregon.alerts.services.reminders import tender_notices_create
from pregon.publication.models import Record, Release
from pregon.search.models import SearchCode, SearchDocument
from pregon.tenders.models import Tender


@dataclass(frozen=True, kw_only=True)
class Matched:
    """A subscription a process fits, with its channels (what its deliveries need)."""

    subscription_id: int
    frequency: str
    webhook_id: int | None


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
        reserved_for=document.reserved_for,
    )


_FACT_FIELDS = (
    "id",
    "title",
    "body",
    "language",
    "region",
    "buyer_id",
    "value_amount",
    "reserved_msme",
    "reserved_for",
)


def _column(model: type[models.Model], name: str) -> str:
    """The quoted column of the field `name` of `model` (for the raw queries below)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column is not None
    return connection.ops.quote_name(field.column)


def facts_for(ocid: str) -> DocumentFacts | None:
    """`facts_of` the search document of `ocid`; None when the process has none (nothing in
    it to find).

    Two raw queries: this runs once per release on the publishing path, and reading one row
    through the ORM cost more than ten times the query itself (the names come from the
    models).
    """
    quote = connection.ops.quote_name
    document = SearchDocument._meta
    code = SearchCode._meta
    columns = ", ".join(_column(SearchDocument, name) for name in _FACT_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(document.db_table)} "  # noqa: S608
            f"WHERE {_column(SearchDocument, 'ocid')} = %s",
            [ocid],
        )
        row = cursor.fetchone()
        if row is None:
            return None
        pk, title, body, language, region, buyer, value, reserved, reserved_for = row
        cursor.execute(
            f"SELECT {_column(SearchCode, 'scheme')}, "  # noqa: S608
            f"{_column(SearchCode, 'prefix')} FROM {quote(code.db_table)} "
            f"WHERE {_column(SearchCode, 'document')} = %s",
            [pk],
        )
        codes = [(str(scheme), str(prefix)) for scheme, prefix in cursor.fetchall()]
    return document_facts(
        title=title,
        body=body,
        language=language,
        codes=codes,
        region=region,
        buyer=buyer,
        # SQLite returns the decimal column as a number; PostgreSQL as a Decimal.
        value=None if value is None else Decimal(str(value)),
        reserved_msme=bool(reserved),
        reserved_for=str(reserved_for or ""),
    )


def _index_hits(facts: DocumentFacts) -> list[tuple[Matched, bool]]:
    """The subscriptions (with their channels) of the index rows with one of the process's
    keys whose value range its value is within, each with whether the key is exact.

    Raw SQL: the statement runs once per release with a few hundred keys, and building it
    through the ORM (a lookup object per key) cost more than running it. SQLite takes the keys
    as an `IN` list; PostgreSQL as one array parameter (its driver would otherwise parse a
    statement of hundreds of placeholders each time). Both probe the index once per key (on
    PostgreSQL as long as its statistics are current, which autovacuum keeps).
    """
    quote = connection.ops.quote_name
    keys = sorted(facts.keys())
    if not keys:
        return []
    table = quote(SubscriptionKey._meta.db_table)
    low, high = quote("value_min"), quote("value_max")
    value_params: list[Any] = []
    if facts.value is None:
        within = f"{low} IS NULL AND {high} IS NULL"
    else:
        value = connection.ops.adapt_decimalfield_value(facts.value, 20, 2)
        within = f"({low} IS NULL OR {low} <= %s) AND ({high} IS NULL OR {high} >= %s)"
        value_params = [value, value]
    selected = ", ".join(map(quote, ("subscription_id", "exact", "frequency", "webhook_id")))
    # Only the model's own table and column names are formatted in; every value is a parameter.
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT {selected} FROM {table} "  # noqa: S608
            f"WHERE {quote('key')} = ANY(%s::varchar[]) AND {within}"
        )
        params: list[Any] = [keys, *value_params]
    else:
        marks = ", ".join(["%s"] * len(keys))
        sql = (
            f"SELECT {selected} FROM {table} "  # noqa: S608
            f"WHERE {quote('key')} IN ({marks}) AND {within}"
        )
        params = [*keys, *value_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (Matched(subscription_id=pk, frequency=frequency, webhook_id=webhook), bool(exact))
            for pk, exact, frequency, webhook in cursor.fetchall()
        ]


def subscriptions_matching(facts: DocumentFacts) -> list[Matched]:
    """The active subscriptions a process with `facts` fits, by id.

    One indexed query on the index (its rows exist for active subscriptions only, with their
    value range and channels); the hits on inexact keys are then checked against their specs
    (a second query, for those only).
    """
    matched: dict[int, Matched] = {}
    unsure: set[int] = set()
    for entry, exact in _index_hits(facts):
        if exact:
            matched[entry.subscription_id] = entry
        else:
            unsure.add(entry.subscription_id)
    pending = sorted(unsure - matched.keys())
    quote = connection.ops.quote_name
    table = quote(Subscription._meta.db_table)
    selected = ", ".join(map(quote, ("id", "spec", "frequency", "webhook_id")))
    with connection.cursor() as cursor:
        for start in range(0, len(pending), CHUNK):
            chunk = pending[start : start + CHUNK]
            # Raw, for the same reason as the index's query; the spec is JSON text.
            cursor.execute(
                f"SELECT {selected} FROM {table} "  # noqa: S608
                f"WHERE {quote('id')} IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            for pk, spec, frequency, webhook in cursor.fetchall():
                if fits(MatchSpec.from_json(_json(spec)), facts):
                    matched[pk] = Matched(
                        subscription_id=pk, frequency=frequency, webhook_id=webhook
                    )
    return [matched[pk] for pk in sorted(matched)]


def _json(value: object) -> dict[str, object]:
    """A JSON column as a raw query returns it: text on SQLite, already parsed on PostgreSQL."""
    if isinstance(value, dict):
        return value
    loaded: dict[str, object] = orjson.loads(value)  # type: ignore[arg-type]
    return loaded


def _told_before(ocid: str) -> list[Matched]:
    """The active subscriptions already told of the process (they hear of its amendments and
    its cancellation even if it no longer fits them)."""
    releases = Release.objects.filter(ocid=ocid).values("release_id")
    told = (
        Subscription.objects.filter(
            status=SubscriptionStatus.ACTIVE,
            pk__in=Delivery.objects.filter(release_id__in=releases).values("subscription_id"),
        )
        .order_by("pk")
        .values_list("pk", "frequency", "webhook_id")
    )
    return [
        Matched(subscription_id=pk, frequency=frequency, webhook_id=webhook)
        for pk, frequency, webhook in told
    ]


#: Ids per statement (far under every database's limit of parameters).
CHUNK = 5000


#: The PostgreSQL type of each of `_DELIVERY_COLUMNS`.
_PG_TYPES = (
    "bigint",
    "bigint",
    "varchar",
    "varchar",
    "varchar",
    "varchar",
    "varchar",
    "integer",
    "text",
    "timestamptz",
    "timestamptz",
)
_DELIVERY_COLUMNS = (
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
)


def _deliveries_write(matched: list[Matched], *, ocid: str, release_id: str, event: str) -> int:
    """Write the pending deliveries of a release to the matched subscriptions, on each channel
    they use (e-mail unless they want none, their webhook if they have one), skipping those
    written already (the unique constraint). Returns how many were new.

    Plain values, no model: matching writes a row per match, so this is where its time goes,
    and the ORM's `bulk_create` spends far longer building a model and its SQL for each row
    than the database spends storing it. SQLite (in the process) is fastest with one prepared
    statement run per row (`executemany`); PostgreSQL with one statement taking a column of
    values per parameter (one round trip, where `executemany` makes one per row). Every column is given
    (`models.Delivery` says so).
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    pending = DeliveryStatus.PENDING.value
    email, webhook = Channel.EMAIL.value, Channel.WEBHOOK.value
    rows: list[tuple[Any, ...]] = []
    for entry in matched:
        if entry.frequency != Frequency.NONE:
            rows.append(
                (
                    entry.subscription_id,
                    None,
                    email,
                    event,
                    ocid,
                    release_id,
                    pending,
                    0,
                    "",
                    now,
                    now,
                )
            )
        if entry.webhook_id is not None:
            rows.append(
                (
                    entry.subscription_id,
                    entry.webhook_id,
                    webhook,
                    event,
                    ocid,
                    release_id,
                    pending,
                    0,
                    "",
                    now,
                    now,
                )
            )
    if not rows:
        return 0
    quote = connection.ops.quote_name
    table = quote(Delivery._meta.db_table)
    columns = ", ".join(map(quote, _DELIVERY_COLUMNS))
    row_marks = "(" + ", ".join(["%s"] * len(_DELIVERY_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Only the model's own names are formatted in; every value is a parameter.
            single = f"INSERT INTO {table} ({columns}) VALUES {row_marks} ON CONFLICT DO NOTHING"  # noqa: S608
            cursor.executemany(single, rows)
            return max(cursor.rowcount, 0)
        # One array per column: a constant number of parameters, which the driver adapts
        # at C speed, where a multi-row VALUES list has it compose hundreds in Python.
        arrays = ", ".join(f"%s::{kind}[]" for kind in _PG_TYPES)
        sql = (
            f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) "  # noqa: S608
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
        return max(cursor.rowcount, 0)


def alerts_match(*, ocid: str, release_id: str, event: str) -> MatchResult:
    """Write the deliveries (and the followers' notices) of one release of the process `ocid`
    announcing `event`; the sending task is enqueued after commit. Idempotent: matching the
    same release again writes nothing new."""
    event = str(event)
    facts = facts_for(ocid)
    matched = subscriptions_matching(facts) if facts is not None else []
    if event in FOLLOW_UP_EVENTS:
        found = {entry.subscription_id for entry in matched}
        matched += [entry for entry in _told_before(ocid) if entry.subscription_id not in found]
    written = _deliveries_write(matched, ocid=ocid, release_id=release_id, event=event)
    notices = 0
    if event in FOLLOW_UP_EVENTS:
        tender = Tender.objects.filter(ocid=ocid).first()
        if tender is not None:
            notices = tender_notices_create(tender=tender, event=event, release_id=release_id)
    if (written or notices) and deliveries_schedule():
        transaction.on_commit(tasks.deliver_due.enqueue)
    return MatchResult(matched=len(matched), deliveries=written, notices=notices)


def alerts_record_observe(record: Record) -> MatchResult | None:
    """The record observer: match the release that just updated `record`, when its tag
    announces a new, amended or cancelled tender or a plan line coming soon
    (`choices.EVENT_OF_TAG`)."""
    release = Release.objects.filter(seq=record.last_seq).values_list("release_id", "tag").first()
    if release is None:
        return None
    release_id, tags = release
    event = next((EVENT_OF_TAG[tag] for tag in tags if tag in EVENT_OF_TAG), None)
    if event is None:
        return None
    return alerts_match(ocid=record.ocid, release_id=release_id, event=event)
