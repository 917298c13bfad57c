"""Canonical bytes of JSON documents by RFC 8785 (JSON Canonicalization Scheme, JCS).

A release is logged as the JCS bytes of the release exactly as the API serves it, so anyone can
re-derive the leaf from a downloaded copy: the serialization must not depend on key order,
whitespace, escaping or number formatting. The heavy lifting is done by the ``rfc8785`` package;
this module decides what Python values count as JSON and refuses everything whose canonical form
would not denote exactly the value given.

Accepted values:

* ``None``, ``bool``, ``str`` (valid Unicode: lone surrogates are refused);
* ``int``: every integer within the I-JSON safe range ``-(2**53 - 1) .. 2**53 - 1``; beyond it,
  only integers a double holds exactly in its shortest form (``2**53``, ``10**22``); others, such
  as ``2**53 + 1``, are refused because JSON readers hold numbers as IEEE 754 doubles and would
  silently round them (send them as strings, as RFC 8785 section 3.2.2.3 advises);
* finite ``float``, serialized as ECMAScript's ``Number.prototype.toString`` does (``-0.0`` becomes
  ``0``); NaN and infinities are refused;
* finite ``decimal.Decimal`` *only when the nearest double denotes exactly the same number*,
  e.g. ``Decimal("12.50")`` -> ``12.5``; ``Decimal("0.1000000000000000000001")`` is refused rather
  than rounded, because a logged amount that differs from the stored amount defeats the log;
* ``list`` and ``tuple`` (as arrays), and any ``Mapping`` whose keys are all ``str``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import rfc8785

from pregon.tlog.errors import CanonicalizationError

_SAFE_INTEGER = 2**53 - 1

type JSONValue = (
    bool | int | float | Decimal | str | list[Any] | tuple[Any, ...] | Mapping[str, Any] | None
)


def canonical_bytes(value: JSONValue) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of ``value``.

    Raises ``CanonicalizationError`` for anything outside the accepted set (see the module
    docstring), instead of guessing a lossy representation.
    """
    try:
        return rfc8785.dumps(_to_json_model(value))
    except rfc8785.CanonicalizationError as error:
        raise CanonicalizationError(str(error)) from error
    except UnicodeError as error:
        # Lone surrogates in object keys fail while rfc8785 sorts by UTF-16.
        msg = "object key is not valid Unicode"
        raise CanonicalizationError(msg) from error
    except RecursionError as error:
        msg = "document is nested too deeply"
        raise CanonicalizationError(msg) from error


def canonicalize_text(text: str | bytes, *, exact_numbers: bool = True) -> bytes:
    """Parse a JSON text strictly and return its RFC 8785 canonical bytes.

    This is what a verifier applies to each line of a bulk file. Strict means what RFC 8785
    requires of its input (I-JSON, RFC 7493): UTF-8 only, no duplicate member names, no NaN or
    Infinity literals. With ``exact_numbers`` (the default) a number is refused unless its text
    denotes exactly the double it becomes, by the same rule as ``Decimal`` values: a file that
    says ``0.1000000000000000000001`` while the log holds ``0.1`` should fail loudly. Pass
    ``exact_numbers=False`` for RFC 8785's plain behaviour of rounding every number to a double.
    """
    return canonical_bytes(parse_json(text, exact_numbers=exact_numbers))


def parse_json(text: str | bytes, *, exact_numbers: bool = True) -> JSONValue:
    """Parse a JSON text strictly, as ``canonicalize_text`` does, and return the value.

    Numbers with a fraction or exponent come back as ``Decimal`` (with ``exact_numbers``), so
    ``canonical_bytes`` of any part of the value (one release of a package) applies the same
    exactness rule as ``canonicalize_text`` of the whole.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            msg = "JSON text is not valid UTF-8"
            raise CanonicalizationError(msg) from error
    try:
        value: JSONValue = json.loads(
            text,
            object_pairs_hook=_object_without_duplicates,
            parse_constant=_refuse_constant,
            parse_float=Decimal if exact_numbers else float,
            parse_int=_parse_exact_int if exact_numbers else _parse_double_int,
        )
    except json.JSONDecodeError as error:
        msg = f"not a JSON text: {error}"
        raise CanonicalizationError(msg) from error
    except RecursionError as error:
        msg = "document is nested too deeply"
        raise CanonicalizationError(msg) from error
    return value


def _to_json_model(value: object) -> Any:  # Any: rfc8785 keeps its value type private
    """Copy ``value`` into the plain types ``rfc8785`` serializes, checking what it cannot."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _SAFE_INTEGER:
        return _decimal_to_float(Decimal(value))
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return _decimal_to_float(value)
    if isinstance(value, (list, tuple)):
        return [_to_json_model(item) for item in value]
    if isinstance(value, Mapping):
        result: dict[str, object] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                msg = f"object keys must be strings, not {type(key).__name__}"
                raise CanonicalizationError(msg)
            result[key] = _to_json_model(item)
        return result
    msg = f"{type(value).__name__} is not a JSON value"
    raise CanonicalizationError(msg)


def _decimal_to_float(value: Decimal) -> float:
    if not value.is_finite():
        msg = f"{value} is not representable in JSON"
        raise CanonicalizationError(msg)
    number = float(value)
    # repr() gives the shortest digits that round-trip, the same digits JCS writes, so this
    # compares the Decimal with the number the canonical text actually denotes.
    if not math.isfinite(number) or Decimal(repr(number)) != value:
        msg = f"{value} has no exact IEEE 754 double form; send it as a string"
        raise CanonicalizationError(msg)
    return number


def _parse_exact_int(text: str) -> int | Decimal:
    value = int(text)
    # Large integers go through the Decimal rule: kept if a double holds them exactly.
    return value if abs(value) <= _SAFE_INTEGER else Decimal(text)


def _parse_double_int(text: str) -> int | float:
    value = int(text)
    return value if abs(value) <= _SAFE_INTEGER else float(text)


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, item in pairs:
        if key in result:
            msg = f"duplicate member name {key!r}"
            raise CanonicalizationError(msg)
        result[key] = item
    return result


def _refuse_constant(name: str) -> None:
    msg = f"{name} is not valid JSON"
    raise CanonicalizationError(msg)
