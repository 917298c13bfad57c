"""The packs' quick-quote rules: the OCDS method and the longest time open each one states."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pregon import rules
from pregon.rules import PackDataError, Period
from pregon.rules.loading import pack_parse
from pregon.rules.model import QuickQuoteRule

PACKS = Path(rules.__file__).parent / "packs"


def quick(code: str, key: str) -> QuickQuoteRule:
    found = rules.pack(f"{code}@2026.1").rule(key)
    assert isinstance(found, QuickQuoteRule)
    return found


def test_each_pack_maps_its_quick_quotes_to_an_ocds_method() -> None:
    assert quick("CL", "compra_agil").ocds_method == "limited"
    assert quick("BR", "dispensa.goods_services").ocds_method == "direct"
    assert quick("BR", "dispensa.works").ocds_method == "direct"
    assert quick("US", "micro_purchase").ocds_method == "direct"
    assert quick("GENERIC", "quick_quote").ocds_method == "limited"


def test_the_generic_pack_bounds_the_time_open() -> None:
    assert quick("GENERIC", "quick_quote").max_closing == Period(days=30)
    assert quick("CL", "compra_agil").max_closing is None


def test_an_unknown_ocds_method_is_refused() -> None:
    data = tomllib.loads((PACKS / "generic" / "2026.1.toml").read_text("utf-8"))
    data["quick_quote"][0]["ocds_method"] = "open"
    with pytest.raises(PackDataError, match="ocds_method"):
        pack_parse(data, source="test")
