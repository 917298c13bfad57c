"""Background work of awards and rights to cover. Tasks take ids and are thin, idempotent
wrappers over services.

Only `services.standstill`, `services.cover_deadline` and `services.notices` are imported: the
modules that schedule these tasks (`services.award`, `services.cover`) import this one, never
the other way round.
"""

from __future__ import annotations

from django.tasks import task

from pregon.evaluation.services.cover_deadline import cover_lapse
from pregon.evaluation.services.notices import award_notice_email, cover_invitation_email
from pregon.evaluation.services.standstill import award_standstill_end, awards_standstill_end_due


@task()
def send_award_notice(notice_id: int) -> int:
    """E-mail a notice to the people of its bidder (once); returns how many were sent."""
    return award_notice_email(notice_id=notice_id)


@task()
def end_standstill(award_id: int) -> bool:
    """Make the award final if its standstill is over (scheduled for its end at the decision)."""
    return award_standstill_end(award_id=award_id)


@task()
def end_due_standstills() -> int:
    """End every standstill whose time has passed; the safety net run at start-up and by cron."""
    return awards_standstill_end_due()


@task()
def send_cover_invitation(cover_id: int) -> int:
    """E-mail the invitation to cover the best offer to the invited bidder's people (once)."""
    return cover_invitation_email(cover_id=cover_id)


@task()
def lapse_cover(cover_id: int) -> bool:
    """Record a pass if the right to cover is still unanswered at its deadline."""
    return cover_lapse(cover_id=cover_id)
