"""`pregon bids`: the operator's tools for sealed bids.

    pregon bids purge-uploads [--dry-run]   delete abandoned uploads of encrypted documents

An upload is abandoned when no bid took it over, it is older than
PREGON_BID_UPLOAD_MAX_AGE_HOURS and its tender's deadline has passed (see
`bids/services/upload_purge.py`). The task worker deletes each one when its time comes; this
command is the safety net (run it daily from cron). It is idempotent.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from pregon.bids.services import UploadPurge, bid_uploads_purge
from pregon.bids.services.upload_purge import bid_uploads_abandoned, upload_max_age
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.choices import Channel


class Command(BaseCommand):
    help = "Operator's tools for sealed bids: delete abandoned uploads of encrypted documents."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        purge = actions.add_parser(
            "purge-uploads",
            help="Delete the uploads no bid took over, once old enough and past their "
            "tender's deadline, with their files.",
        )
        purge.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say what would be deleted.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._purge(dry_run=options["dry_run"])

    def _purge(self, *, dry_run: bool) -> None:
        hours = int(upload_max_age().total_seconds() // 3600)
        self.stdout.write(
            ngettext(
                "Abandoned uploads: no bid took them over, they are older than %(hours)d hour "
                "and their tender's deadline has passed.",
                "Abandoned uploads: no bid took them over, they are older than %(hours)d hours "
                "and their tender's deadline has passed.",
                hours,
            )
            % {"hours": hours}
        )
        total = bid_uploads_abandoned(now=clock.db_now()).count()
        # A bar only on a terminal: cron's mail gets the summary alone.
        with tqdm(
            total=total,
            unit=_("uploads"),
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
            leave=False,
        ) as bar:
            done = bid_uploads_purge(
                actor=Actor.system(channel=Channel.COMMAND), dry_run=dry_run, progress=bar.update
            )
        self.stdout.write(self._summary(done, dry_run=dry_run))

    def _summary(self, done: UploadPurge, *, dry_run: bool) -> str:
        uploads = ngettext(
            "%(count)d abandoned upload", "%(count)d abandoned uploads", done.uploads
        ) % {"count": done.uploads}
        tenders = ngettext("%(count)d tender", "%(count)d tenders", done.tenders) % {
            "count": done.tenders
        }
        files = ngettext(
            "%(count)d leftover file that no upload names",
            "%(count)d leftover files that no upload names",
            done.leftover_files,
        ) % {"count": done.leftover_files}
        values = {
            "uploads": uploads,
            "size": filesizeformat(done.bytes),
            "tenders": tenders,
            "files": files,
        }
        if dry_run:
            return (
                _("Would delete %(uploads)s (%(size)s) of %(tenders)s, and %(files)s.") % values
                + "\n"
                + _("Nothing was deleted (--dry-run).")
            )
        return _("Deleted %(uploads)s (%(size)s) of %(tenders)s, and %(files)s.") % values
