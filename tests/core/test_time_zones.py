"""Time zones: an organization's zone, and how a moment reads in a named zone."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from pregon.core import time_zones
from pregon.demo.organizations import BUYERS, OVERSIGHT
from tests import factories
from tests.test_translations import compile_catalogs

DEADLINE = dt.datetime(2026, 12, 10, 21, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("locale")
    compile_catalogs(target)
    return target


@pytest.fixture
def fresh_catalogs(settings: Any, compiled: Path) -> None:
    """Read the catalogs as committed, not .mo files that may be stale."""
    settings.LOCALE_PATHS = [compiled]


def test_every_country_zone_is_a_zone_of_the_iana_database() -> None:
    for country, name in time_zones.COUNTRY_TIME_ZONES.items():
        assert time_zones.time_zone_is_known(name), country


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("CL", "America/Santiago"),
        ("BR", "America/Sao_Paulo"),  # Curitiba, São Paulo, Rio: the most populous zone
        ("BZ", "America/Belize"),
        ("bz", "America/Belize"),
        ("MX", "America/Mexico_City"),
    ],
)
def test_a_country_s_main_zone(country: str, expected: str) -> None:
    assert time_zones.country_time_zone(country) == expected


def test_a_country_not_listed_reads_in_the_platform_s_zone(settings: Any) -> None:
    settings.TIME_ZONE = "America/Bogota"
    assert time_zones.country_time_zone("NZ") == "America/Bogota"


@pytest.mark.parametrize("name", ["America/Belize", "UTC", "Europe/Lisbon"])
def test_iana_names_are_valid(name: str) -> None:
    time_zones.validate_time_zone(name)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "Mars/Olympus_Mons",
        "america/belize",
        "../../etc/passwd",
        "GMT+3 ",
        "localtime",
        "Factory",
    ],
)
def test_other_names_are_refused(name: str) -> None:
    with pytest.raises(ValidationError) as info:
        time_zones.validate_time_zone(name)
    assert info.value.code == "invalid_time_zone"


@pytest.mark.django_db
def test_an_organization_reads_in_its_own_zone_or_its_country_s() -> None:
    chile = factories.BuyerFactory(country="CL")
    brazil = factories.BuyerFactory(country="BR")
    belize = factories.BuyerFactory(country="BZ")
    manaus = factories.BuyerFactory(country="BR", time_zone="America/Manaus")
    assert [o.effective_time_zone for o in (chile, brazil, belize, manaus)] == [
        "America/Santiago",
        "America/Sao_Paulo",
        "America/Belize",
        "America/Manaus",
    ]


@pytest.mark.django_db
def test_an_organization_s_zone_must_be_an_iana_name() -> None:
    buyer = factories.BuyerFactory(country="BZ", time_zone="Belize time")
    with pytest.raises(ValidationError) as info:
        buyer.full_clean()
    assert list(info.value.message_dict) == ["time_zone"]


def test_each_demo_buyer_reads_in_the_zone_its_tenders_are_written_for() -> None:
    # The demo writes each buyer's deadlines at its local hours (spec.timezone); its pages read
    # them in the organization's zone, which is its country's.
    for spec in (OVERSIGHT, *BUYERS):
        assert time_zones.country_time_zone(spec.country) == spec.timezone, spec.key


@pytest.mark.parametrize(
    ("zone", "language", "expected"),
    [
        ("America/Belize", "en", "10 Dec 2026, 15:00 (America/Belize, UTC\u221206:00)"),
        ("America/Santiago", "en", "10 Dec 2026, 18:00 (America/Santiago, UTC\u221203:00)"),
        (
            "America/Sao_Paulo",
            "pt-br",
            "10 de dezembro de 2026 às 18:00 (horário de America/Sao_Paulo, UTC\u221203:00)",
        ),
        (
            "America/Belize",
            "es",
            "10 de diciembre de 2026 a las 15:00 (hora de America/Belize, UTC\u221206:00)",
        ),
        ("Asia/Kolkata", "fr", "11 décembre 2026 02:30 (heure de Asia/Kolkata, UTC+05:30)"),
        ("UTC", "en", "10 Dec 2026, 21:00 (UTC, UTC+00:00)"),
    ],
)
def test_a_moment_reads_in_a_named_zone_with_its_offset(
    fresh_catalogs: None, zone: str, language: str, expected: str
) -> None:
    with translation.override(language):
        assert time_zones.moment_text(DEADLINE, zone) == expected


def test_the_offset_follows_daylight_saving_time() -> None:
    july = dt.datetime(2027, 7, 10, 21, 0, tzinfo=dt.UTC)
    with translation.override("en"):
        assert time_zones.moment_text(july, "America/Santiago") == (
            "10 Jul 2027, 17:00 (America/Santiago, UTC\u221204:00)"
        )


def test_no_zone_means_the_page_s_zone() -> None:
    with translation.override("en"):
        assert time_zones.moment_text(DEADLINE) == (
            "10 Dec 2026, 18:00 (America/Santiago, UTC\u221203:00)"
        )
        assert time_zones.moment_text(DEADLINE, "Not/A_Zone") == (
            "10 Dec 2026, 18:00 (America/Santiago, UTC\u221203:00)"
        )
        with timezone.override("America/Belize"):
            assert time_zones.moment_text(DEADLINE, "") == (
                "10 Dec 2026, 15:00 (America/Belize, UTC\u221206:00)"
            )
        assert time_zones.zone_note("America/Belize") == "America/Belize (UTC\u221206:00)"


_OFFSET = re.compile(r"UTC([+\u2212])(\d\d):(\d\d)")


@given(
    st.datetimes(
        min_value=dt.datetime(1970, 1, 1),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.just(dt.UTC),
    ),
    st.sampled_from(sorted(time_zones.COUNTRY_TIME_ZONES.values())),
)
def test_the_machine_readable_moment_is_utc_and_the_offset_is_the_zone_s(
    moment: dt.datetime, zone: str
) -> None:
    iso = time_zones.utc_iso(moment)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", iso)
    assert dt.datetime.fromisoformat(iso) == moment.replace(microsecond=0)
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    match = _OFFSET.fullmatch(time_zones.utc_offset(local))
    assert match is not None
    sign = -1 if match[1] == "\u2212" else 1
    written = sign * dt.timedelta(hours=int(match[2]), minutes=int(match[3]))
    assert written == local.utcoffset()
