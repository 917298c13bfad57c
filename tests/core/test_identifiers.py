"""Organization identifiers: check digits and normalization (pregon.core.identifiers)."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from pregon.core.identifiers import (
    cnpj_with_check_digits,
    id_is_valid,
    normalize_id,
    rut_with_check_digit,
    scheme_is_valid,
)

# The conftest's autouse fixture clears the cache, which lives in the database by default.
pytestmark = pytest.mark.django_db

RUT_BODIES = st.integers(min_value=1, max_value=999_999_999)
CNPJ_BASES = st.text(alphabet="0123456789", min_size=12, max_size=12)
SCHEMES = st.sampled_from(["CL-RUT", "BR-CNPJ", "US-EIN", "MX-RFC", "XI-LEI", "CO-RUE", "AR-CUIT"])
WEIGHTS_1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
WEIGHTS_2 = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def remainders(cnpj: str) -> tuple[int, int]:
    """The two weighted sums modulo 11 that the CNPJ check digits come from."""
    first = sum(int(d) * w for d, w in zip(cnpj[:12], WEIGHTS_1, strict=True)) % 11
    second = sum(int(d) * w for d, w in zip(cnpj[:13], WEIGHTS_2, strict=True)) % 11
    return first, second


def one_digit_changed(data: st.DataObject, value: str, alphabet: str, last: str) -> str:
    """`value` with one of its characters (never the dash) replaced by a different one."""
    positions = [i for i, char in enumerate(value) if char != "-"]
    position = data.draw(st.sampled_from(positions))
    choices = last if position == len(value) - 1 else alphabet
    replacement = data.draw(st.sampled_from([c for c in choices if c != value[position]]))
    return value[:position] + replacement + value[position + 1 :]


# ---------------------------------------------------------------------------------------------
# Chile: RUT


@given(RUT_BODIES)
@example(1).via("smallest body")
@example(999_999_999).via("largest body")
def test_every_rut_built_with_its_check_digit_validates(body: int) -> None:
    rut = rut_with_check_digit(body)
    assert id_is_valid("CL-RUT", rut)
    assert normalize_id("CL-RUT", rut) == rut


@given(RUT_BODIES)
def test_a_rut_as_people_write_it_normalizes_to_the_canonical_form(body: int) -> None:
    rut = rut_with_check_digit(body)
    digits, check = rut.split("-")
    written = f" {int(digits):,}".replace(",", ".") + "-" + check.lower() + " "
    assert normalize_id("CL-RUT", written) == rut
    assert normalize_id("CL-RUT", "000" + rut) == rut


@given(RUT_BODIES, st.data())
def test_changing_any_single_digit_of_a_rut_invalidates_it(body: int, data: st.DataObject) -> None:
    rut = rut_with_check_digit(body)
    changed = one_digit_changed(data, rut, alphabet="0123456789", last="0123456789K")
    assert not id_is_valid("CL-RUT", changed)


@pytest.mark.parametrize(
    "value", ["76086428-5", "76086428-K", "7608642-85", "76086428", "K-1", "0-0", "", "\uff11-9"]
)
def test_malformed_ruts(value: str) -> None:
    assert id_is_valid("CL-RUT", value) is (value == "76086428-5")


# ---------------------------------------------------------------------------------------------
# Brazil: CNPJ


@given(CNPJ_BASES)
@example("000000000000").via("all zeros")
@example("112223330001").via("a real-looking base")
def test_every_cnpj_built_with_its_check_digits_validates(base: str) -> None:
    cnpj = cnpj_with_check_digits(base)
    assert len(cnpj) == 14
    assert cnpj[:12] == base
    # Only the all-zero number has all digits equal; the register never issues such numbers.
    assert id_is_valid("BR-CNPJ", cnpj) is (base != "0" * 12)


@given(CNPJ_BASES, st.data())
def test_changing_any_single_digit_of_a_cnpj_invalidates_it(base: str, data: st.DataObject) -> None:
    cnpj = cnpj_with_check_digits(base)
    assume(base != "0" * 12)
    changed = one_digit_changed(data, cnpj, alphabet="0123456789", last="0123456789")
    if id_is_valid("BR-CNPJ", changed):
        # The official algorithm maps remainders 0 and 1 to the same check digit, 0, so a change
        # that moves both weighted sums between those two remainders goes unseen. Nothing else
        # does: a changed check digit is always caught.
        assert changed[12:] == cnpj[12:]
        for before, after in zip(remainders(cnpj), remainders(changed), strict=True):
            assert {before, after} <= {0, 1}


def test_the_known_blind_spot_of_the_cnpj_algorithm() -> None:
    # Documented so nobody "fixes" the validator into refusing numbers the register issued.
    assert id_is_valid("BR-CNPJ", "10822852601200")
    assert id_is_valid("BR-CNPJ", "10822852801200")


@given(CNPJ_BASES)
def test_a_cnpj_as_people_write_it_normalizes(base: str) -> None:
    cnpj = cnpj_with_check_digits(base)
    written = f"{cnpj[:2]}.{cnpj[2:5]}.{cnpj[5:8]}/{cnpj[8:12]}-{cnpj[12:]}"
    assert normalize_id("BR-CNPJ", written) == cnpj


def test_digits_of_other_scripts_are_not_digits() -> None:
    # Arabic-Indic digits match \\d in Python; an identifier holds ASCII digits only.
    arabic = "".join(chr(0x0660 + int(d)) for d in cnpj_with_check_digits("112223330001"))
    assert normalize_id("BR-CNPJ", arabic) == ""
    assert not id_is_valid("BR-CNPJ", arabic)
    assert not id_is_valid("US-EIN", "١٢-٣٤٥٦٧٨٩")


# ---------------------------------------------------------------------------------------------
# every scheme


@given(SCHEMES, st.text())
@example("CL-RUT", "05").via("a body of zeros")
@example("US-EIN", " 12 3456789 ").via("an EIN with spaces")
@example("MX-RFC", " ßtr ").via("a letter whose capital is two letters")
def test_normalize_id_is_idempotent(scheme: str, text: str) -> None:
    once = normalize_id(scheme, text)
    assert normalize_id(scheme, once) == once


@pytest.mark.parametrize(
    ("scheme", "identifier", "valid"),
    [
        ("US-EIN", "12-3456789", True),
        ("US-EIN", "123456789", False),
        ("MX-RFC", "ABC010101AB1", True),
        ("MX-RFC", "ABCD010101AB1", True),
        ("MX-RFC", "AB010101AB1", False),
        ("XI-LEI", "5493001KJTIIGC8Y1R12", True),
        ("XX-OTHER", "ABC/123 45", True),
        ("XX-OTHER", "-ABC", False),
        ("XX-OTHER", "", False),
    ],
)
def test_other_schemes(scheme: str, identifier: str, valid: bool) -> None:
    assert id_is_valid(scheme, identifier) is valid


@pytest.mark.parametrize(
    ("scheme", "valid"),
    [
        ("CL-RUT", True),
        ("GB-COH", True),
        ("XI-LEI", True),
        ("RUT", False),
        ("cl-rut", False),
        ("CL-", False),
        ("CHL-RUT", False),
    ],
)
def test_scheme_shape(scheme: str, valid: bool) -> None:
    assert scheme_is_valid(scheme) is valid
