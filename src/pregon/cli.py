"""The `pregon` command: Django's management commands, plus tools that need no database.

pregon serve | demo | migrate | check --deploy | <any manage.py command>
pregon ocds compile|validate|flatten|package ...   (works on files, no database needed)
pregon keys generate --out FILE                    (a committee member's key; no database needed)
pregon keys open-shares --tender OCID --key-file FILE ...   (a member's shares at an opening)
pregon bid submit|replace|withdraw|receipt ...     (sealed bids through the API; no database)

Commands speak the terminal's language when the platform has it: ``PREGON_LANGUAGE`` if set
(``es``, ``pt-br``, ``fr``, ``en``), else the POSIX locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``, e.g. ``es_CO.UTF-8``); otherwise ``LANGUAGE_CODE``.
"""

from __future__ import annotations

import os
import sys

#: Where the language of command output is read from, first set wins (POSIX precedence).
LANGUAGE_VARIABLES = ("PREGON_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def terminal_language(environ: dict[str, str] | os._Environ[str]) -> str | None:
    """The platform language matching the terminal's locale, or None (``C``, unknown, unset)."""
    # Imported here, not at the top: `pregon ocds` starts without loading Django.
    from django.utils.translation import get_supported_language_variant  # noqa: PLC0415

    for name in LANGUAGE_VARIABLES:
        value = environ.get(name, "")
        if value:
            code = value.split(".")[0].split("@")[0].replace("_", "-").lower()
            try:
                return get_supported_language_variant(code)
            except LookupError:
                return None
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["ocds"]:
        # The OCDS toolkit is framework-free: do not load Django (or need a database) for it,
        # and load the toolkit only for it, so the other commands do not pay for its import.
        from pregon.ocds.cli import main as ocds_main  # noqa: PLC0415

        return ocds_main(args[1:])
    if args[:1] == ["bid"] or args[:2] == ["keys", "open-shares"]:
        # Sealed bids and the opening talk to an instance over HTTP: no Django, no database.
        from pregon.client.cli import bid_main, open_shares_main  # noqa: PLC0415

        return bid_main(args[1:]) if args[0] == "bid" else open_shares_main(args[2:])
    if args[:1] == ["keys"]:
        # A committee member's key is made on their own machine: no Django, settings or database.
        from pregon.sealing.cli import main as keys_main  # noqa: PLC0415

        return keys_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregon.settings")
    # Django is imported only here, past the `pregon ocds` branch: a fast cold start for it.
    import django  # noqa: PLC0415
    from django.core.management import execute_from_command_line  # noqa: PLC0415
    from django.utils import translation  # noqa: PLC0415

    django.setup()
    language = terminal_language(os.environ)
    if language is not None:
        translation.activate(language)  # commands that must not translate deactivate it again
    execute_from_command_line(["pregon", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
