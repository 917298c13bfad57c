"""Properties of the preferences and tie rules, for every shipped pack and any lot (Hypothesis):

* a preference never moves a bid that does not benefit from it ahead of a bid that the
  evaluation placed strictly before it; among bids the evaluation left tied, only the named
  draw may;
* it never changes the order among the bids that benefit from it, except between bids the
  evaluation left tied;
* the explanation names every adjustment made: every bid that changed place is in an
  adjustment, and every adjustment's text names each bid it concerns, in the four languages;
* the functions are deterministic: the same lot, in any input order, gives the same result;
* after a cover the invited bid is first and the others keep their order; after a pass,
  nothing moves.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pregon.rules import pack
from pregon.rules.model import CHARACTERISTICS, LANGUAGES, SCALES
from pregon.rules.preferences import (
    BidEntry,
    PreferenceResult,
    RankingInput,
    apply_preferences,
    beneficiary,
    cover_resolve,
)

CODES = ("BR", "CL", "CO", "PY", "US", "GENERIC")


@st.composite
def lots(draw: st.DrawFn) -> tuple[str, RankingInput]:
    code = draw(st.sampled_from(CODES))
    rated = draw(st.booleans())
    count = draw(st.integers(min_value=1, max_value=8))
    raw = []
    for index in range(count):
        raw.append(
            {
                "bid": f"B{index + 1:02d}",
                # Few prices and scores, so that ties and near ties are common.
                "price": Decimal(draw(st.integers(min_value=95, max_value=125))),
                "score": Decimal(draw(st.integers(min_value=78, max_value=82))) if rated else None,
                "eligible": draw(st.booleans()),
                "scale": draw(st.sampled_from((*SCALES, None))),
                "characteristics": frozenset(
                    draw(st.sets(st.sampled_from(sorted(CHARACTERISTICS)), max_size=3))
                ),
                "tiebreak": draw(st.integers(min_value=0, max_value=1000)),
            }
        )
    # The evaluation's order: lowest price (or most points) first, ties in any order.
    raw.sort(key=lambda b: (-b["score"] if rated else b["price"], b["tiebreak"]))
    bids = tuple(
        BidEntry(
            bid=b["bid"],
            price=b["price"],
            eligible=b["eligible"],
            scale=b["scale"],
            characteristics=b["characteristics"],
            rank=place,
            score=b["score"],
        )
        for place, b in enumerate(raw, start=1)
    )
    ranking = RankingInput(
        bids=bids,
        method=draw(st.sampled_from(("open", "selective", "rfq"))),
        award_criteria="ratedCriteria" if rated else "priceOnly",
        reverse_auction=draw(st.booleans()),
        currency="XXX",
        seed=draw(st.text(min_size=1, max_size=12)),
    )
    return code, ranking


def _key(ranking: RankingInput, entry: BidEntry) -> Decimal:
    if ranking.award_criteria == "ratedCriteria":
        assert entry.score is not None
        return -entry.score
    return entry.price


def _check_order(code: str, ranking: RankingInput, result: PreferenceResult) -> None:
    found = pack(code)
    by_id = {b.bid: b for b in ranking.bids}
    before = [b.bid for b in sorted(ranking.bids, key=lambda b: b.rank)]
    after = list(result.order)
    assert sorted(after) == sorted(before)  # reordered, never added nor dropped
    place = {bid: i for i, bid in enumerate(after)}
    draws = [set(a.bids) for a in result.adjustments if a.kind == "draw"]
    for i, ahead in enumerate(before):
        for behind in before[i + 1 :]:
            if place[behind] > place[ahead]:
                continue  # still behind
            x, n = by_id[ahead], by_id[behind]
            strictly = _key(ranking, x) < _key(ranking, n)
            if not beneficiary(found, n):
                # A non-beneficiary moved ahead: only of a bid tied with it, by the draw.
                assert not strictly, (ahead, behind)
                assert any({ahead, behind} <= d for d in draws), (ahead, behind)
            if beneficiary(found, x) and beneficiary(found, n):
                assert not strictly, (ahead, behind)


def _check_explained(ranking: RankingInput, result: PreferenceResult) -> None:
    before = [b.bid for b in sorted(ranking.bids, key=lambda b: b.rank)]
    moved = {bid for i, bid in enumerate(before) if result.order[i] != bid}
    named = {bid for a in result.adjustments for bid in a.bids}
    assert moved <= named
    if moved:
        assert result.adjustments
    for adjustment in result.adjustments:
        assert adjustment.rule and str(adjustment.basis)
        for language in LANGUAGES:
            text = adjustment.explanation.get(language)
            for bid in adjustment.bids:
                assert bid in text, (adjustment.kind, language, bid)


@settings(max_examples=400, deadline=None)
@given(lots())
def test_preferences_move_only_whom_the_law_favours_and_explain_it(
    lot: tuple[str, RankingInput],
) -> None:
    code, ranking = lot
    result = apply_preferences(pack(code), ranking)
    _check_order(code, ranking, result)
    _check_explained(ranking, result)


@settings(max_examples=200, deadline=None)
@given(lots(), st.randoms(use_true_random=False))
def test_preferences_are_deterministic(lot: tuple[str, RankingInput], rnd: object) -> None:
    code, ranking = lot
    shuffled = list(ranking.bids)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    other = RankingInput(
        bids=tuple(shuffled),
        method=ranking.method,
        award_criteria=ranking.award_criteria,
        reverse_auction=ranking.reverse_auction,
        currency=ranking.currency,
        seed=ranking.seed,
    )
    assert apply_preferences(pack(code), ranking) == apply_preferences(pack(code), ranking)
    assert apply_preferences(pack(code), other) == apply_preferences(pack(code), ranking)


@settings(max_examples=300, deadline=None)
@given(lots(), st.booleans())
def test_a_cover_puts_the_invited_bid_first_and_a_pass_moves_nothing(
    lot: tuple[str, RankingInput], covers: bool
) -> None:
    code, ranking = lot
    found = pack(code)
    result = apply_preferences(found, ranking)
    if result.invitation is None:
        return
    invitation = result.invitation
    price = invitation.best_price - Decimal("0.01") if covers else None
    after = cover_resolve(found, ranking, invitation=invitation, covering_price=price)
    if covers:
        assert after.order[0] == invitation.bid
        assert [b for b in after.order if b != invitation.bid] == [
            b for b in result.order if b != invitation.bid
        ]
        assert after.improved == ((invitation.bid, price),)
    else:
        assert after.order == result.order
    _check_order(code, ranking, after)
    _check_explained(ranking, after)
