"""The arithmetic of a lot's evaluation, without a database: which prices are abnormally low,
the points of each qualified bid, and the ranking.

* **Abnormally low** (`abnormally_low`): a bid's price more than `percent` % below the mean of
  the other compliant bids' prices in the lot, or more than `percent` % below the lot's
  estimated value when it has one. With P the price, M the mean of the others and E the
  estimate: flagged when P < M × (1 − percent ÷ 100), or P < E × (1 − percent ÷ 100).
* **Points** (`rank`): for weighted criteria, the price points of `tenders.scoring.price_points`
  (L the lowest price among the qualified bids of the lot) plus the committee's quality
  points; for lowest price, no points.
* **Ranking**: lowest price first (lowest price), or most points first (weighted criteria);
  ties go to the bid received first, then to the smaller bid id, so the order never depends on
  the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pregon.tenders.choices import AwardCriteria
from pregon.tenders.scoring import price_points

_HUNDRED = Decimal(100)


def abnormally_low(
    prices: Mapping[str, Decimal], *, percent: Decimal, estimate: Decimal | None = None
) -> set[str]:
    """The keys of the prices that are abnormally low among `prices` (the compliant bids of one
    lot, by key) under the rule of the module's docstring."""
    factor = 1 - percent / _HUNDRED
    flagged: set[str] = set()
    for key, price in prices.items():
        others = [other for name, other in prices.items() if name != key]
        if others and price < sum(others, Decimal(0)) / len(others) * factor:
            flagged.add(key)
        if estimate is not None and estimate > 0 and price < estimate * factor:
            flagged.add(key)
    return flagged


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """A qualified bid of the lot, as ranking needs it: `quality` is the sum of its quality
    points (0 for lowest price)."""

    key: str
    price: Decimal
    received_at: dt.datetime
    quality: Decimal = Decimal(0)


@dataclass(frozen=True, kw_only=True)
class Ranked:
    """A candidate's place: its price points and total (None for lowest price) and its rank."""

    key: str
    price_points: Decimal | None
    total: Decimal | None
    rank: int


def rank(
    candidates: Sequence[Candidate],
    *,
    award_criteria: str,
    price_scoring: str = "",
    price_weight: int = 0,
) -> list[Ranked]:
    """The qualified bids of one lot, scored and ranked (first place first)."""
    if not candidates:
        return []
    if award_criteria == AwardCriteria.PRICE_ONLY:
        ordered = sorted(candidates, key=lambda c: (c.price, c.received_at, c.key))
        return [
            Ranked(key=c.key, price_points=None, total=None, rank=place)
            for place, c in enumerate(ordered, start=1)
        ]
    lowest = min(c.price for c in candidates)
    points = {
        c.key: price_points(price_scoring, weight=price_weight, price=c.price, lowest=lowest)
        for c in candidates
    }
    totals = {c.key: points[c.key] + c.quality for c in candidates}
    ordered = sorted(candidates, key=lambda c: (-totals[c.key], c.received_at, c.key))
    return [
        Ranked(key=c.key, price_points=points[c.key], total=totals[c.key], rank=place)
        for place, c in enumerate(ordered, start=1)
    ]
