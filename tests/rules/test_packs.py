"""Reading and finding the packs: the shipped files, versions and days, operators' own packs,
and the checks that refuse a broken pack file."""

from __future__ import annotations

import copy
import datetime as dt
import io
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from pregon.rules import (
    GENERIC,
    Pack,
    PackDataError,
    UnknownPack,
    pack,
    pack_file_load,
    pack_for_country,
    packs,
)
from pregon.rules import cli as rules_cli
from pregon.rules.loading import PACKS_DIR_VARIABLE, pack_parse, registry, registry_build
from pregon.rules.model import LANGUAGES

SHIPPED = resources.files("pregon.rules") / "packs"


def _shipped(code: str) -> dict[str, Any]:
    return tomllib.loads((SHIPPED / code / "2026.1.toml").read_text(encoding="utf-8"))


@pytest.fixture
def fresh_registry() -> Iterator[None]:
    """The registry read again for the test (after it changes PREGON_RULE_PACKS_DIR), and
    again after it."""
    registry.cache_clear()
    yield
    registry.cache_clear()


def test_the_shipped_packs() -> None:
    assert [p.ref for p in packs()] == [
        "BR@2026.1",
        "CL@2026.1",
        "CO@2026.1",
        "GENERIC@2026.1",
        "PY@2026.1",
        "US@2026.1",
    ]
    currencies = {p.code: p.currency for p in packs()}
    assert currencies == {
        "BR": "BRL",
        "CL": "CLP",
        "CO": "COP",
        "GENERIC": "USD",
        "PY": "PYG",
        "US": "USD",
    }


def test_every_rule_has_its_basis_date_and_four_languages() -> None:
    for found in packs():
        for text in (found.name, found.description):
            assert all(text.get(lang) for lang in LANGUAGES)
        for rule in found.rules():
            assert rule.effective_from <= found.effective_from
            assert rule.basis.law or rule.default, rule.key
            for lang in LANGUAGES:
                assert rule.title.get(lang).strip(), (found.ref, rule.key, lang)
                assert rule.explanation.get(lang).strip(), (found.ref, rule.key, lang)
            # The four texts are translations, not copies of the English one.
            assert rule.explanation.es != rule.explanation.en


def test_generic_is_all_neutral_defaults_and_the_countries_are_law() -> None:
    assert all(rule.default for rule in pack(GENERIC).rules())
    for code in ("BR", "CL", "CO", "PY", "US"):
        assert not any(rule.default for rule in pack(code).rules())


def test_pack_by_code_and_version() -> None:
    brazil = pack("BR")
    assert (brazil.code, brazil.version, brazil.ref) == ("BR", "2026.1", "BR@2026.1")
    assert brazil.effective_from == dt.date(2026, 1, 1)
    assert pack("br@2026.1") is brazil
    assert pack("BR", on=dt.date(2026, 1, 1)) is brazil


@pytest.mark.parametrize(
    ("code", "on"),
    [
        ("XX", None),
        ("BR@1999.1", None),
        ("BR", dt.date(2025, 12, 31)),  # before its first version
        ("", None),
    ],
)
def test_unknown_packs(code: str, on: dt.date | None) -> None:
    with pytest.raises(UnknownPack):
        pack(code, on)
    assert issubclass(UnknownPack, LookupError)


@pytest.mark.parametrize(
    ("country", "code"),
    [
        ("BR", "BR"),
        ("cl", "CL"),
        ("CO", "CO"),
        ("PY", "PY"),
        ("US", "US"),
        ("MX", GENERIC),
        ("FR", GENERIC),
        ("", GENERIC),
    ],
)
def test_pack_for_country(country: str, code: str) -> None:
    assert pack_for_country(country).code == code


def test_a_pack_is_immutable() -> None:
    brazil = pack("BR")
    with pytest.raises(AttributeError):
        brazil.version = "2099.1"  # type: ignore[misc]
    assert isinstance(brazil, Pack)
    assert brazil.scale_rule is not None
    with pytest.raises(AttributeError):
        brazil.scale_rule.above = "medium"  # type: ignore[misc]


