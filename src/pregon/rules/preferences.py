"""Preferences and tie rules in a lot's evaluation: what a pack does to the evaluated ranking,
and why, in words.

`apply_preferences` takes the lot's qualified bids in their evaluated order and returns the
adjusted order with every adjustment made, each explained in the four languages with its
figures. It applies, in this order, what the pack has of:

1. **A price-evaluation preference** (United States, HUBZone): in the methods it names and for
   lowest-price lots, the price of every offer from a non-beneficiary is evaluated `factor`
   higher; beneficiaries that then come first move up (``margin_applied``).
2. **A fictitious tie** (Brazil, art. 44): in a lowest-price lot whose best offer is not from a
   beneficiary, beneficiaries' offers up to the margin above it count as tied
   (``tie_declared``), and the best-placed of them is invited to cover the best offer
   (``right_to_cover_offered``; `PreferenceResult.invitation`). The order does not change yet:
   `cover_resolve` decides, given the covering price or a pass (``improved_offer_received``,
   ``right_to_cover_passed``).
3. **Tie-breaking factors** (Colombia, art. 35; GENERIC): bids the evaluation left tied (same
   price, or same points for weighted criteria) are ordered by the factors in turn
   (``tie_broken_by_factor``), then by a reproducible draw (``draw``): each bid's lot is the
   SHA-256 of ``"<seed>:<bid id>"`` (the seed the caller passes, e.g. the tender's ocid and
   lot), lowest first.

A beneficiary is a bid declared `eligible` (valid declarations, not over an annual ceiling)
that meets the rule (its scale, or its characteristic). Above the pack's benefits' ceiling no
preference applies. Every function is pure and deterministic.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from pregon.rules import messages
from pregon.rules.model import (
    CHARACTERISTICS,
    SCALES,
    Eligibility,
    LegalBasis,
    Money,
    Pack,
    Rule,
    Text,
    TieFactor,
)
from pregon.rules.procedures import benefits_apply

type AdjustmentKind = Literal[
    "margin_applied",
    "tie_declared",
    "right_to_cover_offered",
    "improved_offer_received",
    "right_to_cover_passed",
    "tie_broken_by_factor",
    "draw",
]
PRICE_ONLY = "priceOnly"
RATED_CRITERIA = "ratedCriteria"


class CoverRefused(ValueError):
    """A covering offer that the rule does not accept (not below the best offer, or not the
    invited bid); the message says why."""


@dataclass(frozen=True, kw_only=True)
class BidEntry:
    """One qualified bid of the lot as the evaluation ranked it.

    `eligible`: the bidder may receive preferences (its declarations hold; not over an annual
    ceiling). `scale`: its size (for a consortium, that of its largest member).
    `characteristics`: what it declares, from `model.CHARACTERISTICS`. `rank`: its evaluated
    place (1 first, each place once). `score`: its total points (weighted criteria), None for
    lowest price.
    """

    bid: str
    price: Decimal
    eligible: bool
    scale: str | None
    characteristics: frozenset[str] = frozenset()
    rank: int
    score: Decimal | None = None

    def __post_init__(self) -> None:
        if self.scale is not None and self.scale not in SCALES:
            raise ValueError(f"unknown scale {self.scale!r}")
        unknown = self.characteristics - CHARACTERISTICS
        if unknown:
            raise ValueError(f"unknown characteristic(s) {sorted(unknown)}")


@dataclass(frozen=True, kw_only=True)
class RankingInput:
    """A lot's evaluated ranking and what the rules need to know of its procedure: `method`
    (the tender's), `award_criteria` ("priceOnly" or "ratedCriteria"), `reverse_auction`
    (Brazil's pregão), `currency`, the lot's estimated value `lot_value` (for the benefits'
    ceiling), `rates` (units of the pack's figures in `currency`), and the `seed` of the draw
    (e.g. ``"<ocid>/<lot id>"``)."""

    bids: tuple[BidEntry, ...]
    method: str
    award_criteria: str = PRICE_ONLY
    reverse_auction: bool = False
    currency: str
    lot_value: Decimal | None = None
    rates: Mapping[str, Decimal] = field(default_factory=dict)
    seed: str

    def __post_init__(self) -> None:
        ranks = sorted(b.rank for b in self.bids)
        if ranks != list(range(1, len(self.bids) + 1)):
            raise ValueError("ranks are 1, 2, …, each once")
        if len({b.bid for b in self.bids}) != len(self.bids):
            raise ValueError("each bid once")
        if self.award_criteria not in (PRICE_ONLY, RATED_CRITERIA):
            raise ValueError(f"unknown award criteria {self.award_criteria!r}")
        if self.award_criteria == RATED_CRITERIA and any(b.score is None for b in self.bids):
            raise ValueError("weighted criteria: every bid has a score")


@dataclass(frozen=True, kw_only=True)
class Adjustment:
    """One explained adjustment: its `kind`, the `bids` it concerns, the `rule` (key in the
    pack), its legal `basis`, the `pack` (``CODE@VERSION``) and the `explanation` with its
    figures, in the four languages."""

    kind: AdjustmentKind
    bids: tuple[str, ...]
    rule: str
    basis: LegalBasis
    pack: str
    explanation: Text


@dataclass(frozen=True, kw_only=True)
class CoverInvitation:
    """Brazil's right to cover: `bid` is invited to offer less than `best_price` (the offer of
    `best_bid`), within `minutes` (reverse auction) or `days`; both None: by the deadline the
    buyer's notice sets."""

    bid: str
    best_bid: str
    best_price: Decimal
    minutes: int | None
    days: int | None
    rule: str


@dataclass(frozen=True, kw_only=True)
class PreferenceResult:
    """The adjusted `order` (bid ids, first place first), the `adjustments` in the order they
    were made, a pending right-to-cover `invitation` (None when there is none), and the
    `improved` prices received by covering."""

    order: tuple[str, ...]
    adjustments: tuple[Adjustment, ...]
    invitation: CoverInvitation | None
    pack: str
    improved: tuple[tuple[str, Decimal], ...] = ()


# --- helpers -----------------------------------------------------------------------------------
def _percent(share: Decimal) -> str:
    return format((share * 100).normalize(), "f")


def _money(amount: Decimal, currency: str) -> str:
    return f"{currency} {amount:,}"


def _ids(bids: Sequence[BidEntry]) -> str:
    return ", ".join(b.bid for b in bids)


def _adjustment(
    kind: AdjustmentKind,
    pack: Pack,
    rule: Rule,
    concerns: Sequence[str],
    text: Text,
    /,
    **values: str | Text,
) -> Adjustment:
    return Adjustment(
        kind=kind,
        bids=tuple(concerns),
        rule=rule.key,
        basis=rule.basis,
        pack=pack.ref,
        explanation=text.format(rule=rule.title, basis=basis_text(rule), **values),
    )


def basis_text(rule: Rule) -> str | Text:
    """A rule's legal basis as shown to people ("neutral default, no law" when it has none)."""
    return str(rule.basis) if rule.basis.law else messages.NEUTRAL_DEFAULT


def _meets(entry: BidEntry, eligibility: Eligibility) -> bool:
    return entry.eligible and eligibility.admits(
        scale=entry.scale,
        cooperative="cooperative" in entry.characteristics,
        local="local" in entry.characteristics,
    )


def _meets_factor(entry: BidEntry, factor: TieFactor) -> bool:
    return entry.eligible and (
        (entry.scale in factor.scales) or bool(entry.characteristics & factor.characteristics)
    )


def draw_key(seed: str, bid: str) -> str:
    """A bid's lot in a draw: the SHA-256 of ``"<seed>:<bid>"`` in hexadecimal (lowest
    first). Anyone with the seed and the bid ids can repeat the draw."""
    return hashlib.sha256(f"{seed}:{bid}".encode()).hexdigest()


def beneficiary(pack: Pack, entry: BidEntry) -> bool:
    """Whether a bid benefits from any of the pack's preferences or tie-breaking factors."""
    if not entry.eligible:
        return False
    checks: list[bool] = []
    if pack.price_evaluation is not None:
        checks.append(pack.price_evaluation.characteristic in entry.characteristics)
    if pack.fictitious_tie is not None:
        checks.append(_meets(entry, pack.fictitious_tie.eligible))
    if pack.tie_break is not None:
        checks += [_meets_factor(entry, f) for f in pack.tie_break.factors]
    return any(checks)


# --- the steps -----------------------------------------------------------------------------------
def _price_evaluation(
    pack: Pack, ranking: RankingInput, order: list[BidEntry], made: list[Adjustment]
) -> tuple[list[BidEntry], dict[str, Decimal]]:
    """Step 1; returns the order and the evaluated prices."""
    evaluated = {b.bid: b.price for b in order}
    rule = pack.price_evaluation
    if rule is None or ranking.method not in rule.methods or ranking.award_criteria != PRICE_ONLY:
        return order, evaluated
    favoured = {b.bid for b in order if b.eligible and rule.characteristic in b.characteristics}
    if not favoured or len(favoured) == len(order):
        return order, evaluated
    for b in order:
        if b.bid not in favoured:
            evaluated[b.bid] = b.price * (1 + rule.factor)
    position = {b.bid: place for place, b in enumerate(order)}
    adjusted = sorted(order, key=lambda b: (evaluated[b.bid], position[b.bid]))
    if adjusted == order:
        return order, evaluated
    new_position = {b.bid: place for place, b in enumerate(adjusted)}
    promoted = [b for b in adjusted if b.bid in favoured and new_position[b.bid] < position[b.bid]]
    others = [b for b in order if b.bid not in favoured]
    made.append(
        _adjustment(
            "margin_applied",
            pack,
            rule,
            [b.bid for b in promoted + others],
            messages.MARGIN_APPLIED,
            bids=_ids(others),
            promoted=_ids(promoted),
            percent=_percent(rule.factor),
        )
    )
    return adjusted, evaluated


def _fictitious_tie(
    pack: Pack, ranking: RankingInput, order: list[BidEntry], made: list[Adjustment]
) -> CoverInvitation | None:
    """Step 2: the tie and the invitation; the order does not change."""
    rule = pack.fictitious_tie
    if rule is None or ranking.award_criteria != PRICE_ONLY or len(order) < 2:
        return None
    best = order[0]
    if _meets(best, rule.eligible):
        return None  # the best offer is already a beneficiary's: nothing to tie with
    margin = rule.auction_margin if ranking.reverse_auction else rule.margin
    ceiling = best.price * (1 + margin)
    tied = [b for b in order[1:] if _meets(b, rule.eligible) and b.price <= ceiling]
    if not tied:
        return None
    currency = ranking.currency
    made.append(
        _adjustment(
            "tie_declared",
            pack,
            rule,
            [best.bid] + [b.bid for b in tied],
            messages.TIE_DECLARED,
            bids=_ids(tied),
            percent=_percent(margin),
            best=best.bid,
            best_price=_money(best.price, currency),
        )
    )
    invited = tied[0]
    minutes = rule.auction_cover_minutes if ranking.reverse_auction else None
    days = None if ranking.reverse_auction else rule.cover_days
    made.append(
        _adjustment(
            "right_to_cover_offered",
            pack,
            rule,
            [invited.bid],
            messages.COVER_OFFERED,
            bid=invited.bid,
            price=_money(invited.price, currency),
            best_price=_money(best.price, currency),
            deadline=_deadline(minutes, days),
        )
    )
    return CoverInvitation(
        bid=invited.bid,
        best_bid=best.bid,
        best_price=best.price,
        minutes=minutes,
        days=days,
        rule=rule.key,
    )


def _deadline(minutes: int | None, days: int | None) -> Text:
    if minutes is not None:
        return messages.COVER_DEADLINE_MINUTES.format(minutes=minutes)
    if days is not None:
        return messages.COVER_DEADLINE_DAYS.format(days=days)
    return messages.COVER_DEADLINE_NOTICE


def _tie_break(
    pack: Pack,
    ranking: RankingInput,
    order: list[BidEntry],
    evaluated: Mapping[str, Decimal],
    made: list[Adjustment],
) -> list[BidEntry]:
    """Step 3: order each group of tied bids by the factors, then by the draw."""
    rule = pack.tie_break
    if rule is None:
        return order

    def key(b: BidEntry) -> Decimal:
        if ranking.award_criteria == RATED_CRITERIA:
            assert b.score is not None
            return b.score
        return evaluated[b.bid]

    def settle(group: list[BidEntry], factors: tuple[TieFactor, ...]) -> list[BidEntry]:
        if len(group) < 2:
            return group
        if not factors:
            if not rule.ends_with_draw:
                return group
            drawn = sorted(group, key=lambda b: draw_key(ranking.seed, b.bid))
            made.append(
                _adjustment(
                    "draw",
                    pack,
                    rule,
                    [b.bid for b in group],
                    messages.DRAW,
                    bids=_ids(group),
                    order=_ids(drawn),
                    seed=ranking.seed,
                )
            )
            return drawn
        factor, rest = factors[0], factors[1:]
        meeting = [b for b in group if _meets_factor(b, factor)]
        others = [b for b in group if not _meets_factor(b, factor)]
        if not meeting or not others:
            return settle(group, rest)
        made.append(
            _adjustment(
                "tie_broken_by_factor",
                pack,
                rule,
                [b.bid for b in group],
                messages.TIE_BROKEN,
                bids=_ids(group),
                winners=_ids(meeting),
                factor=factor.title,
            )
        )
        return settle(meeting, rest) + settle(others, rest)

    adjusted: list[BidEntry] = []
    start = 0
    while start < len(order):
        end = start + 1
        while end < len(order) and key(order[end]) == key(order[start]):
            end += 1
        adjusted += settle(order[start:end], rule.factors)
        start = end
    return adjusted


def apply_preferences(pack: Pack, ranking: RankingInput) -> PreferenceResult:
    """The lot's ranking after the pack's preferences and tie rules (see the module), with
    every adjustment explained. Above the pack's benefits' ceiling no preference applies:
    the ranking stands."""
    order = sorted(ranking.bids, key=lambda b: b.rank)
    made: list[Adjustment] = []
    value = (
        None
        if ranking.lot_value is None
        else Money(amount=ranking.lot_value, currency=ranking.currency)
    )
    if not benefits_apply(pack, item_value=value, rates=ranking.rates):
        return PreferenceResult(
            order=tuple(b.bid for b in order), adjustments=(), invitation=None, pack=pack.ref
        )
    order, evaluated = _price_evaluation(pack, ranking, order, made)
    invitation = _fictitious_tie(pack, ranking, order, made)
    order = _tie_break(pack, ranking, order, evaluated, made)
    return PreferenceResult(
        order=tuple(b.bid for b in order),
        adjustments=tuple(made),
        invitation=invitation,
        pack=pack.ref,
    )


def cover_resolve(
    pack: Pack,
    ranking: RankingInput,
    *,
    invitation: CoverInvitation,
    covering_price: Decimal | None,
) -> PreferenceResult:
    """The outcome of Brazil's right to cover: the invited bid offered `covering_price`
    (strictly below the best offer: it then comes first) or let the deadline pass (None: the
    ranking stands). `CoverRefused` if `invitation` is not the one `apply_preferences` makes for
    this ranking, or the price does not cover the best offer."""
    before = apply_preferences(pack, ranking)
    if before.invitation != invitation:
        raise CoverRefused("this invitation is not the one the rule makes for this ranking")
    rule = pack.fictitious_tie
    assert rule is not None  # an invitation exists only under a fictitious-tie rule
    made = list(before.adjustments)
    currency = ranking.currency
    if covering_price is None:
        made.append(
            _adjustment(
                "right_to_cover_passed",
                pack,
                rule,
                [invitation.bid],
                messages.COVER_PASSED,
                bid=invitation.bid,
            )
        )
        return PreferenceResult(
            order=before.order, adjustments=tuple(made), invitation=None, pack=pack.ref
        )
    if not covering_price.is_finite() or covering_price <= 0:
        raise CoverRefused("a covering price is a positive amount")
    if covering_price >= invitation.best_price:
        raise CoverRefused(
            f"a covering price must be below the best offer ({_money(invitation.best_price, currency)})"
        )
    passed = list(before.order[: before.order.index(invitation.bid)])
    made.append(
        _adjustment(
            "improved_offer_received",
            pack,
            rule,
            [invitation.bid, *passed],
            messages.COVER_RECEIVED,
            bid=invitation.bid,
            best=invitation.best_bid,
            passed=", ".join(passed),
            price=_money(covering_price, currency),
            best_price=_money(invitation.best_price, currency),
        )
    )
    order = (invitation.bid, *(bid for bid in before.order if bid != invitation.bid))
    return PreferenceResult(
        order=order,
        adjustments=tuple(made),
        invitation=None,
        pack=pack.ref,
        improved=((invitation.bid, covering_price),),
    )
