"""The world of `pages.py`: N published tenders stored as the platform stores them.

Each process `i` of `search_world.World` (texts in four languages, buyers, CPV items and lots,
statuses and closing dates) becomes what publishing a tender leaves in the database:

- the buyer's `Organization` (party id `CL-GOV-00012` as in the release);
- the `Tender` with its `Lot`s and `Item`s, in the state the release says (open with its
  deadline ahead, closed, cancelled), published at the release's start date;
- its `Release` (the JSON text as served, feed position `i`) and its `Record` (compiled and
  versioned release, by `pregon.ocds`'s own merge);
- its search document, codes, full-text entries and words, through
  `search.services.search_documents_add` (what `pregon search reindex` uses).

The dates are moved so that the world's "now" (`search_world.NOW`) is the day it is built:
the open tenders close within 45 days of that day. Not built: the transparency log's leaves
(releases name leaf `i - 1`, which the log does not hold; proving one would fail), documents,
questions, amendments, committees, bids.

Rows are written in batches of `BATCH` tenders, one transaction each: one INSERT statement
per table run for the whole batch (`executemany`; the primary keys of tenders and lots are
given, the world being built into empty tables) and the search's bulk service. The releases and
their search documents are computed in a second process (`multiprocessing`) one batch ahead of
the writes. Never one service call per tender.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import orjson
from search_world import NOW, World

BATCH = 2_000
STATUS_MAP = {"complete": "closed", "unsuccessful": "closed", "cancelled": "cancelled"}


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Made:
    """One process, ready to store: its release and what the search keeps of it."""

    number: int
    release: dict[str, Any]
    data_text: str
    compiled: dict[str, Any]
    versioned: dict[str, Any]
    document: Any  # search.documents.DocumentData


_WORLD: World | None = None
_SHIFT = dt.timedelta(0)


def _init(tenders: int, shift_days: int) -> None:
    global _WORLD, _SHIFT  # noqa: PLW0603 (one world per worker process)
    _WORLD = World(tenders)
    _SHIFT = dt.timedelta(days=shift_days)


def _iso(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def release_of(world: World, number: int, shift: dt.timedelta) -> dict[str, Any]:
    """Process `number`'s release as this platform publishes a tender: dates moved by `shift`,
    tag `tender`, and never `planned` (a published tender is active, closed or cancelled)."""
    release = world.release(number)
    tender = release["tender"]
    period = tender["tenderPeriod"]
    for key in ("startDate", "endDate"):
        period[key] = _stamp(_iso(period[key]) + shift)
    release["date"] = period["startDate"]
    release["tag"] = ["tender"]
    if tender["status"] == "planned":
        tender["status"] = "active"
    return release


def _make(number: int) -> Made:
    from pregon.ocds.merge import compile_release, version_releases  # noqa: PLC0415 (worker)
    from pregon.search.documents import document_from_release  # noqa: PLC0415

    assert _WORLD is not None
    release = release_of(_WORLD, number, _SHIFT)
    compiled = compile_release([release])
    document = document_from_release(compiled)
    assert document is not None
    return Made(
        number=number,
        release=release,
        data_text=orjson.dumps(release).decode(),
        compiled=compiled,
        versioned=version_releases([release]),
        document=document,
    )


def made(tenders: int, shift_days: int, start: int) -> Iterator[list[Made]]:
    """Processes `start`..`tenders` in batches of `BATCH`, computed by a second process one
    batch ahead of the caller (at most two batches in memory)."""
    context = multiprocessing.get_context("fork")
    with context.Pool(1, initializer=_init, initargs=(tenders, shift_days)) as pool:
        blocks = [
            range(low, min(low + BATCH, tenders + 1)) for low in range(start, tenders + 1, BATCH)
        ]
        pending = pool.map_async(_make, blocks[0], chunksize=100) if blocks else None
        for index in range(len(blocks)):
            assert pending is not None
            batch = pending.get()
            if index + 1 < len(blocks):
                pending = pool.map_async(_make, blocks[index + 1], chunksize=100)
            yield batch


def buyers_create(world: World) -> dict[int, int]:
    """Every buyer of the world as an `Organization`; returns buyer number -> primary key."""
    from pregon.accounts.choices import OrganizationKind  # noqa: PLC0415 (after django.setup)
    from pregon.organizations.choices import BuyerType  # noqa: PLC0415
    from pregon.organizations.models import Organization  # noqa: PLC0415

    kinds = {"MIN": BuyerType.MINISTRY, "MUN": BuyerType.MUNICIPALITY, "HOS": BuyerType.HOSPITAL}
    rows = []
    for number in range(1, world.buyers + 1):
        buyer = world.buyer(number)
        scheme, _dash, identifier = buyer["id"].rpartition("-")
        rows.append(
            Organization(
                kind=OrganizationKind.BUYER,
                identifier_scheme=scheme,
                identifier_id=identifier,
                legal_name=buyer["name"],
                region=buyer["region"],
                country=buyer["country"],
                buyer_type=kinds.get(buyer["acronym"][:3], BuyerType.OTHER),
            )
        )
    created = Organization.objects.bulk_create(rows, batch_size=1000)
    return {number: organization.pk for number, organization in enumerate(created, start=1)}


def _insert(model: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Rows into a model's table in one statement run many times (quicker than
    `bulk_create`'s model instances, which cost more than the database at this size). The
    columns not given take their field's default, so a new field does not break the build."""
    from django.db import connection  # noqa: PLC0415 (after django.setup)

    if not rows:
        return
    others = [
        field
        for field in model._meta.concrete_fields
        if field.column not in columns and not field.primary_key
    ]
    defaults = tuple(field.get_db_prep_save(field.get_default(), connection) for field in others)
    names = [*columns, *(field.column for field in others)]
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) VALUES ({marks})",
            [row + defaults for row in rows],
        )


