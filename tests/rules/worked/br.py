"""Brazil (BR@2026.1): Lei Complementar 123/2006 arts. 42-49; Lei 14.133/2021; Decreto
12.343/2024."""

from __future__ import annotations

from decimal import Decimal

from pregon.rules import Period

from . import (
    CeilingCase,
    Cover,
    PreferenceCase,
    ProvisionCase,
    PublicationCase,
    QuickQuoteCase,
    QuotaCase,
    ReservationCase,
    ScaleCase,
    SubcontractingCase,
    bid,
    money,
)

P = "BR"
ME_EPP = frozenset({"micro", "small"})
SIZE = "ME gross annual revenue up to R$360,000; EPP above that up to R$4.8 million."

SCALE = [
    ScaleCase(
        id="br-scale-me-at-limit",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=None,
        turnover="360000",
        expected="micro",
        shown="up to R$360,000",
    ),
    ScaleCase(
        id="br-scale-me-nothing",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=2,
        turnover="0",
        expected="micro",
        shown="An ME",
    ),
    ScaleCase(
        id="br-scale-epp-just-above-me",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=None,
        turnover="360000.01",
        expected="small",
        shown="an EPP above that",
    ),
    ScaleCase(
        id="br-scale-epp-at-limit",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=400,
        turnover="4800000",
        expected="small",
        shown="up to R$4.8 million",
    ),
    ScaleCase(
        id="br-scale-above-epp",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=3,
        turnover="4800000.01",
        expected="large",
        shown="counted as large",
    ),
    ScaleCase(
        id="br-scale-no-revenue",
        pack=P,
        rule="scale",
        law=SIZE,
        employees=3,
        turnover=None,
        expected=None,
        shown="gross annual revenue",
    ),
]

DISPENSA = "Small-value electronic dispensa: up to R$62,725.59 for goods and services, R$125,451.15 for works; notice at least 3 business days."
THREE_BUSINESS = Period(days=3, business_days=True)
QUICK_QUOTE = [
    QuickQuoteCase(
        id="br-dispensa-goods-at-limit",
        pack=P,
        rule="dispensa.goods_services",
        law=DISPENSA,
        category="goods",
        value=money("62725.59", "BRL"),
        notice=THREE_BUSINESS,
        shown="up to R$62,725.59",
    ),
    QuickQuoteCase(
        id="br-dispensa-services",
        pack=P,
        rule="dispensa.goods_services",
        law=DISPENSA,
        category="services",
        value=money("1000", "BRL"),
        notice=THREE_BUSINESS,
        shown="3 business days",
    ),
    QuickQuoteCase(
        id="br-dispensa-goods-above",
        pack=P,
        rule=None,
        covers="dispensa.goods_services",
        law=DISPENSA,
        category="goods",
        value=money("62725.60", "BRL"),
    ),
    QuickQuoteCase(
        id="br-dispensa-works-at-limit",
        pack=P,
        rule="dispensa.works",
        law=DISPENSA,
        category="works",
        value=money("125451.15", "BRL"),
        notice=THREE_BUSINESS,
        shown="up to R$125,451.15",
    ),
    QuickQuoteCase(
        id="br-dispensa-works-above",
        pack=P,
        rule=None,
        covers="dispensa.works",
        law=DISPENSA,
        category="works",
        value=money("125451.16", "BRL"),
    ),
]

PUBLICATION = [
    PublicationCase(
        id="br-notice-dispensa-goods",
        pack=P,
        rule="dispensa.goods_services",
        law=DISPENSA,
        method="rfq",
        category="goods",
        value=money("60000", "BRL"),
        days=3,
        business_days=True,
        shown="at least 3 business days",
    ),
    PublicationCase(
        id="br-notice-dispensa-works",
        pack=P,
        rule="dispensa.works",
        law=DISPENSA,
        method="rfq",
        category="works",
        value=money("100000", "BRL"),
        days=3,
        business_days=True,
    ),
    PublicationCase(
        id="br-notice-open-not-in-sources",
        pack=P,
        rule=None,
        covers="dispensa.goods_services",
        law="(the sources give no period for an open tender)",
        method="open",
        value=money("1000000", "BRL"),
        days=None,
    ),
]

