"""United States (US@2026.1): FAR part 19; 15 U.S.C. 644."""

from __future__ import annotations

from decimal import Decimal

from . import (
    GoalCase,
    PaymentCase,
    PreferenceCase,
    QuickQuoteCase,
    ReservationCase,
    ScaleCase,
    bid,
    money,
)

P = "US"
SMALL = frozenset({"micro", "small"})

SCALE = [
    ScaleCase(
        id="us-scale-declared",
        pack=P,
        rule="scale",
        law="Small business (FAR part 19): the size standard depends on the industry.",
        employees=40,
        turnover="2000000",
        expected=None,
        shown="A small business declares itself micro or small",
    ),
]

MICRO = "Above the micro-purchase threshold (US$15,000) …"
QUICK_QUOTE = [
    QuickQuoteCase(
        id="us-micro-purchase-at-limit",
        pack=P,
        rule="micro_purchase",
        law=MICRO,
        category=None,
        value=money("15000", "USD"),
        shown="US$15,000",
    ),
    QuickQuoteCase(
        id="us-micro-purchase-above",
        pack=P,
        rule=None,
        covers="micro_purchase",
        law=MICRO,
        category="services",
        value=money("15000.01", "USD"),
    ),
]

TWO = "Rule of two (FAR 19.502-2): above the micro-purchase threshold (US$15,000) and up to the simplified acquisition threshold (US$350,000) an acquisition is set aside for small business unless two or more responsible small businesses are not expected to offer at a fair price."
SET_ASIDE = "Above the micro-purchase threshold (US$15,000) and up to the simplified acquisition threshold (US$350,000), an acquisition is set aside for small business unless two or more responsible small businesses are not expected to offer at a fair price."
RESERVATION = [
    ReservationCase(
        id="us-two-at-micro-threshold",
        pack=P,
        rule=None,
        covers="rule_of_two",
        law=TWO,
        value=money("15000", "USD"),
        obligation="no",
        shown="No rule of this pack reserves this lot.",
    ),
    ReservationCase(
        id="us-two-unknown-market",
        pack=P,
        rule="rule_of_two",
        law=TWO,
        value=money("15000.01", "USD"),
        obligation="must",
        scales=SMALL,
        shown=SET_ASIDE
        + " No market research says otherwise: the set-aside stands unless fewer than 2 eligible firms are expected to offer.",
    ),
    ReservationCase(
        id="us-two-expected",
        pack=P,
        rule="rule_of_two",
        law=TWO,
        value=money("350000", "USD"),
        expected_offers=2,
        obligation="must",
        scales=SMALL,
        shown=SET_ASIDE
        + " Eligible firms expected to offer at a fair price: 2 (2 needed); the set-aside applies.",
    ),
    ReservationCase(
        id="us-two-only-one",
        pack=P,
        rule="rule_of_two",
        law=TWO,
        value=money("100000", "USD"),
        expected_offers=1,
        obligation="no",
        shown=SET_ASIDE
        + " Eligible firms expected to offer at a fair price: 1, fewer than 2; no set-aside.",
    ),
    ReservationCase(
        id="us-two-above-simplified",
        pack=P,
        rule=None,
        covers="rule_of_two",
        law=TWO,
        value=money("350000.01", "USD"),
        expected_offers=5,
        obligation="no",
        shown="No rule of this pack reserves this lot.",
    ),
]

