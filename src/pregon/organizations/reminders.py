"""Reminders before a held document expires: written at most once per document and number of
days before its expiry (`PREGON_DOCUMENT_REMINDER_DAYS`), e-mailed once each.

`document_reminders_schedule` and `document_reminders_send` are run by the periodic
`pregon remind_documents` (or its task); `document_remind` by the task each upload enqueues for
the day a threshold is reached. This module imports nothing that enqueues tasks, so the task
module can import it alone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from pregon.core import clock
from pregon.organizations import emails
from pregon.organizations.models import DocumentReminder, SupplierDocument
from pregon.organizations.selectors import today_of


def _due_threshold(days_left: int) -> int | None:
    """The smallest threshold reached `days_left` days before expiry (None: none reached).
    A document uploaded late gets only the nearest reminder, not every one it passed."""
    reached = [days for days in settings.PREGON_DOCUMENT_REMINDER_DAYS if days_left <= days]
    return min(reached) if reached else None


def document_reminder_write(*, document: SupplierDocument, today: dt.date) -> bool:
    """Write the reminder due for `document` today, if any and not written already."""
    if document.removed_at is not None or document.expires_on is None:
        return False
    days_left = (document.expires_on - today).days
    if days_left < 0:
        return False
    threshold = _due_threshold(days_left)
    if threshold is None:
        return False
    _reminder, created = DocumentReminder.objects.get_or_create(
        document=document, days_before=threshold
    )
    return created


def document_reminders_schedule(*, today: dt.date | None = None) -> int:
    """Write the reminders due today for every held document. Returns how many were written
    (none twice, however often it runs)."""
    today = today or clock.now().date()
    horizon = today + dt.timedelta(days=max(settings.PREGON_DOCUMENT_REMINDER_DAYS, default=0))
    written = 0
    for document in SupplierDocument.objects.filter(
        removed_at__isnull=True, expires_on__gte=today, expires_on__lte=horizon
    ).iterator():
        written += document_reminder_write(document=document, today=today)
    return written


def document_reminder_email(*, reminder_id: int) -> int:
    """E-mail one reminder to the supplier's people, once; nothing when the document was
    replaced or removed meanwhile. Returns how many messages were sent."""
    with transaction.atomic():
        reminder = (
            DocumentReminder.objects.select_for_update(of=("self",))
            .select_related("document__organization")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.emailed_at is not None:
            return 0
        if reminder.document.removed_at is not None:
            return 0
        sent = emails.document_expiry_notify(reminder=reminder)
        reminder.emailed_at = clock.now()
        reminder.save(update_fields=["emailed_at"])
    return sent


def document_reminders_send() -> int:
    """E-mail every reminder written and not yet sent. Returns how many messages were sent."""
    pending = DocumentReminder.objects.filter(
        emailed_at__isnull=True, document__removed_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(document_reminder_email(reminder_id=pk) for pk in list(pending))


def document_remind(*, document_id: int) -> int:
    """Write the reminder due today for one document and e-mail it (the task of its upload).
    Returns how many messages were sent."""
    document = (
        SupplierDocument.objects.select_related("organization").filter(pk=document_id).first()
    )
    if document is None:
        return 0
    document_reminder_write(document=document, today=today_of(document.organization))
    pending = DocumentReminder.objects.filter(document=document, emailed_at__isnull=True)
    return sum(
        document_reminder_email(reminder_id=pk) for pk in pending.values_list("pk", flat=True)
    )
