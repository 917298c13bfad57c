"""The deadline of a right to cover: what the scheduled task and the safety net run.

This module imports nothing that schedules tasks, so the task module can import it alone.
"""

from __future__ import annotations

from django.db import transaction

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.audit import audit_record
from pregon.core.transitions import can_transition, transition
from pregon.evaluation.choices import COVER_TRANSITIONS, CoverStatus
from pregon.evaluation.models import BidAssessment, Evaluation, RightToCover
from pregon.evaluation.services.completion import ranking_fix


def cover_lapse(*, cover_id: int) -> bool:
    """Record that the invited bidder let its right to cover pass by not answering, once the
    deadline has passed (by the database's clock), and complete the lot's evaluation. Safe to
    call any number of times; returns whether this call recorded it."""
    actor = Actor.system()
    with transaction.atomic():
        evaluation_id = (
            RightToCover.objects.filter(pk=cover_id).values_list("evaluation_id", flat=True).first()
        )
        if evaluation_id is None:
            return False
        evaluation = (
            Evaluation.objects.select_for_update()
            .select_related("tender", "lot")
            .get(pk=evaluation_id)
        )
        assessments = list(
            BidAssessment.objects.select_for_update()
            .select_related("supplier")
            .filter(evaluation=evaluation)
            .order_by("received_at", "bid_id")
        )
        cover = (
            RightToCover.objects.select_for_update()
            .select_related("assessment", "best")
            .get(pk=cover_id)
        )
        now = clock.db_now()
        if not can_transition(cover, "lapse", COVER_TRANSITIONS) or now < cover.deadline:
            return False
        transition(cover, "lapse", COVER_TRANSITIONS)
        cover.answered_at = now
        cover.save(update_fields=["status", "answered_at"])
        audit_record(
            actor=actor,
            action="evaluation.cover_lapse",
            target=cover,
            summary={"lot": evaluation.lot.number, "bid": cover.assessment.bid_id},
        )
        ranking_fix(
            actor=actor,
            evaluation=evaluation,
            assessments=assessments,
            move="cover_answered",
            cover=cover,
        )
    return True


def covers_lapse_due() -> int:
    """Record the lapse of every right to cover whose deadline has passed unanswered (the
    safety net behind the scheduled tasks); returns how many lapsed."""
    due = RightToCover.objects.filter(
        status=CoverStatus.OFFERED, deadline__lte=clock.db_now()
    ).values_list("pk", flat=True)
    return sum(cover_lapse(cover_id=pk) for pk in list(due))
