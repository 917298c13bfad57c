"""`pregon search reindex`: rebuild the search index from the published records (`--if-stale`:
only when some record's latest release is not indexed, as `make run` does at every start)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Exists, OuterRef

from pregon.publication.models import Record
from pregon.search.models import SearchDocument
from pregon.search.services import search_reindex


class Command(BaseCommand):
    help = "Search index maintenance. `reindex` rebuilds it from the published records."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="action", required=True)
        reindex = subcommands.add_parser(
            "reindex", help="rebuild the index from the published records"
        )
        reindex.add_argument(
            "--if-stale",
            action="store_true",
            help="only if a record's latest release is not in the index (else say so and stop)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_stale"] and not _stale():
            self.stdout.write("The search index is up to date: nothing to reindex.")
            return

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"indexed {done}/{total} records")

        result = search_reindex(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"reindexed: {result.records} records, {result.documents} documents")
        )


def _stale() -> bool:
    """Whether a published record is missing from the index or indexed at an older release (a
    database from before the search, or restored from a backup). A record with no tender to
    find has no document and counts as missing: such a database is reindexed at every start."""
    indexed = SearchDocument.objects.filter(ocid=OuterRef("ocid"), last_seq=OuterRef("last_seq"))
    return Record.objects.filter(~Exists(indexed)).exists()
