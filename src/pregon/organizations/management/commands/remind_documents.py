"""`pregon remind_documents`: e-mail the suppliers whose held documents expire soon.

Each upload enqueues its own reminders for the days they are due
(`PREGON_DOCUMENT_REMINDER_DAYS` before expiry); this command is the safety net behind those
tasks: run it from cron once a day. It is idempotent: at most one reminder per document and
number of days is ever sent, however often it runs.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from pregon.organizations.reminders import document_reminders_schedule, document_reminders_send


class Command(BaseCommand):
    help = "E-mail reminders of the supplier documents that expire soon (safe to run at any time)."

    def handle(self, *args: Any, **options: Any) -> None:
        written = document_reminders_schedule()
        sent = document_reminders_send()
        self.stdout.write(
            ngettext(
                "%(count)d reminder of a document expiring soon was written;",
                "%(count)d reminders of documents expiring soon were written;",
                written,
            )
            % {"count": written}
            + " "
            + ngettext("%(count)d e-mail sent.", "%(count)d e-mails sent.", sent) % {"count": sent}
        )
