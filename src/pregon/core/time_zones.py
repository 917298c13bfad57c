"""Time zones: the one an organization's dates are set in, and how a moment reads in a zone.

The platform stores and publishes every moment in UTC. People read a moment in a named zone
with its offset from UTC at that moment ("10 Dec 2026, 15:00 (America/Belize, UTC-06:00)"),
so that nobody has to guess whose afternoon "3 p.m." is: a tender's dates in its buyer's zone,
everything else in the zone the page is shown in (the platform's `TIME_ZONE` unless a page
chose another).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pydantic import AfterValidator

# The zone most of each country's people live in, for the countries the platform serves (the
# Americas and the countries whose languages it speaks). A country with several zones
# (Brazil, Mexico, Canada, the United States) gets its most populous one; an organization
# elsewhere in the country sets its own. Countries not listed read in the platform's zone.
COUNTRY_TIME_ZONES: dict[str, str] = {
    "AG": "America/Antigua",
    "AR": "America/Argentina/Buenos_Aires",
    "BB": "America/Barbados",
    "BO": "America/La_Paz",
    "BR": "America/Sao_Paulo",
    "BS": "America/Nassau",
    "BZ": "America/Belize",
    "CA": "America/Toronto",
    "CL": "America/Santiago",
    "CO": "America/Bogota",
    "CR": "America/Costa_Rica",
    "CU": "America/Havana",
    "DM": "America/Dominica",
    "DO": "America/Santo_Domingo",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "FR": "Europe/Paris",
    "GD": "America/Grenada",
    "GT": "America/Guatemala",
    "GY": "America/Guyana",
    "HN": "America/Tegucigalpa",
    "HT": "America/Port-au-Prince",
    "JM": "America/Jamaica",
    "KN": "America/St_Kitts",
    "LC": "America/St_Lucia",
    "MX": "America/Mexico_City",
    "NI": "America/Managua",
    "PA": "America/Panama",
    "PE": "America/Lima",
    "PR": "America/Puerto_Rico",
    "PT": "Europe/Lisbon",
    "PY": "America/Asuncion",
    "SR": "America/Paramaribo",
    "SV": "America/El_Salvador",
    "TT": "America/Port_of_Spain",
    "US": "America/New_York",
    "UY": "America/Montevideo",
    "VC": "America/St_Vincent",
    "VE": "America/Caracas",
}

# U+2212, the minus sign: a hyphen before an offset reads as a dash in running text.
_MINUS = "\u2212"


@cache
def _known_zones() -> frozenset[str]:
    # "localtime" is the machine's own zone where the system database has it, and "Factory" a
    # placeholder that reads "-00": neither is a place an organization is in.
    return frozenset(zoneinfo.available_timezones() - {"localtime", "Factory"})


def time_zone_is_known(name: str) -> bool:
    """Whether `name` is a zone of the IANA time zone database ("America/Belize")."""
    return name in _known_zones()


def validate_time_zone(value: str) -> None:
    """Refuse a name that is not a zone of the IANA database (a model field's validator)."""
    if not time_zone_is_known(value):
        raise ValidationError(
            _("%(value)s is not a time zone; give its IANA name, such as America/Santiago."),
            code="invalid_time_zone",
            params={"value": value},
        )


# Zones of the platform's countries that lie outside the "America/" part of the database: Chile's
# Easter Island, Ecuador's Galápagos, Spain's Canaries, Portugal's Madeira and Azores; and UTC.
_ZONES_ELSEWHERE = frozenset(
    {
        "Atlantic/Azores",
        "Atlantic/Canary",
        "Atlantic/Madeira",
        "Pacific/Easter",
        "Pacific/Galapagos",
        "UTC",
    }
)


def zone_names(*, also: str = "") -> list[str]:
    """The zones an organization chooses its own from, sorted: every zone of the Americas, the
    other zones of the countries the platform serves, and `also` (a zone already chosen, kept
    selectable wherever it is)."""
    names = {name for name in _known_zones() if name.startswith("America/")}
    names |= _ZONES_ELSEWHERE | set(COUNTRY_TIME_ZONES.values())
    if also and time_zone_is_known(also):
        names.add(also)
    return sorted(names)


def zone_choices(country: str = "", *, also: str = "") -> list[tuple[str, str]]:
    """The choices of a form's time zone field: first "" for the main zone of the country (named
    when `country` is given), then `zone_names`, each with its offset from UTC now."""
    if country:
        default = _("The main zone of the country: %(zone)s") % {
            "zone": zone_note(country_time_zone(country))
        }
    else:
        default = _("The main zone of the country")
    return [("", default), *((name, zone_note(name)) for name in zone_names(also=also))]


def country_time_zone(country: str) -> str:
    """The zone an organization of `country` (an ISO 3166 code) reads its dates in by default."""
    return COUNTRY_TIME_ZONES.get(country.upper(), settings.TIME_ZONE)


def _zone(name: str) -> dt.tzinfo:
    """The zone called `name`; the page's current zone for an empty or unknown name."""
    if name and time_zone_is_known(name):
        return zoneinfo.ZoneInfo(name)
    return timezone.get_current_timezone()


def _zone_name(zone: dt.tzinfo) -> str:
    return str(getattr(zone, "key", None) or zone.tzname(None) or "UTC")


def utc_offset(moment: dt.datetime) -> str:
    """An aware moment's offset from UTC as people write it: "UTC-06:00" (with a minus sign,
    U+2212, not a hyphen), "UTC+05:30"."""
    offset = moment.utcoffset() or dt.timedelta(0)
    sign = _MINUS if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def utc_iso(moment: dt.datetime) -> str:
    """The moment in UTC for machines ("2026-12-10T21:00:00Z"), as the API and OCDS write it."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A moment a client sent, in UTC: one without an offset is read in the platform's zone.

    Python takes offsets up to a day and the years 1 to 9999 whatever the offset; PostgreSQL
    refuses offsets beyond 15:59 and SQLite compares text, so every moment is stored in UTC.
    A moment that leaves those years once in UTC is refused (a ValueError, which the API
    answers as a 422 problem).
    """
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError as error:
        raise ValueError("the moment is out of range once in UTC") from error


#: A moment an API client sends, stored in UTC (see `as_utc`).
UtcMoment = Annotated[dt.datetime, AfterValidator(as_utc)]


def zone_note(zone_name: str = "", *, at: dt.datetime | None = None) -> str:
    """A zone with its offset at a moment (now by default): "America/Belize (UTC-06:00)"."""
    zone = _zone(zone_name)
    local = (at or timezone.now()).astimezone(zone)
    return _("%(zone)s (%(offset)s)") % {"zone": _zone_name(zone), "offset": utc_offset(local)}


def moment_text(
    moment: dt.datetime, zone_name: str = "", format_name: str = "DATETIME_FORMAT"
) -> str:
    """A moment as people read it, in the active language, in a zone it names.

    "10 Dec 2026, 15:00 (America/Belize, UTC-06:00)". An empty or unknown `zone_name` means
    the page's current zone (settings.TIME_ZONE unless a page activated another).
    """
    zone = _zone(zone_name)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    local = moment.astimezone(zone)
    return _("%(moment)s (%(zone)s, %(offset)s)") % {
        "moment": date_format(local, format_name),
        "zone": _zone_name(zone),
        "offset": utc_offset(local),
    }
