"""Deleting abandoned uploads: encrypted documents that never became part of a submitted bid.

A submission takes its uploads over and deletes their rows, so every `BidUpload` row still
there is one no bid refers to. One is abandoned, and deleted with its bytes, once both hold:

* it is older than PREGON_BID_UPLOAD_MAX_AGE_HOURS (48 by default), and
* its tender no longer accepts bids: its deadline has passed by the database's clock, or it
  was cancelled or closed.

The second condition is the safe rule: while the tender is open a bidder may still resume the
upload or submit a bid that names it, however old it is (a tender may stay open for months). Past
the deadline nothing can use it: a submission is refused, and a repeated one is answered from
the bid already stored. Each deletion runs under the tender's row lock, as submissions do, so a
submission that started before the deadline and names the upload either finished first (it took
the upload over and the row is gone) or never happens.

The per-upload task (`tasks.purge_abandoned_upload`), scheduled when the upload starts, runs this
at the moment the upload may become abandoned and schedules itself again if the deadline moved;
`pregon bids purge-uploads` and the `purge_abandoned_uploads` task are the safety net, and also
remove files under the uploads' directory that no row names any more (left behind by a process
that stopped between a commit and the file's removal). Each deletion writes an audit row.

This module imports nothing that schedules tasks, so the task module can import it alone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet

from pregon.bids.models import UPLOADS_DIR, BidUpload
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import Tender


@dataclass(frozen=True, kw_only=True)
class UploadPurge:
    """What one purge deleted (or, dry, would delete)."""

    uploads: int = 0
    bytes: int = 0
    tenders: int = 0
    leftover_files: int = 0


def upload_max_age() -> dt.timedelta:
    """How old an upload must be before it may count as abandoned (the setting)."""
    return dt.timedelta(hours=settings.PREGON_BID_UPLOAD_MAX_AGE_HOURS)


def bid_upload_abandoned_at(upload: BidUpload, tender: Tender) -> dt.datetime:
    """When `upload` becomes abandoned: old enough, and past its tender's deadline while the
    tender is still active (a closed or cancelled tender takes no bid any more)."""
    old_enough = upload.created_at + upload_max_age()
    if tender.status == TenderStatus.ACTIVE:
        return max(old_enough, tender.submission_deadline)
    return old_enough


def bid_uploads_abandoned(*, now: dt.datetime) -> QuerySet[BidUpload]:
    """The uploads abandoned at `now` (read from the database's clock by the callers)."""
    return BidUpload.objects.filter(created_at__lte=now - upload_max_age()).filter(
        ~Q(tender__status=TenderStatus.ACTIVE) | Q(tender__submission_deadline__lte=now)
    )


def bid_upload_purge_if_due(*, actor: Actor, upload_id: str) -> dt.datetime | None:
    """Delete one upload with its bytes if it is abandoned now. Safe to call any number of times.

    Returns None when the upload is gone (deleted now, earlier, or taken over by a bid), else
    the moment it will be abandoned (its tender's deadline may have moved since this was
    scheduled).
    """
    with transaction.atomic():
        upload = BidUpload.objects.filter(pk=upload_id).only("tender_id").first()
        if upload is None:
            return None
        tender = Tender.objects.select_for_update().get(pk=upload.tender_id)
        locked = BidUpload.objects.select_for_update().filter(pk=upload_id).first()
        if locked is None:
            return None
        due = bid_upload_abandoned_at(locked, tender)
        if clock.db_now() < due:
            return due
        _delete(actor, tender, [locked])
    return None


def bid_uploads_purge(
    *,
    actor: Actor,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> UploadPurge:
    """Delete every abandoned upload with its bytes, one tender at a time, then the files under
    the uploads' directory that no row names and that are older than the maximum age.

    `progress` is called with the number of uploads each step dealt with. With `dry_run`
    nothing is deleted: the result says what would be.
    """
    tender_ids = sorted(
        set(bid_uploads_abandoned(now=clock.db_now()).values_list("tender_id", flat=True))
    )
    uploads = size = tenders = 0
    for tender_id in tender_ids:
        with transaction.atomic():
            tender = Tender.objects.select_for_update().get(pk=tender_id)
            # Again under the tender's lock, by the database's time now: only what is still due.
            due = list(
                bid_uploads_abandoned(now=clock.db_now())
                .filter(tender=tender)
                .select_for_update()
                .order_by("created_at", "pk")
            )
            if not due:
                continue
            if not dry_run:
                _delete(actor, tender, due)
        uploads += len(due)
        size += sum(upload.received for upload in due)
        tenders += 1
        if progress is not None:
            progress(len(due))
    leftovers = _leftover_files()
    if not dry_run:
        for path in leftovers:
            path.unlink(missing_ok=True)
    return UploadPurge(uploads=uploads, bytes=size, tenders=tenders, leftover_files=len(leftovers))


def _delete(actor: Actor, tender: Tender, uploads: list[BidUpload]) -> None:
    """Delete the rows (locked by the caller) with an audit row each; their files after commit."""
    for upload in uploads:
        audit_record(
            actor=actor,
            action="bid_upload.purge",
            target=upload,
            summary={
                "tender": tender.ocid,
                "size": upload.size,
                "received": upload.received,
                "started": upload.created_at,
            },
        )
    paths = [Path(default_storage.path(upload.path)) for upload in uploads]
    BidUpload.objects.filter(pk__in=[upload.pk for upload in uploads]).delete()
    transaction.on_commit(lambda: _remove(paths), robust=True)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _leftover_files() -> list[Path]:
    """Files in the uploads' directory named as an upload whose row is gone, older than the
    maximum age (which keeps the file of an upload started after the rows were read).

    Other files are not an upload's and are left alone.
    """
    directory = Path(default_storage.path(UPLOADS_DIR))
    if not directory.is_dir():
        return []
    cutoff = (clock.now() - upload_max_age()).timestamp()
    candidates = {
        name: path
        for path in directory.iterdir()
        if (name := _upload_id(path.name)) and path.is_file() and path.stat().st_mtime <= cutoff
    }
    known = {
        str(pk)
        for pk in BidUpload.objects.filter(pk__in=list(candidates)).values_list("pk", flat=True)
    }
    return [path for name, path in sorted(candidates.items()) if name not in known]


def _upload_id(name: str) -> str:
    """The upload id a file name spells (as `BidUpload.path` writes it), or ""."""
    try:
        value = uuid.UUID(name)
    except ValueError:
        return ""
    return str(value) if str(value) == name else ""
