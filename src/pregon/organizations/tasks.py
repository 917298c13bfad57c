"""Background work of organizations. Tasks take ids and are thin, idempotent wrappers over
`reminders` (the module that enqueues them, `services_documents`, imports this one, never the
other way round)."""

from __future__ import annotations

from django.tasks import task

from pregon.organizations.emails import consortium_invite_notify
from pregon.organizations.reminders import (
    document_remind,
    document_reminders_schedule,
    document_reminders_send,
)


@task()
def remind_document(document_id: int) -> int:
    """E-mail the reminder due today for one held document (enqueued at its upload for the day
    each threshold is reached); nothing when none is due or it was sent."""
    return document_remind(document_id=document_id)


@task()
def remind_documents() -> dict[str, int]:
    """Write and e-mail every reminder due today (the safety net, run by the command)."""
    written = document_reminders_schedule()
    return {"written": written, "sent": document_reminders_send()}


@task()
def consortium_invite(member_id: int) -> int:
    """E-mail an invitation into a consortium to the invited member's people (once)."""
    return consortium_invite_notify(member_id=member_id)