ART48_I = "Art. 48 I: tenders or items up to R$80,000 exclusive to ME/EPP."
EXCLUSIVE = "A tender or item whose value is up to R$80,000 is open only to microenterprises and small enterprises."
RESERVATION = [
    ReservationCase(
        id="br-art48-at-limit",
        pack=P,
        rule="art48.exclusive",
        law=ART48_I,
        value=money("80000", "BRL"),
        obligation="must",
        scales=ME_EPP,
        shown=EXCLUSIVE,
    ),
    ReservationCase(
        id="br-art48-small-item",
        pack=P,
        rule="art48.exclusive",
        law=ART48_I,
        value=money("150", "BRL"),
        category="goods",
        obligation="must",
        scales=ME_EPP,
        shown=EXCLUSIVE,
    ),
    ReservationCase(
        id="br-art48-just-above",
        pack=P,
        rule=None,
        covers="art48.exclusive",
        law=ART48_I,
        value=money("80000.01", "BRL"),
        obligation="no",
        shown="No rule of this pack reserves this lot.",
    ),
]

ART4 = "Lei 14.133 art. 4: benefits do not apply to an item (or a works tender) whose estimated value exceeds R$4.8 million."
CEILING = [
    CeilingCase(
        id="br-ceiling-at-limit",
        pack=P,
        rule="benefits_ceiling",
        law=ART4,
        value=money("4800000", "BRL"),
        applies=True,
        shown="exceeds R$4.8 million",
    ),
    CeilingCase(
        id="br-ceiling-above",
        pack=P,
        rule="benefits_ceiling",
        law=ART4,
        value=money("4800000.01", "BRL"),
        applies=False,
        shown="nor to a firm whose public contracts that year already exceed it",
    ),
]

ART48_III = "Art. 48 III: a quota of up to 25% of divisible goods reserved for ME/EPP."
QUOTA = [
    QuotaCase(
        id="br-quota-divisible-goods",
        pack=P,
        rule="quota",
        law=ART48_III,
        category="goods",
        divisible=True,
        value=money("1000000", "BRL"),
        share=Decimal("0.25"),
        shown="up to 25%",
    ),
    QuotaCase(
        id="br-quota-indivisible",
        pack=P,
        rule=None,
        covers="quota",
        law=ART48_III,
        category="goods",
        divisible=False,
        value=money("1000000", "BRL"),
        share=None,
    ),
    QuotaCase(
        id="br-quota-services",
        pack=P,
        rule=None,
        covers="quota",
        law=ART48_III,
        category="services",
        divisible=True,
        value=money("1000000", "BRL"),
        share=None,
    ),
    QuotaCase(
        id="br-quota-over-ceiling",
        pack=P,
        rule=None,
        covers="quota",
        law=ART48_III + " " + ART4,
        category="goods",
        divisible=True,
        value=money("5000000", "BRL"),
        share=None,
    ),
]

ART48_II = "Art. 48 II: subcontracting of ME/EPP may be required (up to 30%)."
SUBCONTRACTING = [
    SubcontractingCase(
        id="br-subcontracting",
        pack=P,
        rule="subcontracting",
        law=ART48_II,
        value=money("2000000", "BRL"),
        share=Decimal("0.30"),
        obligation="may",
        shown="up to 30% of the contract",
    ),
    SubcontractingCase(
        id="br-subcontracting-over-ceiling",
        pack=P,
        rule=None,
        covers="subcontracting",
        law=ART48_II + " " + ART4,
        value=money("4800000.01", "BRL"),
        share=None,
        obligation=None,
    ),
]

