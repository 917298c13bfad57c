"""Encrypted documents arrive in chunks, and an interrupted upload resumes where it stopped.

The upload row is the truth: `received` counts the bytes that arrived and were written to disk
(synced) before the row said so. A chunk must start exactly at `received`; whatever a broken
request left on disk past it is overwritten by the next chunk, so a client that lost an answer
asks where the upload stands and sends the rest, never anything twice.

Uploads are not official acts: they write no audit row and no log leaf. The submission that
uses them does both, and takes their bytes over. One that no bid ever takes over is deleted
once it is abandoned (`upload_purge`): its deletion is scheduled when it starts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The task module imports `upload_purge` only; this module schedules its task. The module
# object (not the task) is imported, so either of the two may be loaded first.
from pregon.bids import tasks
from pregon.bids.choices import UPLOADS_PENDING_MAX
from pregon.bids.models import BidUpload
from pregon.bids.services.common import UploadOffsetMismatch, bid_supplier, require_own
from pregon.bids.services.upload_purge import bid_upload_abandoned_at
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import ValidationFailed
from pregon.core.problems import PayloadTooLarge
from pregon.tenders.models import Tender
from pregon.tenders.services.common import tender_lock, tender_require_open

_SHA256 = re.compile(r"[0-9a-f]{64}")
_READ_SIZE = 1 << 20


def upload_file(upload: BidUpload) -> Path:
    """Where the upload's bytes are on disk (under MEDIA_ROOT)."""
    return Path(default_storage.path(upload.path))


def bid_upload_start(*, actor: Actor, tender: Tender, size: int, sha256: str) -> BidUpload:
    """A supplier announces an encrypted document of `size` bytes with this SHA-256.

    Refused when the tender is not open (by the database's clock, under the tender's lock),
    when the document is larger than PREGON_BID_DOCUMENT_MAX_BYTES (413), and when the supplier
    already has too many unfinished uploads for the tender.
    """
    supplier = bid_supplier(actor)
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise ValidationFailed(
            _("The SHA-256 must be 64 lowercase hexadecimal digits."), field="sha256"
        )
    if not isinstance(size, int) or size < 1:
        raise ValidationFailed(_("The size must be a positive number of bytes."), field="size")
    limit = settings.PREGON_BID_DOCUMENT_MAX_BYTES
    if size > limit:
        raise PayloadTooLarge(
            _("The document is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            field="size",
        )
    with transaction.atomic():
        locked = tender_lock(tender)
        tender_require_open(locked, clock.db_now())
        pending = BidUpload.objects.filter(
            tender=locked, supplier=supplier, completed_at__isnull=True
        ).count()
        if pending >= UPLOADS_PENDING_MAX:
            raise ValidationFailed(
                _(
                    "You have %(count)s unfinished uploads for this tender; finish them before "
                    "starting another."
                )
                % {"count": pending},
                code="too_many_uploads",
            )
        upload = BidUpload.objects.create(
            tender=locked, supplier=supplier, created_by=actor.user, size=size, sha256=sha256
        )
        _schedule_purge(upload, bid_upload_abandoned_at(upload, locked))
        return upload


def _schedule_purge(upload: BidUpload, due: dt.datetime) -> None:
    """Enqueue the upload's deletion for when it may be abandoned, once the transaction commits
    (the task does nothing if a bid took it over by then)."""
    upload_id = str(upload.pk)
    transaction.on_commit(
        lambda: tasks.purge_abandoned_upload.using(run_after=due).enqueue(upload_id)
    )


def bid_upload_append(*, actor: Actor, upload: BidUpload, offset: int, chunk: bytes) -> BidUpload:
    """Write `chunk` at `offset` of the upload; return the upload as it now stands.

    The chunk must start at the upload's `received` (`UploadOffsetMismatch`, 409, says where
    it stands otherwise), fit in the announced size and in PREGON_BID_CHUNK_MAX_BYTES (413).
    The last chunk completes the upload when the bytes have the announced SHA-256; when they
    do not, it is refused and the upload stays as it was before that chunk.
    """
    supplier = bid_supplier(actor)
    require_own(supplier, upload)
    limit = settings.PREGON_BID_CHUNK_MAX_BYTES
    if len(chunk) > limit:
        raise PayloadTooLarge(
            _("A chunk may hold at most %(limit)s; send the document in smaller parts.")
            % {"limit": filesizeformat(limit)}
        )
    if not chunk:
        raise ValidationFailed(_("The chunk is empty."), code="empty_chunk")
    with transaction.atomic():
        locked = BidUpload.objects.select_for_update().select_related("tender").get(pk=upload.pk)
        if offset != locked.received:
            raise UploadOffsetMismatch(
                _(
                    "This chunk starts at byte %(offset)s, but the upload has received "
                    "%(received)s bytes: send the bytes from %(received)s on."
                )
                % {"offset": offset, "received": locked.received},
                received=locked.received,
            )
        if offset + len(chunk) > locked.size:
            raise ValidationFailed(
                _("This chunk goes past the size announced for the upload (%(size)s bytes).")
                % {"size": locked.size},
                code="chunk_past_end",
            )
        # Not locked: the tender's row is the submissions' to lock, and a chunk after the
        # deadline only saves the supplier a useless upload.
        tender_require_open(locked.tender, clock.db_now())
        path = upload_file(locked)
        _write_at(path, offset, chunk)
        locked.received = offset + len(chunk)
        if locked.received == locked.size:
            if _sha256_of(path) != locked.sha256:
                raise ValidationFailed(
                    _(
                        "The bytes received do not have the SHA-256 announced when the upload "
                        "started. Send the last chunk again, or start a new upload."
                    ),
                    code="upload_sha256_mismatch",
                )
            locked.completed_at = clock.db_now()
        locked.save(update_fields=["received", "completed_at"])
    return locked


def _write_at(path: Path, offset: int, chunk: bytes) -> None:
    """Write `chunk` at `offset`, drop anything after it, and sync it to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("r+b" if path.exists() else "w+b") as handle:
        handle.seek(offset)
        handle.write(chunk)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_READ_SIZE):
            digest.update(block)
    return digest.hexdigest()
