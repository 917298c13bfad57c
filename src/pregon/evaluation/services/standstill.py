"""The end of a standstill period: what the scheduled task and the safety net run.

This module imports nothing that schedules tasks, so the task module can import it alone.
"""

from __future__ import annotations

from django.db import transaction

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.transitions import can_transition, transition
from pregon.evaluation.choices import AWARD_TRANSITIONS, AwardStatus
from pregon.evaluation.models import Award
from pregon.publication.choices import ReleaseTag
from pregon.publication.services import publication_record
from pregon.tenders.models import Tender


def award_standstill_end(*, award_id: int) -> bool:
    """Make the award final (`active`) once its standstill period is over without a pending
    complaint. Safe to call any number of times; returns whether this call ended it.

    The time is the database's, read under the award's row lock. A suspended award is left as
    it is: its last complaint's decision makes it final (`complaint_decide`). Publishes an
    `awardUpdate` release.
    """
    with transaction.atomic():
        tender_id = Award.objects.filter(pk=award_id).values_list("tender_id", flat=True).first()
        if tender_id is None:
            return False
        tender = Tender.objects.select_for_update().get(pk=tender_id)
        award = Award.objects.select_for_update().select_related("lot").get(pk=award_id)
        now = clock.db_now()
        if not can_transition(award, "end_standstill", AWARD_TRANSITIONS):
            return False
        if award.standstill_ends_at is None or award.standstill_ends_at > now:
            return False
        transition(award, "end_standstill", AWARD_TRANSITIONS)
        award.activated_at = now
        award.save(update_fields=["status", "activated_at"])
        audit_record(
            actor=Actor.system(),
            action="award.end_standstill",
            target=award,
            summary={"lot": award.lot.number, "status": award.status},
        )
        publication_record(ocid=tender.ocid, tag=ReleaseTag.AWARD_UPDATE)
    return True


def awards_standstill_end_due() -> int:
    """End every standstill whose time has passed (the safety net behind the scheduled tasks);
    returns how many ended."""
    due = Award.objects.filter(
        status=AwardStatus.STANDSTILL, standstill_ends_at__lte=clock.db_now()
    ).values_list("pk", flat=True)
    return sum(award_standstill_end(award_id=pk) for pk in list(due))
