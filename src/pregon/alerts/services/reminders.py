"""Reminders and notices for a tender's followers: the people who follow it (its page's
button) and those who asked a question on it, unless they asked for no more.

- `deadline_reminders_schedule` (the periodic `pregon alerts remind`, or its task) writes one
  reminder per person for each open tender whose deadline is within
  `PREGON_ALERTS_REMINDER_DAYS` days; a moved deadline is a new reminder.
- `tender_notices_create` (called by matching, in the publishing transaction) writes one
  notice per person of an amendment or a cancellation.
- `tender_notices_send` sends them, each claimed first (`claims.py`), so none goes twice.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from django.conf import settings
from django.utils import timezone

from pregon.accounts.models import User
from pregon.alerts import emails
from pregon.alerts.choices import DeliveryStatus, Event, NoticeKind
from pregon.alerts.models import TenderFollow, TenderNotice
from pregon.alerts.services.claims import claim, due, mark_failed, mark_sent
from pregon.alerts.services.delivery import SendResult
from pregon.core import clock
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import Question, Tender

_KIND_OF_EVENT = {Event.AMENDED: NoticeKind.AMENDMENT, Event.CANCELLED: NoticeKind.CANCELLATION}


def tender_followers(tender_ids: list[int]) -> dict[int, set[int]]:
    """The people to tell about each tender: its followers and its askers, less those who
    asked for no more (two queries, whatever the number of tenders)."""
    people: dict[int, set[int]] = {tender_id: set() for tender_id in tender_ids}
    stopped: set[tuple[int, int]] = set()
    for tender_id, user_id, active in TenderFollow.objects.filter(
        tender_id__in=tender_ids
    ).values_list("tender_id", "user_id", "active"):
        if active:
            people[tender_id].add(user_id)
        else:
            stopped.add((tender_id, user_id))
    for tender_id, user_id in (
        Question.objects.filter(tender_id__in=tender_ids, asked_by__isnull=False)
        .values_list("tender_id", "asked_by_id")
        .distinct()
    ):
        if (tender_id, user_id) not in stopped:
            people[tender_id].add(user_id)
    return people


def tender_notices_create(*, tender: Tender, event: str, release_id: str) -> int:
    """Write one notice of `event` (an amendment or a cancellation) per person to tell.
    Returns how many were written."""
    kind = _KIND_OF_EVENT.get(Event(event))
    if kind is None:
        return 0
    people = tender_followers([tender.pk])[tender.pk]
    rows = [
        TenderNotice(user_id=user_id, tender=tender, kind=kind, key=release_id)
        for user_id in sorted(people)
    ]
    TenderNotice.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def deadline_reminders_schedule(*, now: dt.datetime | None = None) -> int:
    """Write the reminders of the open tenders whose deadline is within the reminder period.
    Returns how many were written (a reminder already written is not written again)."""
    now = now or clock.now()
    horizon = now + dt.timedelta(days=settings.PREGON_ALERTS_REMINDER_DAYS)
    tenders = dict(
        Tender.objects.filter(
            status=TenderStatus.ACTIVE,
            submission_deadline__gt=now,
            submission_deadline__lte=horizon,
        ).values_list("pk", "submission_deadline")
    )
    if not tenders:
        return 0
    rows = [
        TenderNotice(
            user_id=user_id,
            tender_id=tender_id,
            kind=NoticeKind.DEADLINE,
            key=tenders[tender_id].isoformat(),
        )
        for tender_id, people in tender_followers(sorted(tenders)).items()
        for user_id in sorted(people)
    ]
    before = TenderNotice.objects.filter(kind=NoticeKind.DEADLINE).count()
    TenderNotice.objects.bulk_create(rows, ignore_conflicts=True)
    return TenderNotice.objects.filter(kind=NoticeKind.DEADLINE).count() - before


def tender_notice_send(*, notice_id: int) -> SendResult:
    """Send one reminder or notice if it is due and no other worker has it."""
    result = SendResult()
    if not claim(TenderNotice, notice_id, timezone.now()):
        return result
    notice = TenderNotice.objects.select_related("user", "tender__buyer").get(pk=notice_id)
    user: User = notice.user
    tender = notice.tender
    stale = notice.kind == NoticeKind.DEADLINE and (
        tender.status != TenderStatus.ACTIVE or notice.key != tender.submission_deadline.isoformat()
    )
    if not user.is_active or stale:
        # The deadline moved (a new reminder was written) or the tender closed: nothing to say.
        TenderNotice.objects.filter(pk=notice_id).update(
            status=DeliveryStatus.FAILED, last_error="stale"
        )
        return result
    message = emails.tender_notice_message(
        to=user.email,
        language=user.language or settings.LANGUAGE_CODE,
        kind=notice.kind,
        tender=tender,
        user_id=user.pk,
        unique=f"notice-{notice.pk}-{notice.kind}",
        asked=Question.objects.filter(tender=tender, asked_by=user).exists(),
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        result.failure(
            mark_failed(
                TenderNotice, notice_id, notice.attempts, f"{type(error).__name__}: {error}"
            )
        )
        return result
    mark_sent(TenderNotice, notice_id)
    result.sent += 1
    result.ids.append(notice_id)
    return result


def tender_notices_send() -> SendResult:
    """Send every due reminder and notice."""
    result = SendResult()
    ids = list(
        TenderNotice.objects.filter(due(timezone.now())).order_by("pk").values_list("pk", flat=True)
    )
    for notice_id in ids:
        result.add(tender_notice_send(notice_id=notice_id))
    return result
