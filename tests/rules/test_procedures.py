"""The procedure functions' edges that the worked cases do not show: rates, values a rule needs,
business days, who is admitted, and the refusals of the preference functions."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest

from pregon.rules import Eligibility, Money, Period, Text, pack
from pregon.rules.model import Amount, ValueRange
from pregon.rules.preferences import (
    BidEntry,
    CoverInvitation,
    CoverRefused,
    RankingInput,
    apply_preferences,
    cover_resolve,
    draw_key,
)
from pregon.rules.procedures import (
    MissingRate,
    ValueRequired,
    amount_in,
    earliest_closing,
    publication_minimum,
    quick_quote,
    reservation_decide,
    value_in,
)


def clp(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="CLP")


def test_a_figure_in_another_unit_needs_its_rate() -> None:
    with pytest.raises(MissingRate) as refused:
        quick_quote(pack("CL"), value=clp("1000"))
    assert (refused.value.unit, refused.value.currency) == ("UTM", "CLP")
    with pytest.raises(MissingRate):
        reservation_decide(pack("CO"), value=Money(amount=Decimal(1), currency="COP"))
    with pytest.raises(MissingRate):
        amount_in(clp("1"), "UTM", {"UTM": Decimal(0)})
    assert amount_in(clp("140000"), "UTM", {"UTM": Decimal(70000)}) == Decimal(2)


def test_value_bounds() -> None:
    usd = {
        "above": Amount(value=Decimal(10), unit="USD"),
        "up_to": Amount(value=Decimal(20), unit="USD"),
    }
    bounds = ValueRange(**usd)
    assert [
        value_in(bounds, Money(amount=Decimal(v), currency="USD"))
        for v in ("10", "10.01", "20", "20.01")
    ] == [False, True, True, False]
    below = ValueRange(below=Amount(value=Decimal(5), unit="USD"))
    assert value_in(below, Money(amount=Decimal("4.99"), currency="USD"))
    assert not value_in(below, Money(amount=Decimal(5), currency="USD"))


def test_a_period_that_depends_on_the_value_needs_it() -> None:
    with pytest.raises(ValueRequired):
        publication_minimum(pack("CL"), method="open")
    with pytest.raises(ValueRequired):
        publication_minimum(pack("BR"), method="rfq", category="goods")
    # GENERIC's fixed three days for quotations are as long as its quick-quote notice.
    assert publication_minimum(pack("GENERIC"), method="rfq") is not None


@pytest.mark.parametrize(
    ("published", "period", "holidays", "closing"),
    [
        (
            dt.date(2026, 12, 4),
            Period(days=3, business_days=True),
            (),
            dt.date(2026, 12, 9),
        ),  # Fri → Wed
        (dt.date(2026, 12, 7), Period(days=3, business_days=True), (), dt.date(2026, 12, 10)),
        (
            dt.date(2026, 12, 23),
            Period(days=3, business_days=True),
            (dt.date(2026, 12, 25),),
            dt.date(2026, 12, 29),
        ),
        (dt.date(2026, 12, 4), Period(days=5), (), dt.date(2026, 12, 9)),
        (dt.date(2026, 12, 4), Period(days=0, business_days=True), (), dt.date(2026, 12, 4)),
    ],
)
def test_earliest_closing(
    published: dt.date, period: Period, holidays: tuple[dt.date, ...], closing: dt.date
) -> None:
    assert earliest_closing(published, period, holidays=holidays) == closing


def test_who_a_reservation_admits() -> None:
    chile = quick_quote(pack("CL"), value=clp("1"), rates={"UTM": Decimal(70000)})
    assert chile is not None and chile.eligible is not None
    assert chile.eligible.admits(scale="medium")
    assert chile.eligible.admits(scale="large", local=True)  # local suppliers of any size
    assert not chile.eligible.admits(scale="large")
    generic = reservation_decide(pack("GENERIC"), value=Money(amount=Decimal(1), currency="USD"))
    assert generic.eligible is not None
    assert generic.eligible.admits(scale="large", cooperative=True)
    assert generic.eligible.consortia
    local_only = Eligibility(scales=frozenset({"micro"}), local_only=True)
    assert not local_only.admits(scale="micro")
    assert local_only.admits(scale="micro", local=True)


def test_texts_fall_back_to_english() -> None:
    text = Text(en="one {n}", es="uno {n}", pt="um {n}", fr="un {n}")
    assert [text.get(lang) for lang in ("en", "es", "pt-br", "fr", "de", None)] == [
        "one {n}",
        "uno {n}",
        "um {n}",
        "un {n}",
        "one {n}",
        "one {n}",
    ]
    assert text.format(n=2).get("pt-br") == "um 2"


def _entry(name: str, price: str, rank: int, scale: str = "large") -> BidEntry:
    return BidEntry(bid=name, price=Decimal(price), eligible=True, scale=scale, rank=rank)


def test_a_ranking_is_checked() -> None:
    with pytest.raises(ValueError, match="ranks"):
        RankingInput(
            bids=(_entry("A", "1", 1), _entry("B", "1", 3)), method="open", currency="BRL", seed="s"
        )
    with pytest.raises(ValueError, match="each bid once"):
        RankingInput(
            bids=(_entry("A", "1", 1), _entry("A", "1", 2)), method="open", currency="BRL", seed="s"
        )
    with pytest.raises(ValueError, match="score"):
        RankingInput(
            bids=(_entry("A", "1", 1),),
            method="open",
            award_criteria="ratedCriteria",
            currency="BRL",
            seed="s",
        )
    with pytest.raises(ValueError, match="scale"):
        _entry("A", "1", 1, scale="huge")
    with pytest.raises(ValueError, match="characteristic"):
        BidEntry(
            bid="A",
            price=Decimal(1),
            eligible=True,
            scale=None,
            characteristics=frozenset({"tall"}),
            rank=1,
        )


def test_a_cover_is_refused_unless_it_answers_the_invitation() -> None:
    brazil = pack("BR")
    ranking = RankingInput(
        bids=(_entry("A", "100", 1), _entry("B", "105", 2, "micro")),
        method="open",
        currency="BRL",
        seed="s",
    )
    invitation = apply_preferences(brazil, ranking).invitation
    assert invitation == CoverInvitation(
        bid="B",
        best_bid="A",
        best_price=Decimal(100),
        minutes=None,
        days=None,
        rule="fictitious_tie",
    )
    forged = CoverInvitation(
        bid="A",
        best_bid="B",
        best_price=Decimal(105),
        minutes=None,
        days=None,
        rule="fictitious_tie",
    )
    with pytest.raises(CoverRefused, match="not the one"):
        cover_resolve(brazil, ranking, invitation=forged, covering_price=Decimal(99))
    for price in ("100", "100.01", "0", "-1", "NaN"):
        with pytest.raises(CoverRefused):
            cover_resolve(brazil, ranking, invitation=invitation, covering_price=Decimal(price))


def test_a_rated_lot_gets_no_price_preference() -> None:
    ranking = RankingInput(
        bids=(
            BidEntry(
                bid="A", price=Decimal(100), eligible=True, scale="large", rank=1, score=Decimal(90)
            ),
            BidEntry(
                bid="B", price=Decimal(101), eligible=True, scale="micro", rank=2, score=Decimal(89)
            ),
        ),
        method="open",
        award_criteria="ratedCriteria",
        currency="BRL",
        seed="s",
    )
    result = apply_preferences(pack("BR"), ranking)
    assert (result.order, result.adjustments, result.invitation) == (("A", "B"), (), None)


def test_the_draw_is_the_published_hash() -> None:
    key = draw_key("ocds-213czf-000-00001/lot-1", "A")
    assert key == hashlib.sha256(b"ocds-213czf-000-00001/lot-1:A").hexdigest()
    assert key.startswith("a7863e11ffac")
    assert draw_key("s", "A") != draw_key("t", "A")
