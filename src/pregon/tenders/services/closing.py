"""Closing at the deadline: what the scheduled task and the safety net run.

This module imports nothing that schedules tasks, so the task module can import it alone.
"""

from __future__ import annotations

from django.db import transaction

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.transitions import can_transition
from pregon.publication.choices import ReleaseTag
from pregon.publication.services import publication_record
from pregon.tenders.choices import TRANSITIONS, TenderStatus
from pregon.tenders.models import Tender
from pregon.tenders.services.common import move, save_changed


def tender_close_if_due(*, tender_id: int) -> bool:
    """Close an open tender whose deadline has passed. Safe to call any number of times.

    Returns whether this call closed it. The deadline may have moved since the close was
    scheduled (an amendment); then nothing happens and a later scheduled call closes it.

    The deadline is decided by the database's clock, read under the tender's row lock, as a
    submission decides it: a worker whose own clock runs ahead never closes a tender that still
    accepts bids, and one whose clock lags never leaves it open past its deadline.
    """
    with transaction.atomic():
        locked = Tender.objects.select_for_update().filter(pk=tender_id).first()
        now = clock.db_now()
        if locked is None or not can_transition(locked, "close", TRANSITIONS):
            return False
        if locked.submission_deadline > now:
            return False
        move(locked, "close")
        locked.closed_at = now
        locked.updated_at = now
        save_changed(locked)
        audit_record(
            actor=Actor.system(),
            action="tender.close",
            target=locked,
            summary={"deadline": locked.submission_deadline},
        )
        publication_record(ocid=locked.ocid, tag=ReleaseTag.TENDER_UPDATE)
    return True


def tenders_close_due() -> int:
    """Close every open tender past its deadline (the safety net behind the scheduled tasks).

    Both the choice of candidates and each close read the database's clock."""
    due = Tender.objects.filter(
        status=TenderStatus.ACTIVE, submission_deadline__lte=clock.db_now()
    ).values_list("pk", flat=True)
    return sum(tender_close_if_due(tender_id=pk) for pk in list(due))
