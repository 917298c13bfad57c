"""Finding a pack: by code and day (`pack`), by a supplier's or buyer's country
(`pack_for_country`), or all of them (`packs`)."""

from __future__ import annotations

import datetime as dt

from pregon.rules.loading import UnknownPack, registry
from pregon.rules.model import Pack

#: The pack for every country without one of its own.
GENERIC = "GENERIC"


def _today() -> dt.date:
    return dt.datetime.now(tz=dt.UTC).date()


def pack(code: str, on: dt.date | None = None) -> Pack:
    """The pack `code` in force on `on` (today when None): its latest version whose first day
    is not after `on`. ``"BR@2026.1"`` names one version exactly, whatever the day (a tender
    keeps the version it was published under). Raises `UnknownPack` for an unknown code or
    version, or a day before the pack's first version."""
    name, _, version = code.strip().partition("@")
    versions = registry().get(name.upper())
    if not versions:
        raise UnknownPack(f"no rule pack {name!r}")
    if version:
        for candidate in versions:
            if candidate.version == version:
                return candidate
        raise UnknownPack(f"no version {version!r} of rule pack {name.upper()!r}")
    day = _today() if on is None else on
    in_force = [candidate for candidate in versions if candidate.effective_from <= day]
    if not in_force:
        raise UnknownPack(f"no version of rule pack {name.upper()!r} is in force on {day}")
    return in_force[-1]


def pack_for_country(country: str, on: dt.date | None = None) -> Pack:
    """The pack of `country` (ISO 3166-1 alpha-2) in force on `on`: the pack listing the
    country, or GENERIC for any other country, or before the country's first version."""
    wanted = country.strip().upper()
    for code, versions in registry().items():
        if code != GENERIC and any(wanted in candidate.countries for candidate in versions):
            try:
                return pack(code, on)
            except UnknownPack:
                break  # the country's pack is not in force yet
    return pack(GENERIC, on)


def packs() -> list[Pack]:
    """Every version of every pack, by code, oldest version first."""
    return [candidate for versions in registry().values() for candidate in versions]
