"""Worked cases for every rule of every shipped pack, written from the law's text: one module
per pack (`br`, `cl`, `co`, `py`, `us`, `generic`), each a set of tables of the case shapes
below. `tests/rules/test_worked_cases.py` runs them, and checks that every rule of every pack
has at least one case.

Each case names the pack, the rule it exercises (`rule`, the key in the pack; None where the
expected answer is that no rule applies, with `covers` naming the rule whose edge it tests),
the words of the law it comes from (`law`), its inputs, the expected answer, and the words
shown (`shown`: the English explanation, or a part of it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from pregon.rules import Money, Period
from pregon.rules.preferences import BidEntry


def money(amount: str, currency: str) -> Money:
    return Money(amount=Decimal(amount), currency=currency)


def bid(
    name: str,
    price: str,
    *,
    rank: int,
    scale: str | None = "large",
    eligible: bool = True,
    chars: tuple[str, ...] = (),
    score: str | None = None,
) -> BidEntry:
    return BidEntry(
        bid=name,
        price=Decimal(price),
        eligible=eligible,
        scale=scale,
        characteristics=frozenset(chars),
        rank=rank,
        score=None if score is None else Decimal(score),
    )


@dataclass(frozen=True, kw_only=True)
class Case:
    id: str
    pack: str
    rule: str | None
    law: str
    covers: str | None = None

    @property
    def covered(self) -> str:
        key = self.rule or self.covers
        assert key, f"{self.id}: a case names its rule or the rule it covers"
        return key


@dataclass(frozen=True, kw_only=True)
class ScaleCase(Case):
    employees: int | None
    turnover: str | None
    expected: str | None
    shown: str


@dataclass(frozen=True, kw_only=True)
class QuickQuoteCase(Case):
    category: str | None
    value: Money
    rates: dict[str, Decimal] = field(default_factory=dict)
    min_quotes: int | None = None
    notice: Period | None = None
    restriction: str = "none"
    shown: str = ""


@dataclass(frozen=True, kw_only=True)
class PublicationCase(Case):
    method: str
    value: Money | None
    category: str | None = None
    rates: dict[str, Decimal] = field(default_factory=dict)
    days: int | None
    business_days: bool = False
    shown: str = ""


@dataclass(frozen=True, kw_only=True)
class ReservationCase(Case):
    value: Money
    category: str | None = None
    requests: int = 0
    expected_offers: int | None = None
    rates: dict[str, Decimal] = field(default_factory=dict)
    obligation: str
    scales: frozenset[str] = frozenset()
    local_limit: bool = False
    shown: str


@dataclass(frozen=True, kw_only=True)
class QuotaCase(Case):
    category: str
    divisible: bool
    value: Money | None
    share: Decimal | None
    shown: str = ""


@dataclass(frozen=True, kw_only=True)
class SubcontractingCase(Case):
    value: Money | None
    share: Decimal | None
    obligation: str | None
    shown: str = ""


@dataclass(frozen=True, kw_only=True)
class CeilingCase(Case):
    value: Money
    applies: bool
    shown: str


@dataclass(frozen=True, kw_only=True)
class DivideCase(Case):
    value: Money
    lots: int
    required: bool
    rates: dict[str, Decimal] = field(default_factory=dict)
    shown: str = ""


@dataclass(frozen=True, kw_only=True)
class PaymentCase(Case):
    scale: str | None
    days: int | None
    kind: str | None = None
    shown: str = ""


@dataclass(frozen=True, kw_only=True)
class Cover:
    """What the invited bid did: `price` (None: it let the deadline pass), and the outcome:
    the order, or the refusal."""

    price: str | None
    order: tuple[str, ...] = ()
    refused: bool = False
    shown: str = ""


@dataclass(frozen=True, kw_only=True)
class PreferenceCase(Case):
    bids: tuple[BidEntry, ...]
    method: str = "open"
    award_criteria: str = "priceOnly"
    reverse_auction: bool = False
    currency: str
    lot_value: str | None = None
    seed: str = "ocds-213czf-000-00001/lot-1"
    order: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    invited: str | None = None
    shown: tuple[str, ...] = ()
    cover: Cover | None = None


@dataclass(frozen=True, kw_only=True)
class GoalCase(Case):
    group: str
    share: Decimal
    years: int | None = None
    shown: str = ""


@dataclass(frozen=True, kw_only=True)
class ProvisionCase(Case):
    basis: str
    shown: str
