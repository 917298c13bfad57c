"""Publishing: every public change becomes a stored OCDS release, an updated record and a log leaf.

`publication_record` is the one door. Each public transition (tenders today; planning, awards
and contracts later) calls it inside its own transaction, after changing its models, so the
release exists if and only if the change does:

1. build the release from the models through the stages' registered mappings
   (`mapping.build_release`) and validate it against the patched OCDS schema: an invalid
   release is a bug, and the whole transition rolls back;
2. append its RFC 8785 canonical bytes to the transparency log (`pregon.ledger`);
3. store it, append-only, at the next position of the changes feed;
4. update the compiled and versioned releases of its `ocid` with this one release
   (incrementally, never merging everything again), and tell the record's observers
   (`observers.py`: the search index);
5. after commit, ask for the bulk files to be regenerated (debounced).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from typing import Any

import orjson
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pregon.core import clock
from pregon.ledger.services import leaf_append
from pregon.ocds.merge import (
    compile_release,
    update_compiled_release,
    update_versioned_release,
    version_releases,
)
from pregon.ocds.validate import Validator
from pregon.publication import mapping
from pregon.publication.bulk import bulk_files_generate
from pregon.publication.models import BulkState, FeedSequence, Record, Release
from pregon.publication.observers import record_observers_notify
from pregon.publication.tasks import regenerate_bulk_files
from pregon.tlog.jcs import canonical_bytes

# `bulk_files_generate` lives with the bulk files; offered here too, with the other doors.
__all__ = ["bulk_files_generate", "bulk_schedule", "publication_record"]


class InvalidRelease(RuntimeError):
    """A release the platform built does not validate: a bug in the mapping, never user input."""

    def __init__(self, release_id: str, issues: list[Any]) -> None:
        self.issues = issues
        lines = "; ".join(f"{issue.path}: {issue.message}" for issue in issues[:20])
        super().__init__(f"release {release_id} is not valid OCDS: {lines}")


@functools.cache
def validator() -> Validator:
    """The patched-schema validator, built once per process (compiling it takes a while)."""
    return Validator()


def _next_sequence() -> int:
    """Take the next position of the changes feed, holding its row lock until commit.

    Transactions that publish therefore commit in the order of their positions: a reader who
    sees position n committed also sees every position before it, so a feed read by position
    never skips a release that was still being committed (see docs/open-data.md).
    """
    counter, _created = FeedSequence.objects.select_for_update().get_or_create(pk=1)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


def _release_date(record: Record | None) -> dt.datetime:
    """Now, in whole seconds, and never before the process's latest release.

    Releases of one process must be in date order for the merge; a clock set back (by the
    demo, or by a server's time correction) must not put a new release before the last one.
    """
    now = clock.now().astimezone(dt.UTC).replace(microsecond=0)
    if record is not None and record.date > now:
        return record.date
    return now


def publication_record(*, ocid: str | None, tag: str) -> Release:
    """Publish the current public state of the process `ocid` as a release tagged `tag`.

    Call inside the transition's transaction, after its changes are saved and while the row
    that owns the process (its tender) is locked. Returns the stored release. Raises `InvalidRelease` (a bug) if the
    release does not validate, and `mapping.NotPublishable` for a draft.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("publication_record must run inside the transition's transaction")
    if not ocid:
        raise mapping.NotPublishable("a process without an ocid (a draft) is never published")
    record = Record.objects.select_for_update().filter(ocid=ocid).first()
    date = _release_date(record)
    number = (record.release_count if record else 0) + 1
    release_id = f"{ocid}-{tag}-{number}"
    release = mapping.build_release(
        ocid=ocid,
        release_id=release_id,
        tag=tag,
        date=date,
        previous=record.compiled if record else None,
    )
    issues = validator().validate_release(release)
    if issues:
        raise InvalidRelease(release_id, issues)
    canonical = canonical_bytes(release)
    leaf = leaf_append(kind="release", data=canonical, ref=release_id)
    stored = Release.objects.create(
        seq=_next_sequence(),
        release_id=release_id,
        ocid=release["ocid"],
        date=date,
        tag=release["tag"],
        data=orjson.dumps(release).decode(),
        sha256=hashlib.sha256(canonical).hexdigest(),
        leaf_index=leaf.index,
    )
    record_observers_notify(_record_update(record, release, stored))
    if settings.PREGON_BULK_AUTO:
        transaction.on_commit(bulk_schedule)
    return stored


def _record_update(record: Record | None, release: dict[str, Any], stored: Release) -> Record:
    """Merge one new release into its process's record (or start the record)."""
    if record is None:
        return Record.objects.create(
            ocid=stored.ocid,
            compiled=compile_release([release]),
            versioned=version_releases([release]),
            release_count=1,
            last_seq=stored.seq,
            date=stored.date,
        )
    latest = record.compiled.get("date")
    record.compiled = update_compiled_release(record.compiled, release)
    record.versioned = update_versioned_release(record.versioned, release, latest_date=latest)
    record.release_count += 1
    record.last_seq = stored.seq
    record.date = stored.date
    record.updated_at = timezone.now()
    record.save()
    return record


# ---------------------------------------------------------------------------------------------
# bulk files (written by `bulk.bulk_files_generate`, which the task calls)


def bulk_schedule() -> bool:
    """Enqueue a regeneration of the bulk files, unless one is already pending.

    Runs after commit. Many releases in a burst cause one regeneration, `PREGON_BULK_DELAY`
    seconds after the first. A pending mark older than `PREGON_BULK_STALE_AFTER` seconds (a
    worker that died) is taken over. Returns whether a task was enqueued.
    """
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.PREGON_BULK_STALE_AFTER)
    BulkState.objects.get_or_create(pk=1)
    claimed = (
        BulkState.objects.filter(pk=1)
        .filter(Q(pending=False) | Q(requested_at__lt=stale))
        .update(pending=True, requested_at=now)
    )
    if not claimed:
        return False
    run_after = now + dt.timedelta(seconds=settings.PREGON_BULK_DELAY)
    regenerate_bulk_files.using(run_after=run_after).enqueue()
    return True
