"""`pregon close_due_tenders`: close every open tender whose deadline has passed.

Each tender's close is scheduled on the task queue for its deadline when it is published or
amended; this command is the safety net behind those tasks (run it from cron, e.g. every
five minutes, and `pregon serve` runs it once at start-up). It is idempotent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from pregon.tenders.services import tenders_close_due


class Command(BaseCommand):
    help = "Close every open tender whose bid deadline has passed (safe to run at any time)."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = tenders_close_due()
        self.stdout.write(
            ngettext(
                "Closed %(count)d tender past its deadline.",
                "Closed %(count)d tenders past their deadline.",
                closed,
            )
            % {"count": closed}
        )
