"""Abandoned uploads are deleted with their bytes: old enough and past their tender's deadline,
never while the tender is open; by the task scheduled when an upload starts, by the safety-net
task and by `pregon bids purge-uploads`, each deletion with its audit row."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from pregon.bids import services, tasks
from pregon.bids.models import UPLOADS_DIR, BidDocument, BidUpload
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.choices import Channel
from pregon.core.models import AuditEvent
from pregon.tenders import services as tenders
from pregon.tenders.models import Tender
from tests.bids.conftest import submit, supplier_actor_of

pytestmark = pytest.mark.django_db

DATA = bytes(range(256)) * 4  # 1024 bytes
HOUR = dt.timedelta(hours=1)
TASK_PATH = "pregon.bids.tasks.purge_abandoned_upload"


def _started(actor: Actor, tender: Tender, *, hours_ago: float, chunk: bytes = DATA[:300]) -> Any:
    """An unfinished upload with `chunk` on disk, started `hours_ago` by the database's clock."""
    started = services.bid_upload_start(
        actor=actor, tender=tender, size=len(DATA), sha256=hashlib.sha256(DATA).hexdigest()
    )
    started = services.bid_upload_append(actor=actor, upload=started, offset=0, chunk=chunk)
    BidUpload.objects.filter(pk=started.pk).update(
        created_at=clock.db_now() - dt.timedelta(hours=hours_ago)
    )
    started.refresh_from_db()
    return started


def _deadline_passed(tender: Tender) -> dt.datetime:
    """Move the deadline a minute into the past by the database's clock (the tender stays active
    until the close task runs); returns it."""
    past = clock.db_now() - dt.timedelta(minutes=1)
    Tender.objects.filter(pk=tender.pk).update(
        enquiry_end=past - dt.timedelta(days=1), submission_deadline=past
    )
    tender.refresh_from_db()
    return past


def _file(upload_row: BidUpload) -> Path:
    return Path(default_storage.path(upload_row.path))


def _purge(**kwargs: Any) -> services.UploadPurge:
    return services.bid_uploads_purge(actor=Actor.system(channel=Channel.COMMAND), **kwargs)


# ---------------------------------------------------------------------------------------------
# the safe rule