class Ids:
    """The next primary keys of the tables this world fills (it starts empty)."""

    def __init__(self) -> None:
        self.lot = 0


def _store(batch: list[Made], buyers: dict[int, int], ids: Ids) -> None:
    """One batch of processes: tenders, lots, items, releases, records, search documents."""
    from django.db import connection, transaction  # noqa: PLC0415 (after django.setup)

    from pregon.publication.models import Record, Release  # noqa: PLC0415
    from pregon.search.services import IndexEntry, search_documents_add  # noqa: PLC0415
    from pregon.tenders.models import Item, Lot, Tender  # noqa: PLC0415

    ops = connection.ops

    def moment(value: dt.datetime | None) -> Any:
        return ops.adapt_datetimefield_value(value)

    def money(value: Any) -> Any:
        return ops.adapt_decimalfield_value(Decimal(str(value)), 18, 2)

    now = dt.datetime.now(dt.UTC)
    tenders, lots, items, releases, records = [], [], [], [], []
    for one in batch:
        ocds = one.release["tender"]
        deadline = _iso(ocds["tenderPeriod"]["endDate"])
        published = _iso(ocds["tenderPeriod"]["startDate"])
        status = STATUS_MAP.get(ocds["status"], "active")
        if status == "active" and deadline <= now:
            status = "closed"
        cancelled = status == "cancelled"
        buyer_number = int(one.release["buyer"]["id"][-5:])
        # The tender's primary key is its process number: the world is built into empty tables.
        tenders.append(
            (
                one.number,
                buyers[buyer_number],
                ocds["id"],
                one.release["ocid"],
                ocds["title"][:300],
                ocds["description"],
                one.release["language"],
                ocds["procurementMethod"],
                ocds["mainProcurementCategory"],
                money(ocds["value"]["amount"]),
                "USD",
                "priceOnly",
                "",
                "",
                moment(deadline - dt.timedelta(days=5)),
                moment(deadline),
                moment(deadline + dt.timedelta(hours=1)),
                status,
                moment(published),
                moment(deadline) if status == "closed" else None,
                moment(published + dt.timedelta(days=3)) if cancelled else None,
                "Budget withdrawn." if cancelled else "",
                moment(published - dt.timedelta(days=2)),
                moment(published),
                1,
                1,
            )
        )
        lot_of = {}
        for number, lot in enumerate(ocds["lots"], start=1):
            ids.lot += 1
            lot_of[lot["id"]] = ids.lot
            lots.append((ids.lot, one.number, number, lot["title"], ""))
        for item in ocds["items"]:
            items.append(
                (
                    lot_of[item["relatedLot"]],
                    item["description"][:500],
                    "CPV",
                    item["classification"]["id"],
                    money(item["quantity"]),
                    item["unit"]["name"],
                )
            )
        date = moment(_iso(one.release["date"]))
        releases.append(
            (
                one.number,
                one.release["id"],
                one.release["ocid"],
                date,
                orjson.dumps(one.release["tag"]).decode(),
                one.data_text,
                hashlib.sha256(one.data_text.encode()).hexdigest(),
                one.number - 1,
                moment(now),
            )
        )
        records.append(
            (
                one.release["ocid"],
                orjson.dumps(one.compiled).decode(),
                orjson.dumps(one.versioned).decode(),
                1,
                one.number,
                date,
                moment(now),
            )
        )
    with transaction.atomic():
        _insert(
            Tender,
            [
                "id",
                "buyer_id",
                "reference",
                "ocid",
                "title",
                "description",
                "language",
                "method",
                "category",
                "estimated_value",
                "currency",
                "award_criteria",
                "price_scoring",
                "award_criteria_details",
                "enquiry_end",
                "submission_deadline",
                "opening_at",
                "status",
                "published_at",
                "closed_at",
                "cancelled_at",
                "cancellation_reason",
                "created_at",
                "updated_at",
                "version",
                "opening_threshold",
            ],
            tenders,
        )
        _insert(Lot, ["id", "tender_id", "number", "title", "description"], lots)
        _insert(
            Item,
            [
                "lot_id",
                "description",
                "classification_scheme",
                "classification_code",
                "quantity",
                "unit",
            ],
            items,
        )
        _insert(
            Release,
            [
                "seq",
                "release_id",
                "ocid",
                "date",
                "tag",
                "data",
                "sha256",
                "leaf_index",
                "recorded_at",
            ],
            releases,
        )
        _insert(
            Record,
            ["ocid", "compiled", "versioned", "release_count", "last_seq", "date", "updated_at"],
            records,
        )
        search_documents_add(
            [
                IndexEntry(data=one.document, last_seq=one.number, date=_iso(one.release["date"]))
                for one in batch
            ]
        )


