"""Every figure of the small world (tests/figures/world.py), compared exactly with the values
computed by hand (the arithmetic is beside each expectation)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pregon.contracts.selectors import buyer_payment_figures
from pregon.figures.filters import FilterError, Filters, filters_parse, period_parse
from pregon.figures.metrics import (
    FIGURES,
    ROWS,
    bids_share,
    contracts_share,
    days_to_pay,
    value_share,
)
from tests.figures.world import FiguresWorld, build, invoice

D = Decimal
pytestmark = pytest.mark.django_db


def counts(table: Any) -> dict[str, tuple[int, Decimal | None]]:
    return {row["group"]: (row["count"], row["share"]) for row in table.rows}


def f(**text: str) -> Filters:
    return filters_parse(**text)


def test_contracts_overall(world: FiguresWorld) -> None:
    # Counted: c1 c2 c3 c4 c5 c6 c9 (7; the draft c7 and the cancelled c8 are not).
    assert counts(contracts_share(Filters())) == {
        "micro": (1, D("14.3")),  # 1/7 = 14.285…
        "small": (2, D("28.6")),  # c2 and the consortium's c5
        "medium": (1, D("14.3")),
        "selfEmployed": (1, D("14.3")),
        "large": (2, D("28.6")),  # c3, c9
        "unknown": (0, D("0.0")),
        "msme": (5, D("71.4")),  # 5/7 = 71.428…
        "cooperative": (2, D("28.6")),  # c2, and c5: the consortium has a cooperative member
        "all": (7, D("100.0")),
    }


def test_contracts_filtered(world: FiguresWorld) -> None:
    # Chile, third quarter of 2026: c2, c3 and c4 (signed 23:00 UTC on 30 September).
    assert counts(contracts_share(f(country="cl", period="2026-Q3"))) == {
        "micro": (0, D("0.0")),
        "small": (1, D("33.3")),
        "medium": (1, D("33.3")),
        "selfEmployed": (0, D("0.0")),
        "large": (1, D("33.3")),
        "unknown": (0, D("0.0")),
        "msme": (2, D("66.7")),
        "cooperative": (1, D("33.3")),
        "all": (3, D("100.0")),
    }
    by_b = counts(contracts_share(f(buyer=str(world.b.pk))))
    assert by_b["medium"] == (1, D("50.0"))
    assert by_b["small"] == (1, D("50.0"))
    assert by_b["cooperative"] == (1, D("50.0"))
    assert by_b["all"] == (2, D("100.0"))
    in_2025 = counts(contracts_share(f(period="2025")))
    assert in_2025["large"] == (1, D("100.0"))
    assert in_2025["msme"] == (0, D("0.0"))
    nothing = counts(contracts_share(f(country="FR")))
    assert nothing["all"] == (0, None)
    assert nothing["micro"] == (0, None)


def test_value_per_currency(world: FiguresWorld) -> None:
    rows = {
        (row["currency"], row["group"]): (row["value"], row["share"])
        for row in value_share(Filters()).rows
    }
    assert [row["currency"] for row in value_share(Filters()).rows][:: len(ROWS)] == [
        "BRL",
        "CLP",
        "USD",
    ]
    # CLP: micro 100, small 300 + 200, large 600 + 400; 1,600 in all.
    assert rows["CLP", "micro"] == (D("100.00"), D("6.3"))  # 6.25, half up
    assert rows["CLP", "small"] == (D("500.00"), D("31.3"))  # 31.25
    assert rows["CLP", "medium"] == (D("0.00"), D("0.0"))
    assert rows["CLP", "large"] == (D("1000.00"), D("62.5"))
    assert rows["CLP", "msme"] == (D("600.00"), D("37.5"))
    assert rows["CLP", "cooperative"] == (D("500.00"), D("31.3"))
    assert rows["CLP", "all"] == (D("1600.00"), D("100.0"))
    assert rows["USD", "medium"] == (D("50.00"), D("100.0"))
    assert rows["USD", "all"] == (D("50.00"), D("100.0"))
    assert rows["BRL", "selfEmployed"] == (D("1000.00"), D("100.0"))
    assert rows["BRL", "msme"] == (D("1000.00"), D("100.0"))
    # Exactly two decimals (SQLite's sums lose the scale), and never a total across currencies.
    assert {str(value.as_tuple().exponent) for value, _share in rows.values()} == {"-2"}
    assert {currency for currency, _group in rows} == {"BRL", "CLP", "USD"}
    chile_q3 = {
        (r["currency"], r["group"]): r["share"]
        for r in value_share(f(country="CL", period="2026-Q3")).rows
    }
    assert chile_q3["CLP", "small"] == D("33.3")  # 300 of 900
    assert chile_q3["CLP", "large"] == D("66.7")  # 600 of 900
    assert chile_q3["USD", "medium"] == D("100.0")


def test_bids(world: FiguresWorld) -> None:
    # O1: micro, small cooperative, large; O2: consortium (small), medium, unknown; O3: self.
    assert counts(bids_share(Filters())) == {
        "micro": (1, D("14.3")),
        "small": (2, D("28.6")),
        "medium": (1, D("14.3")),
        "selfEmployed": (1, D("14.3")),
        "large": (1, D("14.3")),
        "unknown": (1, D("14.3")),
        "msme": (5, D("71.4")),
        "cooperative": (2, D("28.6")),  # the cooperative alone, and the consortium with it
        "all": (7, D("100.0")),
    }
    chile_q3 = counts(bids_share(f(country="CL", period="2026-Q3")))
    assert chile_q3["all"] == (3, D("100.0"))
    assert chile_q3["msme"] == (2, D("66.7"))
    assert chile_q3["unknown"] == (1, D("33.3"))
    assert chile_q3["cooperative"] == (1, D("33.3"))
    assert counts(bids_share(f(country="BR")))["selfEmployed"] == (1, D("100.0"))


def payment_rows(table: Any) -> dict[str, tuple[Any, ...]]:
    return {
        row["group"]: (
            row["paid"],
            row["median_days"],
            row["mean_days"],
            row["late"],
            row["late_share"],
        )
        for row in table.rows
    }


def test_days_to_pay(world: FiguresWorld) -> None:
    assert payment_rows(days_to_pay(Filters())) == {
        "micro": (2, D("30.0"), D("30.0"), 1, D("50.0")),  # 20, 40 (late)
        "small": (2, D("15.5"), D("15.5"), 0, D("0.0")),  # 10, 21
        "medium": (1, D("30.0"), D("30.0"), 0, D("0.0")),  # paid on its due date: on time
        "selfEmployed": (1, D("40.0"), D("40.0"), 1, D("100.0")),
        "large": (1, D("60.0"), D("60.0"), 1, D("100.0")),  # the unpaid i8 is not counted
        "unknown": (0, None, None, 0, None),
        # 10 20 21 30 40 40: median (21 + 30) / 2, mean 161 / 6 = 26.83…, 2 late of 6
        "msme": (6, D("25.5"), D("26.8"), 2, D("33.3")),
        "cooperative": (2, D("15.5"), D("15.5"), 0, D("0.0")),
        # 10 20 21 30 40 40 60: median 30, mean 221 / 7 = 31.57…, 3 late of 7
        "all": (7, D("30.0"), D("31.6"), 3, D("42.9")),
    }
    # Paid in the third quarter: i3 (10 days) and i7 (40, late).
    q3 = payment_rows(days_to_pay(f(period="2026-Q3")))
    assert q3["all"] == (2, D("25.0"), D("25.0"), 1, D("50.0"))
    assert q3["micro"] == (0, None, None, 0, None)


def test_days_to_pay_agree_with_the_buyers_payment_figures(world: FiguresWorld) -> None:
    """The buyer's own payment figures (contracts.selectors) and its row here are one thing."""
    mine = buyer_payment_figures(buyer=world.a)
    row = payment_rows(days_to_pay(f(buyer=str(world.a.pk))))["all"]
    # i1..i4: 20 40 10 60, two late.
    assert row == (4, D("30.0"), D("32.5"), 2, D("50.0"))
    assert (mine.paid, mine.average_days, mine.late) == (row[0], row[2], row[3])