def test_scale_refuses_negative_figures() -> None:
    with pytest.raises(ValueError, match="negative"):
        pack("BR").scale(employees=-1, annual_turnover=Decimal(1))
    with pytest.raises(ValueError, match="negative"):
        pack("PY").scale(employees=1, annual_turnover=Decimal(-1))


def test_which_packs_compute_a_scale() -> None:
    computed = {p.code: p.scale_is_computed for p in packs()}
    assert computed == {
        "BR": True,
        "CL": False,
        "CO": False,
        "GENERIC": True,
        "PY": True,
        "US": False,
    }


def _write(directory: Path, name: str, data: dict[str, Any]) -> Path:
    path = directory / name
    path.write_text(_toml(data), encoding="utf-8")
    return path


def _toml(data: dict[str, Any], prefix: str = "") -> str:
    """A small TOML writer for the tests (tomllib reads only)."""
    lines, tables = [], []
    for key, value in data.items():
        if isinstance(value, dict) or (
            isinstance(value, list) and value and isinstance(value[0], dict)
        ):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_value(value)}")
    out = "\n".join(lines) + "\n"
    for key, value in tables:
        name = f"{prefix}{key}"
        if isinstance(value, list):
            for item in value:
                out += f"\n[[{name}]]\n" + _toml(item, f"{name}.")
        else:
            out += f"\n[{name}]\n" + _toml(value, f"{name}.")
    return out


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(value)


def test_an_operator_adds_a_country_and_a_new_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_registry: None
) -> None:
    mexico = copy.deepcopy(_shipped("generic"))
    mexico.update(code="MX", version="2027.1", countries=["MX"], currency="MXN")
    _write(tmp_path, "mx-2027.1.toml", mexico)
    brazil = copy.deepcopy(_shipped("br"))
    brazil.update(version="2027.1", effective_from=dt.date(2027, 1, 1))
    brazil["reservation"][0]["value"]["up_to"]["value"] = "90000"
    _write(tmp_path, "br-2027.1.toml", brazil)
    monkeypatch.setenv(PACKS_DIR_VARIABLE, str(tmp_path))

    assert pack_for_country("MX").ref == "MX@2027.1"
    assert pack_for_country("AR").code == GENERIC
    # A tender published in 2026 keeps BR@2026.1; one published in 2027 gets the new version.
    assert pack("BR", on=dt.date(2026, 12, 31)).ref == "BR@2026.1"
    assert pack("BR", on=dt.date(2027, 1, 1)).ref == "BR@2027.1"
    assert pack("BR@2026.1").reservations[0].value.up_to.value == Decimal(80000)  # type: ignore[union-attr]
    assert pack("BR@2027.1").reservations[0].value.up_to.value == Decimal(90000)  # type: ignore[union-attr]
    assert [p.ref for p in packs() if p.code == "BR"] == ["BR@2026.1", "BR@2027.1"]


def test_a_country_pack_not_yet_in_force_leaves_the_generic_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_registry: None
) -> None:
    mexico = copy.deepcopy(_shipped("generic"))
    mexico.update(code="MX", version="2027.1", countries=["MX"], effective_from=dt.date(2027, 1, 1))
    _write(tmp_path, "mx.toml", mexico)
    monkeypatch.setenv(PACKS_DIR_VARIABLE, str(tmp_path))
    assert pack_for_country("MX", on=dt.date(2026, 12, 31)).ref == "GENERIC@2026.1"
    assert pack_for_country("MX", on=dt.date(2027, 1, 1)).ref == "MX@2027.1"


def test_two_packs_cannot_claim_one_country(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_registry: None
) -> None:
    other = copy.deepcopy(_shipped("generic"))
    other.update(code="BR2", countries=["BR"])
    _write(tmp_path, "br2.toml", other)
    monkeypatch.setenv(PACKS_DIR_VARIABLE, str(tmp_path))
    with pytest.raises(PackDataError, match="BR: claimed by packs BR and BR2"):
        packs()


