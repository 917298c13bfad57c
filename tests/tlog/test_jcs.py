"""RFC 8785 canonical JSON: the RFC's own examples, what is accepted, and what is refused."""

from __future__ import annotations

import json
import struct
from collections import OrderedDict
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pregon.tlog.errors import CanonicalizationError
from pregon.tlog.jcs import canonical_bytes, canonicalize_text

# RFC 8785 section 3.2.4 (input) and section 3.2.4's canonical output.
RFC_INPUT = r"""{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"""
RFC_OUTPUT = (
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
    '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
).encode()


def test_rfc_8785_example_document() -> None:
    # The example's first number has more digits than a double holds: RFC 8785 rounds it, and
    # the default exact mode refuses it instead.
    assert canonicalize_text(RFC_INPUT, exact_numbers=False) == RFC_OUTPUT
    assert canonicalize_text(RFC_INPUT.encode(), exact_numbers=False) == RFC_OUTPUT
    with pytest.raises(CanonicalizationError, match=r"333333333\.33333329"):
        canonicalize_text(RFC_INPUT)
    exact_input = RFC_INPUT.replace("333333333.33333329", "333333333.3333333")
    assert canonicalize_text(exact_input) == RFC_OUTPUT


def test_rfc_8785_property_sorting_by_utf16_code_units() -> None:
    document = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    order = list(json.loads(canonical_bytes(document)))
    assert order == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


@pytest.mark.parametrize(
    ("ieee_hex", "expected"),
    [  # RFC 8785 appendix B
        ("0000000000000000", "0"),
        ("8000000000000000", "0"),
        ("0000000000000001", "5e-324"),
        ("7fefffffffffffff", "1.7976931348623157e+308"),
        ("4340000000000000", "9007199254740992"),
        ("4430000000000000", "295147905179352830000"),
        ("44b52d02c7e14af6", "1e+23"),
        ("444b1ae4d6e2ef50", "1e+21"),
        ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
        ("3eb0c6f7a0b5ed8d", "0.000001"),
        ("41b3de4355555554", "333333333.33333325"),
        ("becbf647612f3696", "-0.0000033333333333333333"),
        ("43143ff3c1cb0959", "1424953923781206.2"),
    ],
)
def test_rfc_8785_number_serialization(ieee_hex: str, expected: str) -> None:
    (number,) = struct.unpack(">d", bytes.fromhex(ieee_hex))
    assert canonical_bytes(number) == expected.encode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("12.50"), b"12.5"),
        (Decimal("100"), b"100"),
        (Decimal("1E+2"), b"100"),
        (Decimal("-0"), b"0"),
        (Decimal("0.1"), b"0.1"),
        (Decimal("1234567.89"), b"1234567.89"),
        (Decimal("1E+22"), b"1e+22"),
    ],
)
def test_decimals_that_a_double_holds_exactly_are_accepted(value: Decimal, expected: bytes) -> None:
    assert canonical_bytes(value) == expected
    assert canonical_bytes({"amount": value}) == b'{"amount":' + expected + b"}"


@pytest.mark.parametrize(
    "value",
    [
        Decimal("0.1000000000000000000001"),
        Decimal("12345678901234567891"),
        Decimal("1e400"),
        Decimal("1e-400"),
        Decimal("NaN"),
        Decimal("Infinity"),
    ],
)
def test_decimals_a_double_would_round_are_refused(value: Decimal) -> None:
    with pytest.raises(CanonicalizationError):
        canonical_bytes(value)


def test_integers_beyond_the_safe_range_must_be_exact_doubles() -> None:
    assert canonical_bytes(2**53 - 1) == b"9007199254740991"
    assert canonical_bytes(-(2**53 - 1)) == b"-9007199254740991"
    assert canonical_bytes(2**53) == b"9007199254740992"
    assert canonical_bytes(10**22) == b"1e+22"
    assert canonical_bytes(295147905179352830000) == b"295147905179352830000"
    for value in (2**53 + 1, -(2**53) - 1, 10**30 + 1):
        with pytest.raises(CanonicalizationError, match="string"):
            canonical_bytes(value)


def test_rounding_mode_reads_every_number_as_a_double() -> None:
    assert canonicalize_text(
        "[9007199254740993, 0.1000000000000000000001]", exact_numbers=False
    ) == (b"[9007199254740992,0.1]")


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        float("-inf"),
        {1: "integer key"},
        {"set": {1, 2}},
        b"bytes",
        "lone \ud800 surrogate",
        {"lone \udc00 surrogate key": 1},
        object(),
    ],
)
def test_values_without_a_canonical_form_are_refused(value: Any) -> None:
    with pytest.raises(CanonicalizationError):
        canonical_bytes(value)


def test_tuples_and_any_mapping_are_json() -> None:
    value = OrderedDict([("b", (1, 2)), ("a", True)])
    assert canonical_bytes(value) == b'{"a":true,"b":[1,2]}'


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',
        '{"a": NaN}',
        "[Infinity]",
        "[-Infinity]",
        "{'a': 1}",
        "[1,]",
        "\ufeff[1]",
        b"[\xff]",
        b'"\xed\xa0\x80"',  # a surrogate encoded in UTF-8 is not UTF-8
        '"\\ud800"',  # an escaped lone surrogate parses, but is not Unicode text
        "[9007199254740993]",
        "[0.1000000000000000000001]",
        "[1e400]",
    ],
)
def test_text_input_is_parsed_as_ijson(text: str | bytes) -> None:
    with pytest.raises(CanonicalizationError):
        canonicalize_text(text)


def test_deeply_nested_documents_are_refused_cleanly() -> None:
    with pytest.raises(CanonicalizationError):
        canonicalize_text("[" * 100_000 + "]" * 100_000)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53 - 1), 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=30,
)


def read_as_double(text: str) -> int | float:
    return int(text) if abs(int(text)) < 2**53 else float(text)


@settings(max_examples=200, deadline=None)
@given(value=json_values)
def test_canonical_bytes_are_a_fixed_point_and_preserve_the_value(value: Any) -> None:
    canonical = canonical_bytes(value)
    assert canonicalize_text(canonical) == canonical
    # Read numbers the way JSON consumers do: as doubles once past the safe integer range.
    assert json.loads(canonical, parse_int=read_as_double) == value
    # Whitespace and member order in the source text do not matter.
    assert canonicalize_text(json.dumps(value, indent=2, ensure_ascii=True)) == canonical


@settings(max_examples=100, deadline=None)
@given(items=st.dictionaries(st.text(), st.integers(-1000, 1000), min_size=2, max_size=8))
def test_member_order_does_not_change_the_bytes(items: dict[str, int]) -> None:
    reordered = dict(reversed(list(items.items())))
    assert canonical_bytes(items) == canonical_bytes(reordered)