def test_a_late_payment_moves_the_figures(world: FiguresWorld) -> None:
    before = payment_rows(days_to_pay(f(buyer=str(world.b.pk))))["all"]
    invoice(
        world.contracts["c4"], dt.date(2026, 11, 2), dt.date(2026, 11, 12), dt.date(2026, 11, 30)
    )
    after = payment_rows(days_to_pay(f(buyer=str(world.b.pk))))["all"]
    assert before == (2, D("25.5"), D("25.5"), 0, D("0.0"))  # 30, 21
    assert after == (3, D("28.0"), D("26.3"), 1, D("33.3"))  # 21 28 30: mean 79 / 3 = 26.3…


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026", "2026-01-01", "2027-01-01"),
        ("2026-Q1", "2026-01-01", "2026-04-01"),
        ("2026-Q3", "2026-07-01", "2026-10-01"),
        ("2026-Q4", "2026-10-01", "2027-01-01"),
    ],
)
def test_periods(text: str, start: str, end: str) -> None:
    period = period_parse(text)
    assert period is not None
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"period": "2026-Q5"}, "period"),
        ({"period": "26"}, "period"),
        ({"period": "1999"}, "period"),
        ({"period": "2026-q3x"}, "period"),
        ({"country": "CHL"}, "country"),
        ({"country": "1"}, "country"),
        ({"buyer": "abc"}, "buyer"),
        ({"buyer": "999999"}, "buyer"),
        ({"buyer": str(2**90)}, "buyer"),
    ],
)
def test_bad_filters(db: None, fields: dict[str, str], field: str) -> None:
    with pytest.raises(FilterError) as refused:
        filters_parse(**fields)
    assert refused.value.field == field


def test_a_supplier_is_no_buyer(world: FiguresWorld) -> None:
    with pytest.raises(FilterError):
        filters_parse(buyer=str(world.micro.pk))


def test_query_counts_do_not_grow(db: None) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for figure in FIGURES:
                figure.compute(Filters())
        return len(captured)

    build()
    first = queries()
    build()
    assert queries() == first
