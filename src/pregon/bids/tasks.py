"""Background work of sealed bids. Tasks take ids and are thin, idempotent wrappers over services.

Only `services.upload_purge` is imported: the module that schedules these tasks
(`services.uploads`) imports this one, never the other way round.
"""

from __future__ import annotations

from django.tasks import task

from pregon.bids.services.upload_purge import bid_upload_purge_if_due, bid_uploads_purge
from pregon.core.actor import Actor


@task()
def purge_abandoned_upload(upload_id: str) -> bool:
    """Delete the upload if it is abandoned (scheduled when it starts, for the moment it may
    become so); when its tender's deadline moved later, schedule this again for then.

    Returns whether the upload is gone.
    """
    due = bid_upload_purge_if_due(actor=Actor.system(), upload_id=upload_id)
    if due is None:
        return True
    purge_abandoned_upload.using(run_after=due).enqueue(upload_id)
    return False


@task()
def purge_abandoned_uploads() -> int:
    """Delete every abandoned upload (the safety net; `pregon bids purge-uploads` does the same
    from cron). Returns how many were deleted."""
    return bid_uploads_purge(actor=Actor.system()).uploads
