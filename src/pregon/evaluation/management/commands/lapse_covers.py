"""`pregon lapse_covers`: record a pass for every right to cover the best offer whose deadline
has passed without an answer, and complete its lot's evaluation.

Each deadline is scheduled on the task queue when the right is offered; this command is the
safety net behind those tasks (run it from cron, e.g. every five minutes). It is idempotent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from pregon.evaluation.services.cover_deadline import covers_lapse_due


class Command(BaseCommand):
    help = "Record a pass for every right to cover whose deadline has passed (safe to run at any time)."

    def handle(self, *args: Any, **options: Any) -> None:
        lapsed = covers_lapse_due()
        self.stdout.write(
            ngettext(
                "%(count)d right to cover lapsed: its deadline passed without an answer.",
                "%(count)d rights to cover lapsed: their deadlines passed without an answer.",
                lapsed,
            )
            % {"count": lapsed}
        )
