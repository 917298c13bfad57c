"""`pregon openapi`: print, write or check the committed OpenAPI document of the JSON API."""

from __future__ import annotations

import difflib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pregon import api


class Command(BaseCommand):
    help = (
        "Print the OpenAPI document of /api/v1/; --write updates src/pregon/openapi.json, "
        "--check fails if the committed file differs from what the code describes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", action="store_true", help="Write the committed snapshot.")
        group.add_argument(
            "--check", action="store_true", help="Exit non-zero when the snapshot is stale."
        )

    def handle(self, *args: Any, write: bool, check: bool, **options: Any) -> None:
        current = api.openapi_text()
        if write:
            api.SNAPSHOT.write_text(current, encoding="utf-8")
            self.stdout.write(f"Wrote {api.SNAPSHOT}")
            return
        if check:
            committed = api.SNAPSHOT.read_text(encoding="utf-8") if api.SNAPSHOT.exists() else ""
            if committed != current:
                diff = difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    current.splitlines(keepends=True),
                    fromfile="src/pregon/openapi.json (committed)",
                    tofile="src/pregon/openapi.json (from the code)",
                    n=2,
                )
                self.stderr.write("".join(list(diff)[:200]))
                raise CommandError(
                    "The OpenAPI snapshot is out of date; run `pregon openapi --write` and "
                    "commit src/pregon/openapi.json."
                )
            self.stdout.write("The OpenAPI snapshot is up to date.")
            return
        self.stdout.write(current, ending="")
