"""`pregon witness`: watch other instances' transparency logs and cosign what checks out.

    pregon witness add https://other.example 'other.example/pregon/log+1a2b3c4d+AbC…'
    pregon witness list
    pregon witness remove other.example/pregon/log
    pregon witness run [--loop [--interval SECONDS]]

`run` polls each watched log once (or forever with --loop): verifies its checkpoint, checks it
extends the last one cosigned, cosigns it, and collects that instance's cosignatures of this
log. It exits non-zero when any log failed a check. See docs/ledger.md, "Witnesses".
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from pregon.core.actor import Actor
from pregon.core.errors import DomainError
from pregon.ledger import selectors, services


class Command(BaseCommand):
    help = "Watch other instances' transparency logs as a witness, and cosign their checkpoints."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="Watch another instance's log.")
        add.add_argument("url", help="The other instance's address (or its /log address).")
        add.add_argument("key", help="Its log's verifier key (from /log/public-key, checked).")
        actions.add_parser("list", help="List the watched logs and their last poll.")
        remove = actions.add_parser("remove", help="Stop watching a log (its history stays).")
        remove.add_argument("origin", help="The log's origin, as `witness list` shows it.")
        run = actions.add_parser("run", help="Poll every watched log once and cosign.")
        run.add_argument("--loop", action="store_true", help="Poll again and again.")
        run.add_argument(
            "--interval",
            type=int,
            default=settings.PREGON_LOG_WITNESS_INTERVAL,
            help="Seconds between polls with --loop (default: PREGON_LOG_WITNESS_INTERVAL).",
        )
        run.add_argument("--timeout", type=float, default=30.0, help="Seconds per request.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = Actor.system(channel="command")
        try:
            if options["action"] == "add":
                watched = services.witness_add(actor=actor, url=options["url"], vkey=options["key"])
                self.stdout.write(
                    _("Watching %(origin)s at %(url)s.")
                    % {"origin": watched.origin, "url": watched.url}
                )
            elif options["action"] == "remove":
                watched = services.witness_remove(actor=actor, origin=options["origin"])
                self.stdout.write(_("No longer watching %(origin)s.") % {"origin": watched.origin})
            elif options["action"] == "list":
                self._list()
            else:
                self._run(options)
        except DomainError as error:
            raise CommandError(str(error.message)) from error

    def _list(self) -> None:
        logs = selectors.watched_logs()
        if not logs:
            self.stdout.write(_("No log is watched. Add one with `pregon witness add URL KEY`."))
        for watched in logs:
            latest = selectors.cosignature_issued_latest(origin=watched.origin)
            cosigned = (
                _("last cosigned at %(size)d leaves") % {"size": latest.size}
                if latest is not None
                else _("nothing cosigned yet")
            )
            polled = (
                watched.last_polled_at.isoformat(timespec="seconds")
                if watched.last_polled_at
                else _("never")
            )
            self.stdout.write(f"{watched.origin}  {watched.url}")
            self.stdout.write(
                "  "
                + _("%(cosigned)s; last polled: %(polled)s")
                % {"cosigned": cosigned, "polled": polled}
            )
            if watched.last_error:
                self.stdout.write("  " + _("last error: %(error)s") % {"error": watched.last_error})

    def _run(self, options: dict[str, Any]) -> None:
        first = True
        while True:
            if not options["loop"]:
                failed = self._poll_once(options["timeout"])
                break
            try:
                self._poll_once(options["timeout"], quiet=not first)
            except DatabaseError as error:  # a busy or restarting database: try again next time
                self.stderr.write(
                    _("The poll could not use the database (%(error)s); trying again later.")
                    % {"error": error}
                )
            first = False
            time.sleep(max(options["interval"], 1))
        if failed:
            raise CommandError(
                _("%(count)d watched logs failed a check; see above.") % {"count": failed}
            )

    def _poll_once(self, timeout: float, *, quiet: bool = False) -> int:
        services.checkpoint_issue()  # witnesses of this log find the latest size signed
        results = services.witness_poll_all(timeout=timeout)
        if not results and not quiet:  # said once, not at every poll of a loop
            self.stdout.write(_("No log is watched. Add one with `pregon witness add URL KEY`."))
        failed = 0
        for result in results:
            if not result.ok:
                failed += 1
                self.stderr.write(
                    _("%(origin)s: FAILED: %(error)s")
                    % {"origin": result.origin, "error": result.error}
                )
                continue
            if result.cosigned is not None:
                line = _("%(origin)s: cosigned the checkpoint of %(size)d leaves") % {
                    "origin": result.origin,
                    "size": result.size,
                }
                if result.previous_size is not None:
                    line += " " + _("(consistent with %(size)d)") % {"size": result.previous_size}
            else:
                line = _("%(origin)s: unchanged at %(size)d leaves") % {
                    "origin": result.origin,
                    "size": result.size,
                }
            if result.received:
                line += "; " + _("received %(count)d cosignatures of this log") % {
                    "count": len(result.received)
                }
            self.stdout.write(line)
        return failed
