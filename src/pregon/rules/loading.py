"""Reading the packs: one TOML file per pack version, shipped in the wheel under ``packs/``
(``packs/<code>/<version>.toml``), plus the files of ``PREGON_RULE_PACKS_DIR`` when an
operator sets it (their own packs, or new versions of ours). See docs/rule-packs.md for the
fields, and ADR 0017 for why the data is TOML.

Every file is checked when read: an unknown field, a missing text in one of the four languages,
a scale or method the platform does not know, a rule that takes effect after its pack version
does, or two versions of one pack in force from the same day is a `PackDataError`.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from pregon.rules.model import (
    CHARACTERISTICS,
    LANGUAGES,
    SCALES,
    Amount,
    BenefitsCeilingRule,
    DivideOrExplainRule,
    Eligibility,
    FictitiousTieRule,
    GoalRule,
    LegalBasis,
    Pack,
    PaymentTermRule,
    Period,
    PriceEvaluationRule,
    Provision,
    PublicationRule,
    QuickQuoteRule,
    QuotaRule,
    ReservationRule,
    ScaleBand,
    ScaleRule,
    SubcontractingRule,
    Text,
    TieBreakRule,
    TieFactor,
    ValueRange,
)

#: The directory of an operator's own pack files (read once, at the first use of the packs).
PACKS_DIR_VARIABLE = "PREGON_RULE_PACKS_DIR"
#: The procurement methods of the platform (`tenders.choices.Method`) a rule may name.
METHODS = frozenset({"open", "selective", "limited", "direct", "rfq"})
#: The categories of the platform (`tenders.choices.Category`).
CATEGORIES = frozenset({"goods", "works", "services"})

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,15}$")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,31}$")


class UnknownPack(LookupError):
    """No pack has this code, no version of it is in force on that day, or no such version."""


class PackDataError(ValueError):
    """A pack file is not valid; the message names the file and the field."""


class _Table:
    """One TOML table being read: every field must be used, so a typo is an error."""

    def __init__(self, data: Mapping[str, Any], where: str) -> None:
        if not isinstance(data, Mapping):
            raise PackDataError(f"{where}: expected a table")
        self.data = dict(data)
        self.where = where

    def error(self, message: str) -> PackDataError:
        return PackDataError(f"{self.where}: {message}")

    def take(self, key: str, default: Any = ..., kind: type | tuple[type, ...] = object) -> Any:
        if key not in self.data:
            if default is ...:
                raise self.error(f"missing field {key!r}")
            return default
        value = self.data.pop(key)
        if not isinstance(value, kind):
            raise self.error(f"field {key!r} has the wrong type")
        return value

    def table(self, key: str) -> _Table:
        return _Table(self.take(key, kind=dict), f"{self.where}.{key}")

    def optional_table(self, key: str) -> _Table | None:
        value = self.take(key, None, kind=dict)
        return None if value is None else _Table(value, f"{self.where}.{key}")

    def done(self) -> None:
        if self.data:
            raise self.error(f"unknown field(s) {', '.join(sorted(self.data))}")


def _text(table: _Table, key: str) -> Text:
    sub = table.table(key)
    values = {}
    for language in LANGUAGES:
        value = sub.take(language, kind=str).strip()
        if not value:
            raise sub.error(f"empty text in {language!r}")
        values[language] = value
    sub.done()
    return Text(**values)


def _decimal_or_none(table: _Table, key: str) -> Decimal | None:
    raw = table.take(key, None, kind=(str, int))
    if raw is None:
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation as exc:
        raise table.error(f"field {key!r} is not a number") from exc
    if not value.is_finite() or value < 0:
        raise table.error(f"field {key!r} must be a number not below zero")
    return value


def _decimal(table: _Table, key: str) -> Decimal:
    value = _decimal_or_none(table, key)
    if value is None:
        raise table.error(f"missing field {key!r}")
    return value


def _share(table: _Table, key: str) -> Decimal:
    value = _decimal(table, key)
    if value > 1:
        raise table.error(f"field {key!r} is a share: between 0 and 1")
    return value


def _amount(table: _Table, key: str, currency: str) -> Amount | None:
    sub = table.optional_table(key)
    if sub is None:
        return None
    amount = Amount(value=_decimal(sub, "value"), unit=sub.take("unit", currency, kind=str))
    sub.done()
    return amount


def _range(table: _Table, key: str, currency: str) -> ValueRange | None:
    sub = table.optional_table(key)
    if sub is None:
        return None
    bounds = ValueRange(
        above=_amount(sub, "above", currency),
        up_to=_amount(sub, "up_to", currency),
        below=_amount(sub, "below", currency),
    )
    if bounds.up_to is not None and bounds.below is not None:
        raise sub.error("give 'up_to' or 'below', not both")
    sub.done()
    return bounds


def _scales_or_none(table: _Table, key: str) -> frozenset[str] | None:
    values = table.take(key, None, kind=list)
    if values is None:
        return None
    unknown = set(values) - set(SCALES)
    if unknown:
        raise table.error(f"unknown scale(s) {sorted(unknown)}")
    return frozenset(values)


def _scales(table: _Table, key: str, *, required: bool = True) -> frozenset[str]:
    values = _scales_or_none(table, key)
    if values is None:
        if required:
            raise table.error(f"missing field {key!r}")
        return frozenset()
    return values


def _eligibility(table: _Table, key: str) -> Eligibility:
    sub = table.table(key)
    eligibility = Eligibility(
        scales=_scales(sub, "scales"),
        cooperatives=sub.take("cooperatives", False, kind=bool),
        local=sub.take("local", False, kind=bool),
        local_only=sub.take("local_only", False, kind=bool),
        consortia=sub.take("consortia", True, kind=bool),
    )
    sub.done()
    return eligibility


def _period(table: _Table, key: str) -> Period | None:
    sub = table.optional_table(key)
    if sub is None:
        return None
    period = Period(
        days=sub.take("days", kind=int), business_days=sub.take("business_days", False, kind=bool)
    )
    if period.days < 0:
        raise sub.error("'days' cannot be negative")
    sub.done()
    return period


def _method(table: _Table, key: str = "method") -> str:
    method = table.take(key, kind=str)
    if method not in METHODS:
        raise table.error(f"unknown method {method!r} (one of {sorted(METHODS)})")
    return str(method)


def _category(table: _Table) -> str | None:
    category = table.take("category", None, kind=str)
    if category is not None and category not in CATEGORIES:
        raise table.error(f"unknown category {category!r} (one of {sorted(CATEGORIES)})")
    return category


def _common(table: _Table, key: str, pack_from: dt.date) -> dict[str, Any]:
    basis = table.table("basis")
    legal = LegalBasis(law=basis.take("law", kind=str), article=basis.take("article", "", kind=str))
    basis.done()
    default = table.take("default", False, kind=bool)
    if not legal.law and not default:
        raise table.error("a rule without a law must be marked default = true")
    effective_from = table.take("effective_from", pack_from, kind=dt.date)
    if isinstance(effective_from, dt.datetime):
        raise table.error("'effective_from' is a date, not a date and time")
    if effective_from > pack_from:
        raise table.error(
            "a rule cannot take effect after its pack version: publish a new version instead"
        )
    return {
        "key": table.take("key", key, kind=str),
        "title": _text(table, "title"),
        "explanation": _text(table, "explanation"),
        "basis": legal,
        "effective_from": effective_from,
        "default": default,
    }


def _each(data: _Table, section: str) -> Iterable[tuple[_Table, str]]:
    items = data.take(section, [], kind=list)
    for index, item in enumerate(items):
        table = _Table(item, f"{data.where}.{section}[{index}]")
        if "key" not in table.data:
            raise table.error("missing field 'key'")
        yield table, str(table.data["key"])


def _scale_rule(t: _Table, common: dict[str, Any], currency: str) -> ScaleRule:
    bands = []
    for index, raw in enumerate(t.take("bands", [], kind=list)):
        band_table = _Table(raw, f"{t.where}.bands[{index}]")
        scale = band_table.take("scale", kind=str)
        if scale not in SCALES:
            raise band_table.error(f"unknown scale {scale!r}")
        band = ScaleBand(
            scale=scale,
            max_employees=band_table.take("max_employees", None, kind=int),
            max_turnover=_decimal_or_none(band_table, "max_turnover"),
        )
        if band.max_employees is None and band.max_turnover is None:
            raise band_table.error("a band needs 'max_employees' or 'max_turnover'")
        band_table.done()
        bands.append(band)
    above = t.take("above", "large", kind=str)
    if above not in SCALES:
        raise t.error(f"unknown scale {above!r}")
    order = [SCALES.index(b.scale) for b in bands] + [SCALES.index(above)]
    if order != sorted(set(order)):
        raise t.error("bands go from the smallest size up, each size once, 'above' last")
    return ScaleRule(**common, bands=tuple(bands), above=above)


def _tie_break(t: _Table, common: dict[str, Any]) -> TieBreakRule:
    factors = []
    for index, raw in enumerate(t.take("factors", kind=list)):
        f = _Table(raw, f"{t.where}.factors[{index}]")
        characteristics = frozenset(f.take("characteristics", [], kind=list))
        unknown = characteristics - CHARACTERISTICS
        if unknown:
            raise f.error(f"unknown characteristic(s) {sorted(unknown)}")
        factors.append(
            TieFactor(
                key=f.take("key", kind=str),
                title=_text(f, "title"),
                scales=_scales(f, "scales", required=False),
                characteristics=characteristics,
            )
        )
        f.done()
    return TieBreakRule(
        **common, factors=tuple(factors), ends_with_draw=t.take("ends_with_draw", True, kind=bool)
    )


def pack_parse(data: Mapping[str, Any], *, source: str) -> Pack:
    """A `Pack` from the contents of one pack file (`source` names it in errors)."""
    top = _Table(data, source)
    code = top.take("code", kind=str)
    version = top.take("version", kind=str)
    if not _CODE.match(code):
        raise top.error(f"bad code {code!r}: capital letters, digits and _")
    if not _VERSION.match(version):
        raise top.error(f"bad version {version!r}")
    pack_from = top.take("effective_from", kind=dt.date)
    currency = top.take("currency", kind=str)
    countries = frozenset(top.take("countries", [], kind=list))
    fields: dict[str, Any] = {
        "code": code,
        "version": version,
        "effective_from": pack_from,
        "currency": currency,
        "countries": countries,
        "name": _text(top, "name"),
        "description": _text(top, "description"),
        "source": source,
    }

    def single(section: str) -> tuple[_Table, dict[str, Any]] | None:
        table = top.optional_table(section)
        if table is None:
            return None
        return table, _common(table, section, pack_from)

    if found := single("scale"):
        t, common = found
        fields["scale_rule"] = _scale_rule(t, common, currency)
        t.done()
    quick = []
    for t, key in _each(top, "quick_quote"):
        common = _common(t, key, pack_from)
        restriction = t.take("restriction", "none", kind=str)
        if restriction not in ("none", "required", "preferred"):
            raise t.error("'restriction' is none, required or preferred")
        ocds_method = t.take("ocds_method", "limited", kind=str)
        if ocds_method not in ("limited", "direct"):
            raise t.error("'ocds_method' is limited or direct")
        quick.append(
            QuickQuoteRule(
                **common,
                method=_method(t),
                category=_category(t),
                value=_range(t, "value", currency) or ValueRange(),
                min_quotes=t.take("min_quotes", None, kind=int),
                min_notice=_period(t, "min_notice"),
                restriction=restriction,
                eligible=_eligibility(t, "eligible") if "eligible" in t.data else None,
                max_closing=_period(t, "max_closing"),
                ocds_method=ocds_method,
            )
        )
        t.done()
    fields["quick_quotes"] = tuple(quick)
    publication = []
    for t, key in _each(top, "publication"):
        common = _common(t, key, pack_from)
        period = _period(t, "period")
        if period is None:
            raise t.error("missing field 'period'")
        publication.append(
            PublicationRule(
                **common,
                method=_method(t),
                category=_category(t),
                value=_range(t, "value", currency),
                period=period,
            )
        )
        t.done()
    fields["publication"] = tuple(publication)
    reservations = []
    for t, key in _each(top, "reservation"):
        common = _common(t, key, pack_from)
        obligation = t.take("obligation", kind=str)
        condition = t.take("condition", "none", kind=str)
        if obligation not in ("must", "may") or condition not in (
            "none",
            "requests",
            "rule_of_two",
        ):
            raise t.error("'obligation' is must or may; 'condition' none, requests, rule_of_two")
        reservations.append(
            ReservationRule(
                **common,
                obligation=obligation,
                category=_category(t),
                value=_range(t, "value", currency) or ValueRange(),
                condition=condition,
                min_requests=t.take("min_requests", 0, kind=int),
                min_expected_offers=t.take("min_expected_offers", 0, kind=int),
                eligible=_eligibility(t, "eligible"),
                may_limit_to_local=t.take("may_limit_to_local", False, kind=bool),
            )
        )
        t.done()
    fields["reservations"] = tuple(reservations)
    if found := single("quota"):
        t, common = found
        fields["quota"] = QuotaRule(
            **common,
            max_share=_share(t, "max_share"),
            category=t.take("category", "goods", kind=str),
            eligible=_eligibility(t, "eligible"),
        )
        t.done()
    if found := single("subcontracting"):
        t, common = found
        obligation = t.take("obligation", kind=str)
        if obligation not in ("must", "may"):
            raise t.error("'obligation' is must or may")
        fields["subcontracting"] = SubcontractingRule(
            **common,
            obligation=obligation,
            max_share=_share(t, "max_share"),
            eligible=_eligibility(t, "eligible"),
        )
        t.done()
    if found := single("benefits_ceiling"):
        t, common = found
        item_limit = _amount(t, "item_limit", currency)
        if item_limit is None:
            raise t.error("missing field 'item_limit'")
        fields["benefits_ceiling"] = BenefitsCeilingRule(
            **common,
            item_limit=item_limit,
            annual_contracts_limit=_amount(t, "annual_contracts_limit", currency),
        )
        t.done()
    if found := single("fictitious_tie"):
        t, common = found
        fields["fictitious_tie"] = FictitiousTieRule(
            **common,
            margin=_share(t, "margin"),
            auction_margin=_share(t, "auction_margin"),
            auction_cover_minutes=t.take("auction_cover_minutes", None, kind=int),
            cover_days=t.take("cover_days", None, kind=int),
            eligible=_eligibility(t, "eligible"),
        )
        t.done()
    if found := single("price_evaluation"):
        t, common = found
        characteristic = t.take("characteristic", kind=str)
        if characteristic not in CHARACTERISTICS:
            raise t.error(f"unknown characteristic {characteristic!r}")
        methods = frozenset(t.take("methods", kind=list))
        if not methods <= METHODS:
            raise t.error(f"unknown method(s) {sorted(methods - METHODS)}")
        fields["price_evaluation"] = PriceEvaluationRule(
            **common, factor=_share(t, "factor"), characteristic=characteristic, methods=methods
        )
        t.done()
    if found := single("tie_break"):
        t, common = found
        fields["tie_break"] = _tie_break(t, common)
        t.done()
    terms = []
    for t, key in _each(top, "payment_term"):
        common = _common(t, key, pack_from)
        kind = t.take("kind", "term", kind=str)
        if kind not in ("term", "goal"):
            raise t.error("'kind' is term or goal")
        terms.append(
            PaymentTermRule(
                **common,
                days=t.take("days", kind=int),
                scales=_scales_or_none(t, "scales"),
                kind=kind,
            )
        )
        t.done()
    fields["payment_terms"] = tuple(terms)
    if found := single("divide_or_explain"):
        t, common = found
        threshold = _amount(t, "threshold", currency)
        if threshold is None:
            raise t.error("missing field 'threshold'")
        fields["divide_or_explain"] = DivideOrExplainRule(**common, threshold=threshold)
        t.done()
    goals = []
    for t, key in _each(top, "goal"):
        common = _common(t, key, pack_from)
        goals.append(
            GoalRule(
                **common,
                group=t.take("group", kind=str),
                share=_share(t, "share"),
                years=t.take("years", None, kind=int),
            )
        )
        t.done()
    fields["goals"] = tuple(goals)
    provisions = []
    for t, key in _each(top, "provision"):
        provisions.append(Provision(**_common(t, key, pack_from)))
        t.done()
    fields["provisions"] = tuple(provisions)
    top.done()
    pack = Pack(**fields)
    keys = [rule.key for rule in pack.rules()]
    if len(keys) != len(set(keys)):
        raise PackDataError(f"{source}: two rules share a key")
    return pack


def pack_file_load(path: Path | str) -> Pack:
    """One pack version from a TOML file (an operator testing a new pack uses this)."""
    path = Path(path)
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise PackDataError(f"{path}: {exc}") from exc
    return pack_parse(data, source=str(path))


def _shipped() -> list[Pack]:
    found = []
    root = resources.files("pregon.rules") / "packs"
    for directory in sorted(root.iterdir(), key=lambda p: p.name):
        if not directory.is_dir():
            continue
        for entry in sorted(directory.iterdir(), key=lambda p: p.name):
            if entry.name.endswith(".toml"):
                source = f"pregon/rules/packs/{directory.name}/{entry.name}"
                data = tomllib.loads(entry.read_text(encoding="utf-8"))
                found.append(pack_parse(data, source=source))
    return found


def _operator(directory: str) -> list[Pack]:
    root = Path(directory)
    if not root.is_dir():
        raise PackDataError(f"{PACKS_DIR_VARIABLE}={directory}: not a directory")
    return [pack_file_load(path) for path in sorted(root.rglob("*.toml"))]


def registry_build(found: Iterable[Pack]) -> dict[str, tuple[Pack, ...]]:
    """The packs by code, each code's versions oldest first; two versions with one `ref`, or
    in force from the same day, or two packs claiming one country, are an error."""
    by_code: dict[str, list[Pack]] = {}
    for pack in found:
        by_code.setdefault(pack.code, []).append(pack)
    registry: dict[str, tuple[Pack, ...]] = {}
    for code, versions in sorted(by_code.items()):
        versions.sort(key=lambda p: p.effective_from)
        refs = [p.version for p in versions]
        days = [p.effective_from for p in versions]
        if len(set(refs)) != len(refs) or len(set(days)) != len(days):
            sources = ", ".join(p.source for p in versions)
            raise PackDataError(f"{code}: two versions share a name or a first day ({sources})")
        registry[code] = tuple(versions)
    claimed: dict[str, str] = {}
    for code, shelf in registry.items():
        for country in sorted({c for p in shelf for c in p.countries}):
            if claimed.setdefault(country, code) != code:
                raise PackDataError(f"{country}: claimed by packs {claimed[country]} and {code}")
    return registry


@functools.cache
def registry() -> dict[str, tuple[Pack, ...]]:
    """Every pack by code: the shipped ones and those of ``PREGON_RULE_PACKS_DIR``, read once."""
    found = _shipped()
    directory = os.environ.get(PACKS_DIR_VARIABLE, "")
    if directory:
        found += _operator(directory)
    return registry_build(found)