def test_an_old_upload_of_an_open_tender_is_kept_and_still_resumes(
    supplier_actor: Actor, tender: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    old = _started(supplier_actor, tender, hours_ago=24 * 30)

    with django_capture_on_commit_callbacks(execute=True):
        assert _purge() == services.UploadPurge()
        due = services.bid_upload_purge_if_due(actor=Actor.system(), upload_id=str(old.pk))

    # Not before the deadline, however old: the bidder may still finish it and bid with it.
    assert due == tender.submission_deadline
    assert BidUpload.objects.filter(pk=old.pk).exists()
    assert _file(old).read_bytes() == DATA[:300]
    done = services.bid_upload_append(
        actor=supplier_actor, upload=old, offset=300, chunk=DATA[300:]
    )
    assert done.is_complete
    assert not AuditEvent.objects.filter(action="bid_upload.purge").exists()


def test_past_the_deadline_old_uploads_go_with_their_files_and_recent_ones_stay(
    supplier_actor: Actor, tender: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    other = supplier_actor_of()
    old = _started(supplier_actor, tender, hours_ago=49)
    older = _started(other, tender, hours_ago=72, chunk=DATA[:100])
    recent = _started(supplier_actor, tender, hours_ago=47)
    _deadline_passed(tender)

    with django_capture_on_commit_callbacks(execute=True):
        done = _purge()

    assert done == services.UploadPurge(uploads=2, bytes=400, tenders=1, leftover_files=0)
    assert list(BidUpload.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not _file(old).exists()
    assert not _file(older).exists()
    assert _file(recent).read_bytes() == DATA[:300]
    rows = AuditEvent.objects.filter(action="bid_upload.purge").order_by("id")
    assert [
        (r.object_type, r.object_id, r.actor, r.actor_label, r.organization, r.channel)
        for r in rows
    ] == [
        ("bids.bidupload", str(older.pk), None, "system", None, "command"),
        ("bids.bidupload", str(old.pk), None, "system", None, "command"),
    ]
    assert rows[0].summary == {
        "tender": tender.ocid,
        "size": 1024,
        "received": 100,
        "started": older.created_at.isoformat(),
    }
    # Nothing more to do the second time.
    with django_capture_on_commit_callbacks(execute=True):
        assert _purge() == services.UploadPurge()


def test_the_uploads_of_a_cancelled_tender_go_once_old_enough(
    supplier_actor: Actor, tender: Tender, official_actor: Actor
) -> None:
    old = _started(supplier_actor, tender, hours_ago=49)
    tenders.tender_cancel(actor=official_actor, tender=tender, reason="Desierta")

    assert _purge().uploads == 1
    assert not BidUpload.objects.filter(pk=old.pk).exists()


def test_the_age_is_the_setting(supplier_actor: Actor, tender: Tender, settings: Any) -> None:
    settings.PREGON_BID_UPLOAD_MAX_AGE_HOURS = 2
    kept = _started(supplier_actor, tender, hours_ago=1)
    gone = _started(supplier_actor, tender, hours_ago=3)
    _deadline_passed(tender)

    assert _purge().uploads == 1
    assert list(BidUpload.objects.values_list("pk", flat=True)) == [kept.pk]
    assert AuditEvent.objects.get(action="bid_upload.purge").object_id == str(gone.pk)


def test_what_a_bid_took_over_is_never_touched(
    supplier_actor: Actor, tender: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        made = submit(supplier_actor, tender, documents=[("d1", b"%PDF-1.7 propuesta")])
    [document] = BidDocument.objects.filter(bid=made.bid)
    stored = Path(document.file.path).read_bytes()
    _deadline_passed(tender)

    with django_capture_on_commit_callbacks(execute=True):
        assert _purge() == services.UploadPurge()
    assert Path(document.file.path).read_bytes() == stored


def test_a_dry_run_deletes_nothing(supplier_actor: Actor, tender: Tender) -> None:
    old = _started(supplier_actor, tender, hours_ago=49)
    _deadline_passed(tender)

    assert _purge(dry_run=True) == services.UploadPurge(uploads=1, bytes=300, tenders=1)
    assert BidUpload.objects.filter(pk=old.pk).exists()
    assert _file(old).exists()
    assert not AuditEvent.objects.filter(action="bid_upload.purge").exists()


def test_leftover_files_no_upload_names_are_removed_once_old(
    supplier_actor: Actor, tender: Tender
) -> None:
    directory = Path(default_storage.path(UPLOADS_DIR))
    directory.mkdir(parents=True, exist_ok=True)
    live = _started(supplier_actor, tender, hours_ago=100)  # the tender is open: kept
    leftover = directory / str(uuid.uuid4())
    fresh = directory / str(uuid.uuid4())
    not_an_upload = directory / "notes.txt"
    for path in (leftover, fresh, not_an_upload):
        path.write_bytes(b"x")
    long_ago = (clock.now() - 49 * HOUR).timestamp()
    for path in (leftover, not_an_upload, _file(live)):
        os.utime(path, (long_ago, long_ago))

    assert _purge(dry_run=True).leftover_files == 1
    assert leftover.exists()
    assert _purge() == services.UploadPurge(leftover_files=1)
    assert not leftover.exists()
    assert fresh.exists()
    assert not_an_upload.exists()
    assert _file(live).exists()


# ---------------------------------------------------------------------------------------------
# the tasks


def _scheduled() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at", "id"))


def test_starting_an_upload_schedules_its_deletion_for_the_deadline_after_commit(
    supplier_actor: Actor, tender: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        started = services.bid_upload_start(
            actor=supplier_actor, tender=tender, size=10, sha256="a" * 64
        )
        assert _scheduled() == []

    [task] = _scheduled()
    assert task.args_kwargs == {"args": [str(started.pk)], "kwargs": {}}
    # Twenty days to the deadline: later than 48 hours from now.
    assert task.run_after == tender.submission_deadline
    assert task.status == "READY"


def test_the_task_deletes_the_upload_when_due_and_waits_for_a_deadline_that_moved(
    supplier_actor: Actor, tender: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    old = _started(supplier_actor, tender, hours_ago=49)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_abandoned_upload.call(str(old.pk)) is False
    # The tender is open: the task scheduled itself again for the deadline.
    assert [task.run_after for task in _scheduled()][-1] == tender.submission_deadline
    assert BidUpload.objects.filter(pk=old.pk).exists()

    _deadline_passed(tender)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_abandoned_upload.call(str(old.pk)) is True
    assert not BidUpload.objects.filter(pk=old.pk).exists()
    assert not _file(old).exists()
    event = AuditEvent.objects.get(action="bid_upload.purge")
    assert (event.object_id, event.actor_label, event.channel) == (str(old.pk), "system", "task")
    # Idempotent: a second run (or one for an upload a bid took over) finds nothing to do.
    assert tasks.purge_abandoned_upload.call(str(old.pk)) is True
    assert AuditEvent.objects.filter(action="bid_upload.purge").count() == 1


def test_the_safety_net_task_purges_everything_due(supplier_actor: Actor, tender: Tender) -> None:
    _started(supplier_actor, tender, hours_ago=49)
    _started(supplier_actor, tender, hours_ago=50)
    _deadline_passed(tender)
    assert tasks.purge_abandoned_uploads.call() == 2
    assert not BidUpload.objects.exists()


@pytest.mark.parametrize("first", ["tasks", "services"])
def test_the_task_and_the_services_load_in_either_order(first: str) -> None:
    modules = {"tasks": "pregon.bids.tasks", "services": "pregon.bids.services"}
    script = (
        "import sys, django; django.setup()\n"
        f"import {modules[first]}\n"
        "from pregon.bids import services, tasks\n"
        "assert services.uploads.tasks.purge_abandoned_upload is tasks.purge_abandoned_upload\n"
        "assert tasks.bid_uploads_purge is services.bid_uploads_purge\n"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "pregon.settings"}
    done = subprocess.run(  # a fresh interpreter: nothing imported yet
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


# ---------------------------------------------------------------------------------------------
# the command


def test_the_command_says_what_it_deleted(
    supplier_actor: Actor, tender: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    old = _started(supplier_actor, tender, hours_ago=49)
    _started(supplier_actor, tender, hours_ago=1)
    _deadline_passed(tender)
    out = io.StringIO()

    call_command("bids", "purge-uploads", "--dry-run", stdout=out)
    assert out.getvalue() == (
        "Abandoned uploads: no bid took them over, they are older than 48 hours and their "
        "tender's deadline has passed.\n"
        "Would delete 1 abandoned upload (300\xa0bytes) of 1 tender, and 0 leftover files that "
        "no upload names.\n"
        "Nothing was deleted (--dry-run).\n"
    )
    assert BidUpload.objects.count() == 2

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("bids", "purge-uploads", stdout=out)
    assert out.getvalue().splitlines()[1] == (
        "Deleted 1 abandoned upload (300\xa0bytes) of 1 tender, and 0 leftover files that no "
        "upload names."
    )
    assert not _file(old).exists()
    assert BidUpload.objects.count() == 1
    event = AuditEvent.objects.get(action="bid_upload.purge")
    assert (event.object_id, event.channel) == (str(old.pk), "command")

    out = io.StringIO()
    call_command("bids", "purge-uploads", stdout=out)
    assert "Deleted 0 abandoned uploads (0\xa0bytes) of 0 tenders" in out.getvalue()