HUB = "HUBZone: a 10% price-evaluation preference in full and open competition."
RULE = "HUBZone price-evaluation preference: 10% (FAR part 19)"
PREFERENCES = [
    PreferenceCase(
        id="us-hubzone-moves-up",
        pack=P,
        rule="price_evaluation",
        law=HUB,
        currency="USD",
        bids=(
            bid("A", "100", rank=1),
            bid("B", "105", rank=2, scale="small", chars=("hubzone",)),
            bid("C", "120", rank=3, scale="small"),
        ),
        order=("B", "A", "C"),
        kinds=("margin_applied",),
        shown=(
            f"{RULE}: the prices of the bids without this preference (A, C) are evaluated 10% higher; this puts ahead of them: B.",
        ),
    ),
    PreferenceCase(
        id="us-hubzone-exactly-10-above",
        pack=P,
        rule="price_evaluation",
        law=HUB + " (at 10% above, the evaluated prices are equal: the evaluation's order stands)",
        currency="USD",
        bids=(bid("A", "100", rank=1), bid("B", "110", rank=2, scale="small", chars=("hubzone",))),
        order=("A", "B"),
    ),
    PreferenceCase(
        id="us-hubzone-not-open",
        pack=P,
        rule="price_evaluation",
        law=HUB + " (only in full and open competition)",
        currency="USD",
        method="selective",
        bids=(bid("A", "100", rank=1), bid("B", "101", rank=2, scale="small", chars=("hubzone",))),
        order=("A", "B"),
    ),
    PreferenceCase(
        id="us-hubzone-not-eligible",
        pack=P,
        rule="price_evaluation",
        law=HUB,
        currency="USD",
        bids=(
            bid("A", "100", rank=1),
            bid("B", "101", rank=2, scale="small", chars=("hubzone",), eligible=False),
        ),
        order=("A", "B"),
    ),
    PreferenceCase(
        id="us-hubzone-among-others",
        pack=P,
        rule="price_evaluation",
        law=HUB,
        currency="USD",
        bids=(
            bid("A", "100", rank=1),
            bid("B", "103", rank=2),
            bid("C", "108", rank=3, scale="micro", chars=("hubzone",)),
            bid("D", "111", rank=4, scale="small", chars=("hubzone",)),
        ),
        order=("C", "A", "D", "B"),
        kinds=("margin_applied",),  # evaluated: C 108, A 110, D 111, B 113.30
    ),
]

PAY = "Accelerated payment goal: 15 days for small businesses."
PAYMENT = [
    PaymentCase(
        id="us-pay-small",
        pack=P,
        rule="payment.accelerated",
        law=PAY,
        scale="small",
        days=15,
        kind="goal",
        shown="within 15 days",
    ),
    PaymentCase(
        id="us-pay-micro",
        pack=P,
        rule="payment.accelerated",
        law=PAY,
        scale="micro",
        days=15,
        kind="goal",
    ),
    PaymentCase(
        id="us-pay-large",
        pack=P,
        rule=None,
        covers="payment.accelerated",
        law=PAY,
        scale="large",
        days=None,
    ),
]

GOALS_LAW = "Government-wide goals: 23% of prime-contract dollars to small business; 5% small disadvantaged; 5% women-owned; 5% service-disabled veteran-owned; 3% HUBZone."
GOALS = [
    GoalCase(
        id="us-goal-small",
        pack=P,
        rule="goal.small_business",
        law=GOALS_LAW,
        group="small_business",
        share=Decimal("0.23"),
        shown="23%",
    ),
    GoalCase(
        id="us-goal-sdb",
        pack=P,
        rule="goal.small_disadvantaged",
        law=GOALS_LAW,
        group="small_disadvantaged",
        share=Decimal("0.05"),
        shown="small disadvantaged",
    ),
    GoalCase(
        id="us-goal-wosb",
        pack=P,
        rule="goal.women_owned",
        law=GOALS_LAW,
        group="women_owned",
        share=Decimal("0.05"),
        shown="women-owned",
    ),
    GoalCase(
        id="us-goal-sdvosb",
        pack=P,
        rule="goal.service_disabled_veteran",
        law=GOALS_LAW,
        group="service_disabled_veteran_owned",
        share=Decimal("0.05"),
        shown="service-disabled veteran-owned",
    ),
    GoalCase(
        id="us-goal-hubzone",
        pack=P,
        rule="goal.hubzone",
        law=GOALS_LAW,
        group="hubzone",
        share=Decimal("0.03"),
        shown="3%",
    ),
]