ART44 = "Art. 44: an ME/EPP offer up to 10% above the best offer counts as tied (5% in pregão); the best-placed ME/EPP may then cover the best offer with a lower one (in pregão within 5 minutes)."
TIE = "Fictitious tie (empate ficto) and the right to cover the best offer (Lei Complementar 123/2006, art. 44)"
BRL = "BRL"
PREFERENCES = [
    PreferenceCase(
        id="br-tie-within-10",
        pack=P,
        rule="fictitious_tie",
        law=ART44,
        currency=BRL,
        bids=(
            bid("A", "100000", rank=1),
            bid("B", "110000", rank=2, scale="small"),
            bid("C", "110000.01", rank=3, scale="micro"),
        ),
        order=("A", "B", "C"),
        kinds=("tie_declared", "right_to_cover_offered"),
        invited="B",
        shown=(
            f"{TIE}: bids B, from eligible smaller firms, are at most 10% above the best offer, bid A at BRL 100,000: they count as tied with it.",
            f"{TIE}: bid B, the best-placed eligible smaller firm at BRL 110,000, may cover the best offer with a price below BRL 100,000, by the deadline the notice sets.",
        ),
        cover=Cover(
            price="99999.99",
            order=("B", "A", "C"),
            shown=f"{TIE}: bid B covered the best offer, bid A at BRL 100,000, with BRL 99,999.99, and is now first, ahead of A.",
        ),
    ),
    PreferenceCase(
        id="br-tie-best-placed-invited-passes",
        pack=P,
        rule="fictitious_tie",
        law=ART44,
        currency=BRL,
        bids=(
            bid("A", "200", rank=1),
            bid("B", "205", rank=2, scale="medium"),
            bid("C", "210", rank=3, scale="micro"),
            bid("D", "215", rank=4, scale="small"),
        ),
        order=("A", "B", "C", "D"),
        kinds=("tie_declared", "right_to_cover_offered"),
        invited="C",
        shown=(
            f"{TIE}: bids C, D, from eligible smaller firms, are at most 10% above the best offer, bid A at BRL 200: they count as tied with it.",
        ),
        cover=Cover(
            price=None,
            order=("A", "B", "C", "D"),
            shown=f"{TIE}: bid C did not cover the best offer; the ranking stands.",
        ),
    ),
    PreferenceCase(
        id="br-tie-cover-must-be-lower",
        pack=P,
        rule="fictitious_tie",
        law=ART44,
        currency=BRL,
        bids=(bid("A", "100", rank=1), bid("B", "104", rank=2, scale="micro")),
        order=("A", "B"),
        kinds=("tie_declared", "right_to_cover_offered"),
        invited="B",
        cover=Cover(price="100", refused=True),
    ),
    PreferenceCase(
        id="br-tie-pregao-within-5",
        pack=P,
        rule="fictitious_tie",
        law=ART44,
        currency=BRL,
        reverse_auction=True,
        bids=(
            bid("A", "1000", rank=1),
            bid("B", "1050", rank=2, scale="small"),
            bid("C", "1050.01", rank=3, scale="micro"),
        ),
        order=("A", "B", "C"),
        kinds=("tie_declared", "right_to_cover_offered"),
        invited="B",
        shown=(
            f"{TIE}: bids B, from eligible smaller firms, are at most 5% above the best offer, bid A at BRL 1,000: they count as tied with it.",
            f"{TIE}: bid B, the best-placed eligible smaller firm at BRL 1,050, may cover the best offer with a price below BRL 1,000, within 5 minutes.",
        ),
        cover=Cover(price="999", order=("B", "A", "C")),
    ),
    PreferenceCase(
        id="br-tie-pregao-beyond-5",
        pack=P,
        rule="fictitious_tie",
        law=ART44,
        currency=BRL,
        reverse_auction=True,
        bids=(bid("A", "1000", rank=1), bid("B", "1060", rank=2, scale="small")),
        order=("A", "B"),
    ),
    PreferenceCase(
        id="br-tie-best-is-me",
        pack=P,
        rule="fictitious_tie",
        law=ART44 + " (a tie needs a best offer that is not an ME/EPP's)",
        currency=BRL,
        bids=(
            bid("A", "100", rank=1, scale="micro"),
            bid("B", "101", rank=2, scale="small"),
            bid("C", "102", rank=3),
        ),
        order=("A", "B", "C"),
    ),
    PreferenceCase(
        id="br-tie-not-eligible",
        pack=P,
        rule="fictitious_tie",
        law=ART4 + " (a firm over R$4.8 million in contracts that year declares it)",
        currency=BRL,
        bids=(bid("A", "100", rank=1), bid("B", "101", rank=2, scale="small", eligible=False)),
        order=("A", "B"),
    ),
    PreferenceCase(
        id="br-tie-over-ceiling",
        pack=P,
        rule="benefits_ceiling",
        law=ART4,
        currency=BRL,
        lot_value="4800000.01",
        bids=(bid("A", "4700000", rank=1), bid("B", "4710000", rank=2, scale="small")),
        order=("A", "B"),
    ),
]

PROVISIONS = [
    ProvisionCase(
        id="br-consortia",
        pack=P,
        rule="consortia.qualification",
        law="Consortia made only of ME/EPP are exempt from the increased financial qualification.",
        basis="Lei 14.133/2021",
        shown="Consortia of ME/EPP only: no increased financial qualification",
    ),
    ProvisionCase(
        id="br-chronological",
        pack=P,
        rule="payments.chronological",
        law="Art. 141: payments follow chronological order, published monthly online.",
        basis="Lei 14.133/2021, art. 141",
        shown="Payments in chronological order",
    ),
]
