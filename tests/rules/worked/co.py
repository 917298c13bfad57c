"""Colombia (CO@2026.1): Ley 2069/2020 arts. 30-35; Decreto 1860/2021. The dollar is worth
what the caller says: these cases take COP 4,000 as an example."""

from __future__ import annotations

from decimal import Decimal

from . import PreferenceCase, ProvisionCase, ReservationCase, ScaleCase, bid, money

P = "CO"
USD = {"USD": Decimal("4000")}  # an example rate, not the law's
MIPYMES = frozenset({"micro", "small", "medium"})

SCALE = [
    ScaleCase(
        id="co-scale-declared",
        pack=P,
        rule="scale",
        law="Mipymes (Ley 2069/2020).",
        employees=12,
        turnover="500000000",
        expected=None,
        shown="the supplier's declaration, verified by an official, decides the size",
    ),
]

LIMITED = "Calls limited to Mipymes when the value is under US$125,000 and at least 2 Colombian Mipymes (at least 1 year old) ask for it; may be further limited to Mipymes of the department or municipality of execution."
CALL = "A call under US$125,000 is limited to Mipymes when at least 2 Colombian Mipymes, each at least 1 year old, ask for it; it may be further limited to Mipymes of the department or municipality of execution."
RESERVATION = [
    ReservationCase(
        id="co-limited-two-requests",
        pack=P,
        rule="mipyme.limited_call",
        law=LIMITED,
        value=money("499996000", "COP"),
        rates=USD,
        requests=2,
        obligation="must",
        scales=MIPYMES,
        local_limit=True,
        shown=CALL + " Eligible suppliers who asked for it: 2 (2 needed); the call is limited.",
    ),
    ReservationCase(
        id="co-limited-one-request",
        pack=P,
        rule="mipyme.limited_call",
        law=LIMITED,
        value=money("499996000", "COP"),
        rates=USD,
        requests=1,
        obligation="may",
        scales=MIPYMES,
        local_limit=True,
        shown=CALL
        + " Eligible suppliers who asked for it so far: 1; the call is limited once 2 do.",
    ),
    ReservationCase(
        id="co-limited-in-dollars",
        pack=P,
        rule="mipyme.limited_call",
        law=LIMITED,
        value=money("124999.99", "USD"),
        requests=0,
        obligation="may",
        scales=MIPYMES,
        local_limit=True,
        shown=CALL
        + " Eligible suppliers who asked for it so far: 0; the call is limited once 2 do.",
    ),
    ReservationCase(
        id="co-limited-not-under",
        pack=P,
        rule=None,
        covers="mipyme.limited_call",
        law=LIMITED,
        value=money("500000000", "COP"),
        rates=USD,
        requests=3,
        obligation="no",
        shown="No rule of this pack reserves this lot.",
    ),
]

ART35 = "Tie-breaking factors (art. 35) include Mipymes, women-led firms and plural bidders with such members, ending in a draw."
RULE = "Tie-breaking factors, ending in a draw (Ley 2069/2020, art. 35)"
SEED = "ocds-213czf-000-00001/lot-1"
DRAW = (
    "each bid's lot is the SHA-256 of \""
    + SEED
    + ':<bid id>", lowest first, so anyone can repeat it.'
)
# SHA-256 of "<seed>:<id>" begins: A a786…, B 2d52…, C 369c…, D 6e76…
PREFERENCES = [
    PreferenceCase(
        id="co-tie-mipyme-first",
        pack=P,
        rule="tie_break",
        law=ART35,
        currency="COP",
        bids=(bid("A", "100", rank=1), bid("B", "100", rank=2, scale="small")),
        order=("B", "A"),
        kinds=("tie_broken_by_factor",),
        shown=(f'{RULE}: tied bids A, B; the factor "a Mipyme" puts first: B.',),
    ),
    PreferenceCase(
        id="co-tie-women-led-then-draw",
        pack=P,
        rule="tie_break",
        law=ART35,
        currency="COP",
        bids=(
            bid("A", "100", rank=1),
            bid("B", "100", rank=2, chars=("women_led",)),
            bid("C", "100", rank=3),
        ),
        order=("B", "C", "A"),
        kinds=("tie_broken_by_factor", "draw"),
        shown=(
            f'{RULE}: tied bids A, B, C; the factor "a women-led firm" puts first: B.',
            f"{RULE}: bids A, C remain tied after every factor; the draw gives the order C, A: {DRAW}",
        ),
    ),
    PreferenceCase(
        id="co-tie-plural-bidder",
        pack=P,
        rule="tie_break",
        law=ART35,
        currency="COP",
        bids=(bid("A", "100", rank=1), bid("D", "100", rank=2, chars=("plural_with_women_led",))),
        order=("D", "A"),
        kinds=("tie_broken_by_factor",),
        shown=(
            f'{RULE}: tied bids A, D; the factor "a plural bidder with Mipyme or women-led members" puts first: D.',
        ),
    ),
    PreferenceCase(
        id="co-tie-every-factor-in-order",
        pack=P,
        rule="tie_break",
        law=ART35,
        currency="COP",
        bids=(
            bid("A", "100", rank=1),
            bid("B", "100", rank=2, chars=("women_led",)),
            bid("C", "100", rank=3, scale="small"),
            bid("D", "100", rank=4),
        ),
        order=("C", "B", "D", "A"),
        kinds=("tie_broken_by_factor", "tie_broken_by_factor", "draw"),
        shown=(
            f"{RULE}: bids A, D remain tied after every factor; the draw gives the order D, A: {DRAW}",
        ),
    ),
    PreferenceCase(
        id="co-tie-two-mipymes-draw",
        pack=P,
        rule="tie_break",
        law=ART35,
        currency="COP",
        bids=(bid("A", "100", rank=1, scale="small"), bid("B", "100", rank=2, scale="micro")),
        order=("B", "A"),
        kinds=("draw",),
    ),
    PreferenceCase(
        id="co-tie-undeclared-mipyme-draws",
        pack=P,
        rule="tie_break",
        law=ART35 + " (a bidder without valid declarations gets no factor, but is in the draw)",
        currency="COP",
        bids=(bid("A", "100", rank=1), bid("B", "100", rank=2, scale="small", eligible=False)),
        order=("B", "A"),
        kinds=("draw",),
    ),
    PreferenceCase(
        id="co-no-tie",
        pack=P,
        rule="tie_break",
        law=ART35,
        currency="COP",
        bids=(bid("A", "100", rank=1), bid("B", "100.01", rank=2, scale="small")),
        order=("A", "B"),
    ),
    PreferenceCase(
        id="co-tie-on-points",
        pack=P,
        rule="tie_break",
        law=ART35,
        currency="COP",
        award_criteria="ratedCriteria",
        bids=(
            bid("C", "90", rank=1, score="90"),
            bid("A", "100", rank=2, score="80"),
            bid("B", "120", rank=3, scale="small", score="80"),
        ),
        order=("C", "B", "A"),
        kinds=("tie_broken_by_factor",),
    ),
]

PROVISIONS = [
    ProvisionCase(
        id="co-alerts",
        pack=P,
        rule="alerts.registered_suppliers",
        law="Registered suppliers receive automatic alerts of processes of interest.",
        basis="Ley 2069/2020; Decreto 1860/2021",
        shown="Automatic alerts to registered suppliers",
    ),
]
