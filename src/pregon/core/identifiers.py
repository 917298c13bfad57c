"""Organization identifiers in the org-id.guide style: a scheme (e.g. `CL-RUT`) and an id.

Known schemes get their check digits verified, so a mistyped tax number is caught when the
organization registers rather than when a contract is signed. Other schemes are accepted when
they have the org-id shape (`XX-NAME`), so instances in any country can use their own registers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_SCHEME = re.compile(r"^[A-Z]{2}-[A-Z0-9_]{2,20}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-/ ]{0,62}$")


@dataclass(frozen=True)
class Scheme:
    code: str
    country: str
    name: str


KNOWN_SCHEMES: tuple[Scheme, ...] = (
    Scheme("AR-CUIT", "AR", "Clave Única de Identificación Tributaria"),
    Scheme("BR-CNPJ", "BR", "Cadastro Nacional da Pessoa Jurídica"),
    Scheme("CA-BN", "CA", "Business Number (Canada Revenue Agency)"),
    Scheme("CL-RUT", "CL", "Rol Único Tributario"),
    Scheme("CO-RUE", "CO", "Registro Único Empresarial y Social"),
    Scheme("MX-RFC", "MX", "Registro Federal de Contribuyentes"),
    Scheme("US-EIN", "US", "Employer Identification Number"),
    Scheme("XI-LEI", "", "Legal Entity Identifier (GLEIF)"),
)


def normalize_id(scheme: str, identifier: str) -> str:
    """The canonical form of an id: trimmed, upper case, and for numeric schemes digits only."""
    value = identifier.strip().upper()
    # [0-9], not \d: \d also matches other scripts' digits, which no register issues.
    if scheme == "BR-CNPJ":
        return re.sub(r"[^0-9]", "", value)
    if scheme == "CL-RUT":
        digits = re.sub(r"[^0-9K]", "", value)
        # Leading zeros do not change a RUT's check digit; dropping them keeps one RUT one id.
        return f"{digits[:-1].lstrip('0') or '0'}-{digits[-1]}" if len(digits) > 1 else digits
    if scheme == "US-EIN":
        digits = re.sub(r"[^0-9]", "", value)
        return f"{digits[:2]}-{digits[2:]}" if len(digits) == 9 else value
    return value


def _valid_rut(value: str) -> bool:
    match = re.fullmatch(r"([0-9]{1,9})-([0-9K])", value)
    if not match:
        return False
    body, check = match.groups()
    if int(body) == 0:
        return False
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(body)))
    expected = 11 - total % 11
    digit = {11: "0", 10: "K"}.get(expected, str(expected))
    return digit == check


def _valid_cnpj(value: str) -> bool:
    if not re.fullmatch(r"[0-9]{14}", value) or len(set(value)) == 1:
        return False
    for position in (12, 13):
        weights = list(range(position - 7, 1, -1)) + list(range(9, 1, -1))
        total = sum(int(d) * w for d, w in zip(value[:position], weights, strict=True))
        remainder = total % 11
        if int(value[position]) != (0 if remainder < 2 else 11 - remainder):
            return False
    return True


def _valid_ein(value: str) -> bool:
    return re.fullmatch(r"[0-9]{2}-[0-9]{7}", value) is not None


def _valid_rfc(value: str) -> bool:
    # Companies have 3 letters, individuals 4, then the date and a 3-character homoclave.
    return re.fullmatch(r"[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}", value) is not None


_CHECKS: dict[str, Callable[[str], bool]] = {
    "CL-RUT": _valid_rut,
    "BR-CNPJ": _valid_cnpj,
    "US-EIN": _valid_ein,
    "MX-RFC": _valid_rfc,
}


def scheme_is_valid(scheme: str) -> bool:
    """Whether the scheme has the org-id shape."""
    return _SCHEME.fullmatch(scheme) is not None


def id_is_valid(scheme: str, identifier: str) -> bool:
    """Whether an already normalized id is well-formed for its scheme (check digits included)."""
    check = _CHECKS.get(scheme)
    if check is not None:
        return check(identifier)
    return _ID.fullmatch(identifier) is not None


def rut_with_check_digit(body: int) -> str:
    """A valid Chilean RUT for the given body (used by the demo data and tests)."""
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(str(body))))
    expected = 11 - total % 11
    return f"{body}-" + {11: "0", 10: "K"}.get(expected, str(expected))


def cnpj_with_check_digits(base: str) -> str:
    """A valid CNPJ for a 12-digit base (used by the demo data and tests)."""
    value = base
    for position in (12, 13):
        weights = list(range(position - 7, 1, -1)) + list(range(9, 1, -1))
        remainder = sum(int(d) * w for d, w in zip(value, weights, strict=True)) % 11
        value += str(0 if remainder < 2 else 11 - remainder)
    return value
