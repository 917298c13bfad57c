"""The `pregon` command: Django's management commands, plus tools that need no database.

pregon serve | demo | migrate | check --deploy | <any manage.py command>
pregon ocds compile|validate|flatten|package ...   (works on files, no database needed)
pregon keys generate --out FILE                    (a committee member's key; no database needed)
pregon keys open-shares --tender OCID --key-file FILE ...   (a member's shares at an opening)
pregon bid submit|replace|withdraw|receipt ...     (sealed bids through the API; no database)
pregon rules list | show CODE[@VERSION]            (the country rule packs; no database)

Commands speak the terminal's language when the platform has it: ``PREGON_LANGUAGE`` if set
(``es``, ``pt-br``, ``fr``, ``en``), else the POSIX locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``, e.g. ``es_CO.UTF-8``); otherwise ``LANGUAGE_CODE``.
"""

from __future__ import annotations

import os
import sys

#: Where the language of command output is read from, first set wins (POSIX precedence).
LANGUAGE_VARIABLES = ("PREGON_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
#: The platform's languages, as `settings.LANGUAGES` lists them (a test keeps the two equal):
#: written here so that commands without Django (`pregon rules`) speak them too.
PLATFORM_LANGUAGES = ("en", "es", "pt-br", "fr")


def _supported(code: str) -> str | None:
    """The platform language for a language tag: itself, its generic language ("es-co" →
    "es"), or a variant of it ("pt-pt" → "pt-br"); None for any other."""
    if code in PLATFORM_LANGUAGES:
        return code
    generic = code.split("-", maxsplit=1)[0]
    if generic in PLATFORM_LANGUAGES:
        return generic
    return next((lang for lang in PLATFORM_LANGUAGES if lang.startswith(f"{generic}-")), None)


def terminal_language(environ: dict[str, str] | os._Environ[str]) -> str | None:
    """The platform language matching the terminal's locale, or None (``C``, unknown, unset).
    Needs no Django: `pregon rules` uses it before (and without) loading it."""
    for name in LANGUAGE_VARIABLES:
        value = environ.get(name, "")
        if value:
            code = value.split(".")[0].split("@")[0].replace("_", "-").lower()
            return _supported(code)
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
    if args[:1] == ["rules"]:
        # The rule packs are framework-free: no Django, settings or database to read them.
        from pregon.rules.cli import main as rules_main  # noqa: PLC0415

        return rules_main(args[1:], language=terminal_language(os.environ))
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
