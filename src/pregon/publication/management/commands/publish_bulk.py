"""`pregon publish_bulk`: write the open-data bulk files now (what the background task does).

Useful after restoring a database, on an instance that runs it from cron instead of after
each publication (PREGON_BULK_AUTO=0), or to see what the files hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pregon.publication.bulk import bulk_files_generate


class Command(BaseCommand):
    help = "Write the bulk files (releases, records, yearly packages, flattened tables) now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=None,
            help="Write here instead of PREGON_DATA_DIR.",
        )

    def handle(self, *args: Any, directory: Path | None, **options: Any) -> None:
        manifest = bulk_files_generate(directory=directory)
        self.stdout.write(
            f"Wrote generation {manifest.generation}: {manifest.releases} releases, "
            f"{manifest.records} records."
        )
        for item in manifest.files:
            self.stdout.write(f"  {item.name:28} {item.size:>12,} bytes  sha256 {item.sha256}")
