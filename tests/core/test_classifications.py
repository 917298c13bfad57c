"""The classification catalogue: every CPV division and UNSPSC segment, in four languages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from pregon.core import classifications
from tests.test_translations import compile_catalogs

DATA = Path(classifications.__file__).parent / "data" / "classifications.json"

# The 45 divisions of CPV 2008 (Regulation (EC) No 213/2008), by their first two digits.
CPV_DIVISIONS = [
    "03",
    "09",
    "14",
    "15",
    "16",
    "18",
    "19",
    "22",
    "24",
    "30",
    "31",
    "32",
    "33",
    "34",
    "35",
    "37",
    "38",
    "39",
    "41",
    "42",
    "43",
    "44",
    "45",
    "48",
    "50",
    "51",
    "55",
    "60",
    "63",
    "64",
    "65",
    "66",
    "70",
    "71",
    "72",
    "73",
    "75",
    "76",
    "77",
    "79",
    "80",
    "85",
    "90",
    "92",
    "98",
]
# The 57 segments of the current UNSPSC.
UNSPSC_SEGMENTS = [
    "10",
    "11",
    "12",
    "13",
    "14",
    "15",
    "20",
    "21",
    "22",
    "23",
    "24",
    "25",
    "26",
    "27",
    "30",
    "31",
    "32",
    "39",
    "40",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "47",
    "48",
    "49",
    "50",
    "51",
    "52",
    "53",
    "54",
    "55",
    "56",
    "60",
    "64",
    "70",
    "71",
    "72",
    "73",
    "76",
    "77",
    "78",
    "80",
    "81",
    "82",
    "83",
    "84",
    "85",
    "86",
    "90",
    "91",
    "92",
    "93",
    "94",
    "95",
]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("locale")
    compile_catalogs(target)
    return target


@pytest.fixture
def fresh_catalogs(settings: Any, compiled: Path) -> None:
    """Read the catalogs as committed, not .mo files that may be stale."""
    settings.LOCALE_PATHS = [compiled]


@pytest.fixture(scope="module")
def raw() -> dict[str, list[dict]]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def test_the_catalogue_holds_exactly_the_two_schemes(raw: dict) -> None:
    assert sorted(raw) == ["CPV", "UNSPSC"]
    assert len(raw["CPV"]) == 45
    assert len(raw["UNSPSC"]) == 57


@pytest.mark.parametrize("scheme", ["CPV", "UNSPSC"])
def test_every_entry_is_named_in_the_four_languages(raw: dict, scheme: str) -> None:
    for entry in raw[scheme]:
        assert sorted(entry) == ["code", "names"], entry
        assert sorted(entry["names"]) == ["en", "es", "fr", "pt"], entry["code"]
        for language, name in entry["names"].items():
            assert name == name.strip() and len(name) >= 4, (entry["code"], language)


def test_cpv_codes_are_every_division_with_its_check_digit(raw: dict) -> None:
    codes = [entry["code"] for entry in raw["CPV"]]
    assert all(re.fullmatch(r"[0-9]{2}000000-[0-9]", code) for code in codes)
    assert [code[:2] for code in codes] == CPV_DIVISIONS  # every division, once, in order
    assert len(set(codes)) == 45
    # Spot checks against the regulation's own codes.
    assert {"03000000-1", "33000000-0", "45000000-7", "72000000-5", "98000000-3"} <= set(codes)


def test_unspsc_codes_are_every_segment(raw: dict) -> None:
    codes = [entry["code"] for entry in raw["UNSPSC"]]
    assert all(re.fullmatch(r"[0-9]{2}000000", code) for code in codes)
    assert [code[:2] for code in codes] == UNSPSC_SEGMENTS
    assert len(set(codes)) == 57


def test_names_are_the_official_ones_in_each_language() -> None:
    construction = classifications.lookup("CPV", "45000000-7")
    assert construction is not None
    assert construction.names == {
        "en": "Construction work",
        "es": "Trabajos de construcción",
        "pt": "Obras de construção",
        "fr": "Travaux de construction",
    }
    medical = classifications.lookup("UNSPSC", "42000000")
    assert medical is not None
    assert medical.name("en") == "Medical Equipment and Accessories and Supplies"
    assert medical.name("es") == "Equipo Médico, Accesorios y Suministros"


def test_top_level_lists_each_scheme_in_code_order() -> None:
    cpv = classifications.top_level("CPV")
    assert [entry.code[:2] for entry in cpv] == CPV_DIVISIONS
    assert classifications.top_level("UNSPSC")[-1].code == "95000000"
    assert classifications.top_level("NAICS") == []


@pytest.mark.parametrize(
    ("scheme", "code", "language", "expected"),
    [
        ("CPV", "45233141-9", "es", "Trabajos de construcción"),
        ("CPV", "33141310-6", "pt", "Equipamento médico, medicamentos e produtos para cuidados pessoais"),
        ("CPV", "03221000", "fr", "Produits agricoles, de l'élevage, de la pêche, de la sylviculture et produits connexes"),
        ("UNSPSC", "43211507", "en", "Information Technology Broadcasting and Telecommunications"),
        ("UNSPSC", "42132203", "fr", "Équipements, accessoires et fournitures médicaux"),
        ("UNSPSC", "81101500", "es", "Servicios Basados en Ingeniería, Investigación y Tecnología"),
    ],
)  # fmt: skip
def test_deeper_codes_are_described_by_their_group(
    scheme: str, code: str, language: str, expected: str
) -> None:
    entry = classifications.lookup(scheme, code)
    assert entry is not None
    assert entry.code[:2] == code[:2]
    assert classifications.describe(scheme, code, language) == expected
    assert classifications.is_valid(scheme, code)


def test_a_language_without_names_falls_back_to_english() -> None:
    assert classifications.describe("CPV", "72212000-4", "de") == (
        "IT services: consulting, software development, Internet and support"
    )


@pytest.mark.parametrize(
    ("scheme", "code"),
    [
        ("CPV", "99000000-0"),  # no division 99
        ("CPV", "4523314"),  # too short
        ("CPV", "45233141-99"),  # two check digits
        ("UNSPSC", "61000000"),  # no segment 61
        ("UNSPSC", "43211507-1"),  # UNSPSC has no check digit
        ("CPVX", "45000000-7"),  # unknown scheme
    ],
)
def test_codes_outside_the_catalogue_or_out_of_shape_are_refused(scheme: str, code: str) -> None:
    assert not classifications.is_valid(scheme, code)


def test_an_unknown_code_is_described_by_itself() -> None:
    assert classifications.lookup("UNSPSC", "61000000") is None
    assert classifications.describe("UNSPSC", "61000000", "en") == "61000000"


@pytest.mark.parametrize(
    ("scheme", "code", "language", "expected"),
    [
        ("CPV", "18143000-3", "en", "Within division 18000000-9: Clothing, footwear, luggage articles and accessories"),
        ("CPV", "18143000-3", "es", "Dentro de la división 18000000-9: Prendas de vestir, calzado, artículos de viaje y accesorios"),
        ("CPV", "18143000-3", "fr", "Dans la division 18000000-9\u00a0: Vêtements, articles chaussants, bagages et accessoires"),
        ("UNSPSC", "43211507", "pt-br", "Dentro do segmento 43000000: Tecnologia da informação, radiodifusão e telecomunicações"),
        ("CPV", "18000000-9", "en", "Clothing, footwear, luggage articles and accessories"),
        ("CPV", "18000000", "en", "Clothing, footwear, luggage articles and accessories"),
        ("UNSPSC", "43000000", "es", "Difusión de Tecnologías de Información y Telecomunicaciones"),
        ("UNSPSC", "61000000", "en", "61000000"),
    ],
)  # fmt: skip
def test_a_page_says_when_the_name_is_the_group_s(
    fresh_catalogs: None, scheme: str, code: str, language: str, expected: str
) -> None:
    with translation.override(language):
        assert classifications.label(scheme, code) == expected
