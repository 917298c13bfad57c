"""The `pregon` command: Django's management commands, plus tools that need no database.

pregon serve | demo | migrate | check --deploy | <any manage.py command>
pregon ocds compile|validate|flatten|package ...   (works on files, no database needed)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["ocds"]:
        # The OCDS toolkit is framework-free: do not load Django (or need a database) for it.
        from pregon.ocds.cli import main as ocds_main

        return ocds_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregon.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pregon", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