def build(tenders: int) -> float:
    """Fill the (migrated, empty) database with `tenders` published tenders; returns seconds."""
    from django.core.management.color import no_style  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415 (after django.setup)

    from pregon.publication.models import FeedSequence  # noqa: PLC0415
    from pregon.search.backends import backend  # noqa: PLC0415
    from pregon.tenders.models import Lot, Tender  # noqa: PLC0415

    started = time.perf_counter()
    world = World(tenders)
    shift_days = (dt.datetime.now(dt.UTC).date() - NOW.date()).days
    buyers = buyers_create(world)
    progress(f"  {len(buyers):,} buyers")
    connection.close()  # the worker process is forked: it must not share this connection
    ids = Ids()
    for batch in made(tenders, shift_days, 1):
        _store(batch, buyers, ids)
        last = batch[-1].number
        if last % (BATCH * 10) == 0 or last == tenders:
            elapsed = time.perf_counter() - started
            progress(f"  stored {last:,}/{tenders:,} tenders in {elapsed:.0f} s")
    FeedSequence.objects.update_or_create(pk=1, defaults={"value": tenders})
    progress("  optimize (merge the full-text segments, planner statistics) ...")
    backend().optimize()
    with connection.cursor() as cursor:
        # The primary keys were given: the sequences of PostgreSQL must follow them.
        for statement in connection.ops.sequence_reset_sql(no_style(), [Tender, Lot]):
            cursor.execute(statement)
        cursor.execute("ANALYZE")
    return time.perf_counter() - started
