"""The hook `evaluation.adjustments`: how a country's rule pack adjusts a lot's ranking, and
explains every adjustment in words.

The evaluation computes the ranking of a lot's qualified bids from the published criteria
(`ranking.rank`); before it is fixed, at the completion of the lot's evaluation, the ranking
passes through every registered adjuster, in the order they were registered. An adjuster takes
the lot and the ranking, and returns the ranking it wants with the list of `Adjustment`s that
explain it. The default, with no adjuster registered, is the identity: no adjustment.

What an adjuster may do, checked here (a breach is a bug of the rule pack, raised as
`AdjustmentRefused`, and the completion rolls back): reorder the bids it was given, never add
nor drop one; and explain every change. An adjuster that changes the order must return at
least one adjustment; every adjustment names its rule and gives its explanation in words. The
adjustments are stored with the ranking, shown on the evaluation report and published.

A rule pack registers its adjuster at start-up, from its `AppConfig.ready`
(`adjustments_register`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal


@dataclass(frozen=True, kw_only=True)
class RankedBid:
    """One qualified bid in a lot's ranking: `bid` the bid's id, `supplier` its organization's
    party id, `scale` its size (`parties[].details.scale`), `total` its points (None for lowest
    price), `rank` its place (1 first)."""

    bid: str
    supplier: str
    scale: str
    price: Decimal
    total: Decimal | None
    received_at: dt.datetime
    rank: int
    # What preferences need of the bidder: whether it may receive them (its declared scale not
    # rejected), and the characteristics it declares (`pregon.rules.model.CHARACTERISTICS`).
    eligible: bool = True
    characteristics: frozenset[str] = frozenset()
    # The bidder's name, for explanations people read.
    bidder: str = ""


@dataclass(frozen=True, kw_only=True)
class Adjustment:
    """One explained change: `rule` a short code of the rule pack's rule, `explanation` what it
    did and why, in words, and `bid` the bid it concerns (its id; "" for the whole ranking).

    A rule pack's adjustment also says its `kind` (``margin_applied``, ``tie_declared``, …),
    every bid it concerns (`bids`) and its explanation in each language the platform speaks
    (`explanations`, by language code: "en", "es", "pt-br", "fr"); `explanation` is then the
    one in the tender's language."""

    rule: str
    explanation: str
    bid: str = ""
    kind: str = ""
    bids: tuple[str, ...] = ()
    explanations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class LotContext:
    """The lot whose ranking is adjusted."""

    ocid: str
    lot: str
    award_criteria: str
    currency: str
    # What the rule packs need: the tender's rule pack (`CODE@VERSION`; "" for none), its
    # method and language, the lot's estimated value, and the answer to a right to cover
    # already given in this lot (None while none was offered).
    pack: str = ""
    method: str = ""
    language: str = "en"
    lot_value: Decimal | None = None
    rates: Mapping[str, Decimal] = field(default_factory=dict)
    cover: CoverAnswer | None = None


@dataclass(frozen=True, kw_only=True)
class CoverAnswer:
    """How the invited bid answered its right to cover: `price` the covering price, None when
    it let it pass (or the deadline passed); the invitation is named by the bid invited, the
    best bid and its price."""

    bid: str
    best_bid: str
    best_price: Decimal
    price: Decimal | None


type Adjuster = Callable[[LotContext, list[RankedBid]], tuple[list[RankedBid], list[Adjustment]]]

_ADJUSTERS: list[Adjuster] = []


class AdjustmentRefused(RuntimeError):
    """An adjuster broke the hook's rules (see the module): a bug, never the committee's doing."""


def adjustments_register(adjuster: Adjuster) -> None:
    """Add a rule pack's adjuster (a second call with the same one is a no-op)."""
    if adjuster not in _ADJUSTERS:
        _ADJUSTERS.append(adjuster)


def adjustments_unregister(adjuster: Adjuster) -> None:
    """Remove an adjuster (a rule pack switched off; tests)."""
    if adjuster in _ADJUSTERS:
        _ADJUSTERS.remove(adjuster)


def adjustments_apply(
    context: LotContext, ranking: list[RankedBid]
) -> tuple[list[RankedBid], list[Adjustment]]:
    """The ranking after every registered adjuster, ranks renumbered 1, 2, …, with every
    adjustment made. With no adjuster: the ranking as given, and no adjustment."""
    current = list(ranking)
    made: list[Adjustment] = []
    for adjuster in _ADJUSTERS:
        proposed, adjustments = adjuster(context, list(current))
        if sorted(b.bid for b in proposed) != sorted(b.bid for b in current):
            raise AdjustmentRefused("an adjuster may reorder the bids, never add or drop one")
        for adjustment in adjustments:
            if not adjustment.rule.strip() or not adjustment.explanation.strip():
                raise AdjustmentRefused("every adjustment names its rule and explains itself")
        changed = [b.bid for b in proposed] != [b.bid for b in current]
        if changed and not adjustments:
            raise AdjustmentRefused("an adjuster changed the ranking without explaining it")
        current = [replace(b, rank=place) for place, b in enumerate(proposed, start=1)]
        made.extend(adjustments)
    return current, made


def stored_explanation(stored: Mapping[str, object], language: str | None) -> str:
    """A stored adjustment's explanation in `language` (a platform code, "pt-br" or "pt" for
    Portuguese), else the one stored in the tender's language."""
    explanations = stored.get("explanations")
    if isinstance(explanations, Mapping) and language:
        code = language.lower()
        for key in (code, "pt-br" if code.startswith("pt") else code.split("-")[0]):
            if key in explanations:
                return str(explanations[key])
    return str(stored.get("explanation", ""))
