"""`pregon close_due_quick_quotes`: close every open quick quote whose closing time has passed.

Each quick quote's close is scheduled on the task queue for its closing time when it is
published; this command is the safety net behind those tasks (run it from cron, e.g. every
five minutes, next to `close_due_tenders`). It is idempotent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from pregon.quotes.services import quick_quotes_close_due


class Command(BaseCommand):
    help = "Close every open quick quote whose closing time has passed (safe to run at any time)."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = quick_quotes_close_due()
        self.stdout.write(
            ngettext(
                "Closed %(count)d quick quote past its closing time.",
                "Closed %(count)d quick quotes past their closing time.",
                closed,
            )
            % {"count": closed}
        )
