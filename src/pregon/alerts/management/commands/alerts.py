"""`pregon alerts deliver|digest|remind|reindex`: the alerts' periodic work, for cron.

- `deliver`: send every due notice (a safety net: the task worker sends them as they come,
  and retries failures by itself); every few minutes.
- `digest`: send the daily digests; once a day.
- `remind`: remind the followers of the tenders whose deadline is near; every hour.
- `reindex`: rebuild the subscriptions' matching index (after suppliers' sizes change, or a change of how text is
  stemmed); by hand.

Each is idempotent: run twice, or beside the worker, it sends nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pregon.alerts.services import (
    deadline_reminders_schedule,
    deliveries_send,
    digests_send,
    subscriptions_reindex,
    tender_notices_send,
)


class Command(BaseCommand):
    help = (
        "Alerts: `deliver` sends the due notices, `digest` the daily digests, `remind` the "
        "deadline reminders; `reindex` rebuilds the matching index."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="action", required=True)
        subcommands.add_parser("deliver", help="send every due notice (e-mails, webhooks)")
        subcommands.add_parser("digest", help="send the daily digests")
        subcommands.add_parser("remind", help="remind followers of tenders closing soon")
        subcommands.add_parser("reindex", help="rebuild the subscriptions' matching index")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "reindex":
            count = subscriptions_reindex()
            self.stdout.write(self.style.SUCCESS(f"reindexed {count} subscriptions"))
            return
        if action == "remind":
            written = deadline_reminders_schedule()
            result = tender_notices_send()
            self.stdout.write(f"reminders written: {written}")
        elif action == "digest":
            result = digests_send()
        else:
            result = deliveries_send()
            result.add(tender_notices_send())
        line = f"sent: {result.sent}, failed attempts: {result.failed}"
        if result.retry_at is not None:
            line += f", next retry at {result.retry_at.isoformat()}"
        self.stdout.write(self.style.SUCCESS(line))
