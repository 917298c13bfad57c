"""`pregon log`: the operator's tools for this instance's transparency log.

    pregon log keygen [--origin ORIGIN]   a new signing key (for PREGON_LOG_SIGNER_KEY)
    pregon log checkpoint [--force]       sign a checkpoint of the current size now
    pregon log status                     size, latest checkpoint, keys, witnesses

See docs/ledger.md, "Operating the log".
"""

from __future__ import annotations

import base64
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pregon.ledger import keys, selectors, services
from pregon.tlog.checkpoint import format_signer_key, format_verifier_key, generate_signer_key
from pregon.tlog.errors import LedgerError


class Command(BaseCommand):
    help = "Create a signing key, sign a checkpoint, or show the state of the transparency log."
    # keygen is how a production instance without a key gets one: it must run before the
    # check that requires the key passes.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        keygen = actions.add_parser("keygen", help="Print a new signing key and its verifier key.")
        keygen.add_argument(
            "--origin",
            help="The log's origin (default: PREGON_LOG_ORIGIN, or derived from SITE_URL).",
        )
        checkpoint = actions.add_parser("checkpoint", help="Sign a checkpoint of the log now.")
        checkpoint.add_argument(
            "--force",
            action="store_true",
            help="Sign even if the latest checkpoint has the same size (e.g. after adding a key).",
        )
        actions.add_parser("status", help="Show the log's size, checkpoint, keys and witnesses.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "keygen":
            self._keygen(options["origin"] or keys.log_origin())
        elif options["action"] == "checkpoint":
            signed = services.checkpoint_issue(force=options["force"])
            if signed is None:
                self.stdout.write(_("The latest checkpoint already covers the log."))
            else:
                self.stdout.write(signed.note)
        else:
            self._status()

    def _keygen(self, origin: str) -> None:
        try:
            key = generate_signer_key(origin)
        except LedgerError as error:
            raise CommandError(
                _("%(origin)s cannot name a key: %(error)s") % {"origin": origin, "error": error}
            ) from error
        self.stdout.write(
            _("# Secret: set this as PREGON_LOG_SIGNER_KEY; never put it in git or the database.")
        )
        self.stdout.write(format_signer_key(key))
        self.stdout.write(
            _("# Public: publish this verifier key; verifiers and witnesses trust the log with it.")
        )
        self.stdout.write(format_verifier_key(key.verifier))

    def _status(self) -> None:
        size = selectors.log_size()
        self.stdout.write(_("Origin: %(origin)s") % {"origin": keys.log_origin()})
        self.stdout.write(_("Leaves: %(size)d") % {"size": size})
        latest = selectors.checkpoint_latest()
        if latest is None:
            self.stdout.write(_("No checkpoint signed yet."))
        else:
            self.stdout.write(
                _("Latest checkpoint: %(size)d leaves, root %(root)s, signed %(when)s")
                % {
                    "size": latest.size,
                    "root": base64.b64encode(bytes(latest.root_hash)).decode("ascii"),
                    "when": latest.created_at.isoformat(timespec="seconds"),
                }
            )
        for key in keys.verifier_keys():
            self.stdout.write(_("Verifier key: %(key)s") % {"key": format_verifier_key(key)})
        for watched in selectors.watched_logs():
            self.stdout.write(_("Witnessing: %(origin)s") % {"origin": watched.origin})
