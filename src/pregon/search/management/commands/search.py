"""`pregon search reindex`: rebuild the search index from the published records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pregon.search.services import search_reindex


class Command(BaseCommand):
    help = "Search index maintenance. `reindex` rebuilds it from the published records."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="action", required=True)
        subcommands.add_parser("reindex", help="rebuild the index from the published records")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"indexed {done}/{total} records")

        result = search_reindex(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"reindexed: {result.records} records, {result.documents} documents")
        )
