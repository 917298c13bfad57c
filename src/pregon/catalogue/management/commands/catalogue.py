"""`pregon catalogue contracts`: rebuild the public contracts of every supplier's profile from
the published records (for data published before the catalogue existed, or after a restore)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pregon.catalogue.services import public_contracts_rebuild


class Command(BaseCommand):
    help = (
        "Supplier catalogue maintenance. `contracts` rebuilds the contracts shown on the "
        "suppliers' profiles from the published records."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="action", required=True)
        subcommands.add_parser(
            "contracts", help="rebuild the profiles' public contracts from the published records"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"read {done}/{total} records")

        rows = public_contracts_rebuild(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"public contracts on the profiles: {rows}"))
