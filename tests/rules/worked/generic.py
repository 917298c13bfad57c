"""GENERIC (GENERIC@2026.1): neutral defaults, no law (the divide-or-explain default follows
Directive 2014/24/EU art. 46 as a model). The cases state the defaults."""

from __future__ import annotations

from decimal import Decimal

from pregon.rules import Period

from . import (
    DivideCase,
    PaymentCase,
    PreferenceCase,
    PublicationCase,
    QuickQuoteCase,
    ReservationCase,
    ScaleCase,
    bid,
    money,
)

P = "GENERIC"
DEFAULT = "(neutral default)"
SIZE = "Default: micro < 10 employees, small < 50, medium < 250."

SCALE = [
    ScaleCase(
        id="generic-scale-9",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=9,
        turnover=None,
        expected="micro",
        shown="fewer than 10 employees",
    ),
    ScaleCase(
        id="generic-scale-10",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=10,
        turnover="999999999",
        expected="small",
        shown="fewer than 50",
    ),
    ScaleCase(
        id="generic-scale-49",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=49,
        turnover=None,
        expected="small",
        shown="fewer than 50",
    ),
    ScaleCase(
        id="generic-scale-50",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=50,
        turnover=None,
        expected="medium",
        shown="fewer than 250",
    ),
    ScaleCase(
        id="generic-scale-249",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=249,
        turnover=None,
        expected="medium",
        shown="fewer than 250",
    ),
    ScaleCase(
        id="generic-scale-250",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=250,
        turnover=None,
        expected="large",
        shown="250 or more",
    ),
    ScaleCase(
        id="generic-scale-unknown",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=None,
        turnover="1",
        expected=None,
        shown="Turnover is not used",
    ),
]

QUICK = "Default: quick quotes up to US$10,000, at least 3 quotes, 3 calendar days."
QUICK_QUOTE = [
    QuickQuoteCase(
        id="generic-quick-at-limit",
        pack=P,
        rule="quick_quote",
        law=QUICK,
        category="goods",
        value=money("10000", "USD"),
        min_quotes=3,
        notice=Period(days=3),
        shown="at least 3 quotes",
    ),
    QuickQuoteCase(
        id="generic-quick-in-pesos",
        pack=P,
        rule="quick_quote",
        law=QUICK,
        category="works",
        value=money("170000", "MXN"),
        rates={"USD": Decimal("17")},
        min_quotes=3,
        notice=Period(days=3),
    ),
    QuickQuoteCase(
        id="generic-quick-above",
        pack=P,
        rule=None,
        covers="quick_quote",
        law=QUICK,
        category="goods",
        value=money("10000.01", "USD"),
    ),
]

PUBLICATION = [
    PublicationCase(
        id="generic-open-10",
        pack=P,
        rule="period.open",
        law=DEFAULT,
        method="open",
        value=None,
        days=10,
        shown="10 calendar days",
    ),
    PublicationCase(
        id="generic-selective-10",
        pack=P,
        rule="period.selective",
        law=DEFAULT,
        method="selective",
        value=money("5", "USD"),
        days=10,
    ),
    PublicationCase(
        id="generic-limited-5",
        pack=P,
        rule="period.limited",
        law=DEFAULT,
        method="limited",
        value=None,
        days=5,
    ),
    PublicationCase(
        id="generic-direct-1",
        pack=P,
        rule="period.direct",
        law=DEFAULT,
        method="direct",
        value=None,
        days=1,
        shown="1 calendar day",
    ),
    PublicationCase(
        id="generic-rfq-3",
        pack=P,
        rule="period.rfq",
        law=DEFAULT,
        method="rfq",
        value=money("500", "USD"),
        days=3,
    ),
    PublicationCase(
        id="generic-rfq-3-no-value",
        pack=P,
        rule="period.rfq",
        law=DEFAULT,
        method="rfq",
        value=None,
        days=3,
    ),
]

RESERVATION = [
    ReservationCase(
        id="generic-may-reserve",
        pack=P,
        rule="reservation.optional",
        law=DEFAULT,
        value=money("2000000", "USD"),
        obligation="may",
        scales=frozenset({"micro", "small", "medium"}),
        shown="The buyer may reserve any lot for micro, small and medium enterprises and cooperatives; nothing obliges it to.",
    ),
]

RULE = "Ties: an MSME first, then a draw (default) (neutral default, no law)"
PREFERENCES = [
    PreferenceCase(
        id="generic-tie-msme-first",
        pack=P,
        rule="tie_break",
        law=DEFAULT,
        currency="USD",
        bids=(
            bid("A", "100", rank=1),
            bid("B", "100", rank=2, scale="medium"),
            bid("C", "100", rank=3),
        ),
        order=("B", "C", "A"),
        kinds=("tie_broken_by_factor", "draw"),
        shown=(
            f'{RULE}: tied bids A, B, C; the factor "a micro, small or medium enterprise" puts first: B.',
        ),
    ),
    PreferenceCase(
        id="generic-no-margin",
        pack=P,
        rule="tie_break",
        law=DEFAULT + " (no price margin)",
        currency="USD",
        bids=(bid("A", "100", rank=1), bid("B", "100.5", rank=2, scale="micro")),
        order=("A", "B"),
    ),
]

PAYMENT = [
    PaymentCase(
        id="generic-pay-30",
        pack=P,
        rule="payment.30_days",
        law=DEFAULT,
        scale="medium",
        days=30,
        kind="term",
        shown="30 calendar days",
    ),
    PaymentCase(
        id="generic-pay-30-undeclared",
        pack=P,
        rule="payment.30_days",
        law=DEFAULT,
        scale=None,
        days=30,
        kind="term",
    ),
]

DIVIDE = [
    DivideCase(
        id="generic-divide-single-lot",
        pack=P,
        rule="divide_or_explain",
        law="Directive 2014/24/EU art. 46 (model): divide into lots or state the main reasons for not dividing.",
        value=money("1", "USD"),
        lots=1,
        required=True,
        shown="main reasons for not dividing",
    ),
    DivideCase(
        id="generic-divide-other-currency",
        pack=P,
        rule="divide_or_explain",
        law="(a zero threshold needs no exchange rate)",
        value=money("500", "MXN"),
        lots=1,
        required=True,
    ),
    DivideCase(
        id="generic-divide-two-lots",
        pack=P,
        rule=None,
        covers="divide_or_explain",
        law="(divided: nothing to explain)",
        value=money("1000000", "USD"),
        lots=2,
        required=False,
    ),
    DivideCase(
        id="generic-divide-zero",
        pack=P,
        rule=None,
        covers="divide_or_explain",
        law="(nothing above the threshold)",
        value=money("0", "USD"),
        lots=1,
        required=False,
    ),
]
