"""The award criteria as bidders read them: the published price formulas, their arithmetic, and
the text that describes a tender's criteria (the tender page, and `awardCriteriaDetails` in
its OCDS release, in the tender's language).

The two price formulas, with W the weight of the price criterion, P the bid's price and L the
lowest price among the compliant bids of the same lot (0 < L ≤ P):

* `proportional`: points = W × L ÷ P. The lowest price gets W points; a price twice the lowest
  gets W ÷ 2; no price gets 0.
* `linear`: points = W × (1 − (P − L) ÷ L), and 0 when that is negative. The lowest price gets
  W points; each 1 % above the lowest costs 1 % of W; twice the lowest or more gets 0.

Points are rounded once, at the end, to two decimal places (half up). Each lot is scored on its
own: L is the lowest price of that lot's compliant bids. Quality criteria are scored by the
evaluation committee, from 0 to their weight. The same definitions are in
docs/evaluation-and-contracts.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pregon.tenders.choices import (
    CRITERIA_TOTAL_WEIGHT,
    AwardCriteria,
    CriterionKind,
    PriceScoring,
)

#: Points are published and compared with two decimal places.
POINTS_QUANTUM = Decimal("0.01")


def price_points(method: str, *, weight: int, price: Decimal, lowest: Decimal) -> Decimal:
    """The points the price criterion gives a bid: `method` is a `PriceScoring` code, `weight`
    the price criterion's weight, `price` the bid's price and `lowest` the lowest price among
    the compliant bids of its lot. Rounded to two decimals, half up.

    Raises ValueError for a price or lowest price that is not positive, a price below the
    lowest, or an unknown method: each is a mistake of the caller, never a score.
    """
    if lowest <= 0 or price <= 0:
        raise ValueError("prices must be positive")
    if price < lowest:
        raise ValueError("the price cannot be below the lowest price")
    w = Decimal(weight)
    if method == PriceScoring.PROPORTIONAL:
        points = w * lowest / price
    elif method == PriceScoring.LINEAR:
        points = max(Decimal(0), w * (1 - (price - lowest) / lowest))
    else:
        raise ValueError(f"unknown price scoring method {method!r}")
    return points.quantize(POINTS_QUANTUM, rounding=ROUND_HALF_UP)


def price_formula_text(method: str) -> str:
    """The formula of a price scoring method, in words, in the active language."""
    if method == PriceScoring.PROPORTIONAL:
        return _(
            "Price points = W × L ÷ P, where W is the weight of the price criterion, L the "
            "lowest price among the compliant bids of the lot and P the bid's price. The lowest "
            "price gets all W points; a price twice the lowest gets half of them."
        )
    if method == PriceScoring.LINEAR:
        return _(
            "Price points = W × (1 − (P − L) ÷ L), and 0 when that is negative, where W is the "
            "weight of the price criterion, L the lowest price among the compliant bids of the "
            "lot and P the bid's price. The lowest price gets all W points; each 1% above the "
            "lowest costs 1% of them; twice the lowest price or more gets 0."
        )
    raise ValueError(f"unknown price scoring method {method!r}")


@dataclass(frozen=True, kw_only=True)
class CriterionLine:
    """One weighted criterion as the summary names it."""

    name: str
    kind: str
    weight: int


def award_criteria_text(
    award_criteria: str, *, price_scoring: str = "", criteria: Sequence[CriterionLine] = ()
) -> str:
    """The award criteria and the price formula in words, in the active language: what a
    bidder needs to know how its offer will be compared."""
    if award_criteria == AwardCriteria.PRICE_ONLY:
        return _("Lowest price: each lot is awarded to the compliant bid with the lowest price.")
    parts = [
        ngettext(
            "%(name)s: %(weight)s point",
            "%(name)s: %(weight)s points",
            criterion.weight,
        )
        % {"name": criterion.name, "weight": criterion.weight}
        + (" " + (_("(price)") if criterion.kind == CriterionKind.PRICE else _("(quality)")))
        for criterion in criteria
    ]
    lines = [
        _("Weighted criteria, %(total)s points in all: %(criteria)s.")
        % {"total": CRITERIA_TOTAL_WEIGHT, "criteria": "; ".join(parts)},
    ]
    if price_scoring:
        lines.append(price_formula_text(price_scoring))
    lines.append(
        _(
            "Points are rounded to two decimal places. The evaluation committee gives each "
            "quality criterion from 0 to its weight in points. Each lot is awarded to the "
            "compliant bid with the most points."
        )
    )
    return " ".join(lines)
