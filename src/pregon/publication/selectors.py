"""Reading what has been published: releases in feed order, records, log positions, bulk files."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext as _

from pregon.core.errors import NotFound
from pregon.ledger import selectors as ledger_selectors
from pregon.publication import bulk
from pregon.publication.models import Record, Release
from pregon.tlog.jcs import canonical_bytes
from pregon.tlog.merkle import leaf_hash


@dataclass(frozen=True, kw_only=True)
class ReleaseRow:
    """A stored release as the API serves it: its JSON text and what the envelope needs."""

    seq: int
    release_id: str
    ocid: str
    date: dt.datetime
    tag: list[str]
    data: str
    recorded_at: dt.datetime


_ROW_FIELDS = ("seq", "release_id", "ocid", "date", "tag", "data", "recorded_at")


def releases_after(
    *,
    after: int,
    limit: int,
    since: dt.datetime | None = None,
    ocid: str | None = None,
) -> tuple[list[ReleaseRow], bool]:
    """Up to `limit` releases past feed position `after`, in feed order, and whether more follow.

    `since` keeps releases dated after that moment; `ocid` those of one process.
    """
    queryset = Release.objects.filter(seq__gt=after).order_by("seq")
    if since is not None:
        queryset = queryset.filter(date__gt=since)
    if ocid:
        queryset = queryset.filter(ocid=ocid)
    rows = [ReleaseRow(**row) for row in queryset.values(*_ROW_FIELDS)[: limit + 1]]
    return rows[:limit], len(rows) > limit


def release_by_id(*, release_id: str) -> Release:
    """One release by its id; `NotFound` if this instance never published it."""
    release = Release.objects.filter(release_id=release_id).first()
    if release is None:
        raise NotFound(_("No release has the id %(id)s.") % {"id": release_id})
    return release


def release_latest_date() -> dt.datetime | None:
    """The date of the newest release (None before the first)."""
    latest: dt.datetime | None = Release.objects.aggregate(latest=Max("date"))["latest"]
    return latest


def records_after(*, after: int, limit: int, versioned: bool) -> tuple[list[Record], bool]:
    """Up to `limit` records past `after` (their internal id), and whether more follow."""
    queryset = Record.objects.filter(pk__gt=after).order_by("pk")
    if not versioned:
        queryset = queryset.defer("versioned")
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def record_by_ocid(*, ocid: str, versioned: bool) -> Record:
    """The record of one contracting process; `NotFound` if it has no release here."""
    queryset = Record.objects.all() if versioned else Record.objects.defer("versioned")
    record = queryset.filter(ocid=ocid).first()
    if record is None:
        raise NotFound(_("No contracting process has the ocid %(ocid)s.") % {"ocid": ocid})
    return record


def release_links(*, ocids: list[str]) -> dict[str, list[tuple[str, dt.datetime, list[str]]]]:
    """For each ocid, its releases' (id, date, tag) in feed order (which is date order)."""
    links: dict[str, list[tuple[str, dt.datetime, list[str]]]] = defaultdict(list)
    rows = (
        Release.objects.filter(ocid__in=ocids)
        .order_by("seq")
        .values_list("ocid", "release_id", "date", "tag")
    )
    for ocid, release_id, date, tag in rows:
        links[ocid].append((release_id, date, tag))
    return links


@dataclass(frozen=True, kw_only=True)
class LogPosition:
    """Where a release sits in the transparency log, and the tree size to prove it against."""

    leaf_index: int
    leaf_hash: str
    tree_size: int


def release_log_position(release: Release) -> LogPosition:
    """The release's leaf (index, hex RFC 9162 leaf hash) and a tree size to prove it in.

    The size is the latest signed checkpoint's when it covers the leaf (the checkpoint is
    signed just after the publishing transaction commits), else the log's current size. The
    leaf hash is recomputed from the release as stored, so a row edited behind the
    application's back points at a leaf the log does not hold: its proof request fails.
    """
    latest = ledger_selectors.checkpoint_latest()
    size = latest.size if latest is not None else 0
    if size <= release.leaf_index:
        size = max(ledger_selectors.log_size(), release.leaf_index + 1)
    return _log_position(release, tree_size=size)


def _log_position(release: Release, *, tree_size: int) -> LogPosition:
    data: Any = orjson.loads(release.data)
    return LogPosition(
        leaf_index=release.leaf_index,
        leaf_hash=leaf_hash(canonical_bytes(data)).hex(),
        tree_size=tree_size,
    )


@dataclass(frozen=True, kw_only=True)
class ProcessRelease:
    """One release of a contracting process, and where it sits in the transparency log."""

    release_id: str
    date: dt.datetime
    tag: list[str]
    log: LogPosition


def releases_of_process(*, ocid: str) -> list[ProcessRelease]:
    """Every release of one contracting process in feed order, each with its log position.

    Positions are those of `release_log_position`, with the log read at most twice in all.
    """
    releases = list(Release.objects.filter(ocid=ocid).order_by("seq"))
    if not releases:
        return []
    latest = ledger_selectors.checkpoint_latest()
    signed = latest.size if latest is not None else 0
    # The log's size is read once, and only when a release is not under the checkpoint yet.
    last = max(release.leaf_index for release in releases)
    current = signed if last < signed else max(ledger_selectors.log_size(), last + 1)
    return [
        ProcessRelease(
            release_id=release.release_id,
            date=release.date,
            tag=list(release.tag),
            log=_log_position(
                release, tree_size=signed if release.leaf_index < signed else current
            ),
        )
        for release in releases
    ]


def bulk_manifest() -> bulk.Manifest | None:
    """The current generation of bulk files (None before the first run)."""
    return bulk.read_manifest(Path(settings.PREGON_DATA_DIR))


def bulk_file(*, name: str) -> tuple[bulk.BulkFile, bulk.Manifest, Path]:
    """A listed bulk file, its manifest and where it is; `NotFound` for any other name."""
    manifest = bulk_manifest()
    listed = manifest.file(name) if manifest is not None else None
    if manifest is None or listed is None:
        raise NotFound(_("There is no data file called %(name)s.") % {"name": name})
    path = Path(settings.PREGON_DATA_DIR) / manifest.generation / listed.name
    return listed, manifest, path
