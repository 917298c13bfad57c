"""Messages of the client in the user's language, without Django.

The client's messages are in the project's catalogs (``pregon/locale/*/LC_MESSAGES/django.po``,
compiled to ``.mo`` at set-up), so they are translated once with the rest of the interface;
they are read here with the standard library's ``gettext``. ``activate`` picks the language
(the ``pregon`` command passes the terminal's); until then messages are in English.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Final

LOCALE_DIR: Final = Path(__file__).resolve().parent.parent / "locale"

#: Where the language is read from, first set wins (POSIX precedence), as for every command.
LANGUAGE_VARIABLES: Final = ("PREGON_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

#: The platform's languages: the catalog directory of each, by language code.
CATALOGS: Final = {"es": "es", "fr": "fr", "pt-br": "pt_BR"}

_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def language_from(environ: Mapping[str, str]) -> str:
    """The platform language of a POSIX locale (``es_CO.UTF-8`` -> ``es``); ``en`` otherwise."""
    for name in LANGUAGE_VARIABLES:
        value = environ.get(name, "")
        if value:
            base = value.split(".")[0].split("@")[0].replace("_", "-").lower().split("-")[0]
            # Portuguese is Brazil's here, the variant of the Americas.
            code = "pt-br" if base == "pt" else base
            return code if code in CATALOGS else "en"
    return "en"


def activate(language: str | None = None) -> str:
    """Speak ``language`` (default: the terminal's); return the language now active."""
    global _translations, _language  # noqa: PLW0603  (one language per process, as Django's)
    chosen = language or language_from(os.environ)
    directory = CATALOGS.get(chosen)
    if directory is None:
        _translations, _language = _gettext.NullTranslations(), "en"
        return _language
    _translations = _gettext.translation(
        "django", localedir=LOCALE_DIR, languages=[directory], fallback=True
    )
    _language = chosen
    return _language


def active_language() -> str:
    """The language messages are in now (``en`` until ``activate``)."""
    return _language


def gettext(message: str) -> str:
    """``message`` in the active language (itself when the catalog lacks it)."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message, as the active language counts."""
    return _translations.ngettext(singular, plural, count)


_ = gettext
