"""Classification codes for items: CPV and UNSPSC, with names in the four languages.

The catalogue in `data/classifications.json` holds the top levels of both schemes (CPV
divisions, UNSPSC segments) and is what the forms offer; deeper codes are accepted when they
have the scheme's shape, so buyers can be as precise as they need. The catalogue has no name
for a deeper code: pages show its group's name as the group's (`label`), never as its own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_DATA = Path(__file__).parent / "data" / "classifications.json"
_FORMATS = {
    "CPV": re.compile(r"^\d{8}(-\d)?$"),
    "UNSPSC": re.compile(r"^\d{8}$"),
}
LANGUAGES = ("en", "es", "pt", "fr")
# What each scheme calls the top-level group a deeper code is shown under.
_WITHIN_GROUP = {
    "CPV": _("Within division %(code)s: %(name)s"),
    "UNSPSC": _("Within segment %(code)s: %(name)s"),
}


@dataclass(frozen=True)
class Classification:
    scheme: str
    code: str
    names: dict[str, str]

    def name(self, language: str | None = None) -> str:
        """The name in `language` (default: the active one), falling back to English."""
        language = (language or get_language() or "en")[:2]
        return self.names.get(language) or self.names["en"]


@cache
def _catalogue() -> dict[str, dict[str, Classification]]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return {
        scheme: {
            entry["code"]: Classification(scheme, entry["code"], entry["names"])
            for entry in entries
        }
        for scheme, entries in raw.items()
    }


def top_level(scheme: str) -> list[Classification]:
    """The catalogue's codes of a scheme, in code order."""
    return sorted(_catalogue().get(scheme, {}).values(), key=lambda c: c.code)


def lookup(scheme: str, code: str) -> Classification | None:
    """The catalogue entry for a code, or for the top-level group it belongs to."""
    entries = _catalogue().get(scheme, {})
    if code in entries:
        return entries[code]
    digits = code.split("-", maxsplit=1)[0]
    # CPV divisions and UNSPSC segments are both named by the first two digits.
    group = digits[:2] + "0" * 6
    for candidate, entry in entries.items():
        if candidate.split("-")[0] == group:
            return entry
    return None


def is_valid(scheme: str, code: str) -> bool:
    """Whether a code has the shape of its scheme and falls in a known top-level group."""
    pattern = _FORMATS.get(scheme)
    return bool(pattern and pattern.fullmatch(code)) and lookup(scheme, code) is not None


def describe(scheme: str, code: str, language: str | None = None) -> str:
    """A name for a code: its own, or its group's (without saying so), or the code itself.

    Pages use `label`, which says when the name is the group's.
    """
    entry = lookup(scheme, code)
    return entry.name(language) if entry else code


def label(scheme: str, code: str) -> str:
    """How a page names a code, in the active language: its own name when the catalogue has
    it; else its group's, said to be the group's ("Within division 18000000-9: Clothing,
    footwear, luggage articles and accessories"); else the code itself."""
    entry = lookup(scheme, code)
    if entry is None:
        return code
    # "45000000" is division 45000000-7 itself, typed without its check digit.
    if entry.code.split("-", maxsplit=1)[0] == code.split("-", maxsplit=1)[0]:
        return entry.name()
    return str(_WITHIN_GROUP.get(scheme, "%(name)s")) % {"code": entry.code, "name": entry.name()}


_LEADING_DIGITS = re.compile(r"\d+")


def descendants_prefix(code: str) -> str:
    """The digits that a code and every code below it start with: its digits without trailing
    zeros, at least two ("45210000-8" -> "4521", "45000000" -> "45"); "" for no digits.

    A filter by classification code finds the code and its descendants this way (the search's
    own index keeps every prefix of a code, `pregon.search.documents.code_significant`).
    """
    digits = _LEADING_DIGITS.match(code.strip())
    value = digits.group() if digits else ""
    trimmed = value.rstrip("0")
    return trimmed if len(trimmed) >= 2 else value[:2]
