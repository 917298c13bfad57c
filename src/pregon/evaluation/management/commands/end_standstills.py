"""`pregon end_standstills`: make final every award whose standstill period is over without a
pending complaint.

Each award's end of standstill is scheduled on the task queue when it is decided (and again
when a dismissed complaint lets it resume); this command is the safety net behind those tasks
(run it from cron, e.g. every five minutes; `pregon serve` runs it once at start-up). It is
idempotent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from pregon.evaluation.services import awards_standstill_end_due


class Command(BaseCommand):
    help = "End every award standstill period whose time has passed (safe to run at any time)."

    def handle(self, *args: Any, **options: Any) -> None:
        ended = awards_standstill_end_due()
        self.stdout.write(
            ngettext(
                "%(count)d award became final: its standstill period is over.",
                "%(count)d awards became final: their standstill period is over.",
                ended,
            )
            % {"count": ended}
        )