def test_a_missing_operator_directory_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_registry: None
) -> None:
    monkeypatch.setenv(PACKS_DIR_VARIABLE, str(tmp_path / "nowhere"))
    with pytest.raises(PackDataError, match="not a directory"):
        packs()


@pytest.mark.parametrize(("command", "language"), [(["list"], "en"), (["show", "BR"], "fr")])
def test_the_command_says_what_to_do_when_the_packs_cannot_be_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_registry: None,
    command: list[str],
    language: str,
) -> None:
    (tmp_path / "broken.toml").write_text("code = [\n", encoding="utf-8")
    monkeypatch.setenv(PACKS_DIR_VARIABLE, str(tmp_path))
    out, err = io.StringIO(), io.StringIO()
    assert rules_cli.main(command, language=language, out=out, err=err) == 1
    assert out.getvalue() == ""  # not even the header
    expected = {"en": "The rule packs cannot be read: ", "fr": "Les paquets de règles ne peuvent"}
    assert err.getvalue().startswith(expected[language])
    assert "broken.toml" in err.getvalue()
    assert "PREGON_RULE_PACKS_DIR" in err.getvalue()


def test_two_versions_from_one_day_are_refused() -> None:
    brazil = pack("BR")
    other = pack_parse({**_shipped("br"), "version": "2026.2"}, source="test")
    with pytest.raises(PackDataError, match="share a name or a first day"):
        registry_build([brazil, other])
    with pytest.raises(PackDataError, match="share a name or a first day"):
        registry_build([brazil, pack_parse(_shipped("br"), source="again")])


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(_shipped("br"))
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(colour="green"), "unknown field"),
        (lambda d: d["scale"].update(bandz=[]), "unknown field"),
        (lambda d: d["scale"]["title"].pop("fr"), "missing field 'fr'"),
        (lambda d: d["scale"]["title"].update(es="  "), "empty text"),
        (lambda d: d["scale"]["bands"][0].update(scale="tiny"), "unknown scale"),
        (
            lambda d: d["scale"].update(bands=list(reversed(d["scale"]["bands"]))),
            "smallest size up",
        ),
        (lambda d: d["scale"].update(effective_from=dt.date(2026, 6, 1)), "after its pack version"),
        (lambda d: d["scale"]["basis"].update(law=""), "must be marked default"),
        (lambda d: d["quick_quote"][0].update(method="auction"), "unknown method"),
        (lambda d: d["quick_quote"][0].update(category="food"), "unknown category"),
        (lambda d: d["quick_quote"][1].update(key="dispensa.goods_services"), "share a key"),
        (lambda d: d["quota"].update(max_share="1.5"), "a share"),
        (lambda d: d["quota"].update(max_share="lots"), "not a number"),
        (lambda d: d["fictitious_tie"].update(margin="-0.1"), "not below zero"),
        (lambda d: d["reservation"][0].update(obligation="should"), "'obligation' is must or may"),
        (lambda d: d["reservation"][0]["value"].update(below={"value": "1"}), "not both"),
        (lambda d: d.update(code="br"), "bad code"),
        (lambda d: d.update(version="2026 1"), "bad version"),
        (lambda d: d["reservation"][0].pop("key"), "missing field 'key'"),
    ],
)
def test_a_broken_pack_file_is_refused(change: Any, message: str) -> None:
    with pytest.raises(PackDataError, match=message):
        pack_parse(_broken(change), source="broken.toml")


def test_pack_file_load_reads_one_file(tmp_path: Path) -> None:
    path = tmp_path / "br.toml"
    path.write_bytes((SHIPPED / "br" / "2026.1.toml").read_bytes())
    assert pack_file_load(path) == pack("BR@2026.1")
    path.write_text("code = ", encoding="utf-8")
    with pytest.raises(PackDataError, match=r"br\.toml"):
        pack_file_load(path)


def test_the_package_imports_no_web_framework() -> None:
    # The import contract checks the code; this checks what importing it pulls in.
    code = "import sys, pregon.rules.cli, pregon.rules.preferences; print(sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'ninja'}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
