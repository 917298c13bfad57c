"""Chile (CL@2026.1): Ley 19.886 as reformed by Ley 21.634; Decreto 661; Ley 20.416. The UTM
is worth what the caller says on the day: these cases take CLP 70,000 as an example."""

from __future__ import annotations

from decimal import Decimal

from . import PaymentCase, ProvisionCase, PublicationCase, QuickQuoteCase, ScaleCase, money

P = "CL"
UTM = {"UTM": Decimal("70000")}  # an example value of the day, not the law's

SCALE = [
    ScaleCase(
        id="cl-scale-declared",
        pack=P,
        rule="scale",
        law="Smaller enterprises (Empresas de Menor Tamaño, Ley 20.416).",
        employees=5,
        turnover="1000000",
        expected=None,
        shown="the supplier's declaration, verified by an official, decides the size",
    ),
]

AGIL = "Compra Ágil: purchases up to 100 UTM; at least 3 quotes; closed by the purchase order; as a rule done with smaller enterprises and local suppliers (Decreto 661, art. 97)."
QUICK_QUOTE = [
    QuickQuoteCase(
        id="cl-compra-agil-at-100-utm",
        pack=P,
        rule="compra_agil",
        law=AGIL,
        category="goods",
        value=money("7000000", "CLP"),
        rates=UTM,
        min_quotes=3,
        restriction="preferred",
        shown="at least 3 quotes, closed by the purchase order",
    ),
    QuickQuoteCase(
        id="cl-compra-agil-in-utm",
        pack=P,
        rule="compra_agil",
        law=AGIL,
        category="services",
        value=money("100", "UTM"),
        min_quotes=3,
        restriction="preferred",
        shown="smaller enterprises and local suppliers",
    ),
    QuickQuoteCase(
        id="cl-compra-agil-above",
        pack=P,
        rule=None,
        covers="compra_agil",
        law=AGIL,
        category="goods",
        value=money("7000000.01", "CLP"),
        rates=UTM,
    ),
]

L1 = "Public tender L1 (< 100 UTM): at least 5 calendar days between publication and closing."
PUBLICATION = [
    PublicationCase(
        id="cl-l1-five-days",
        pack=P,
        rule="l1.period",
        law=L1,
        method="open",
        value=money("6999999", "CLP"),
        rates=UTM,
        days=5,
        shown="at least 5 calendar days",
    ),
    PublicationCase(
        id="cl-l1-not-under-100-utm",
        pack=P,
        rule=None,
        covers="l1.period",
        law=L1,
        method="open",
        value=money("7000000", "CLP"),
        rates=UTM,
        days=None,
    ),
    PublicationCase(
        id="cl-compra-agil-has-no-notice",
        pack=P,
        rule=None,
        covers="compra_agil",
        law=AGIL + " (no minimum notice in the sources)",
        method="rfq",
        value=money("100000", "CLP"),
        rates=UTM,
        days=None,
    ),
]

PAY = "Buyers must pay within 30 days; each tender page shows the buyer's late-payment complaints."
PAYMENT = [
    PaymentCase(
        id="cl-pay-30-any-size",
        pack=P,
        rule="payment.30_days",
        law=PAY,
        scale="large",
        days=30,
        kind="term",
        shown="within 30 days",
    ),
    PaymentCase(
        id="cl-pay-30-micro",
        pack=P,
        rule="payment.30_days",
        law=PAY,
        scale="micro",
        days=30,
        kind="term",
    ),
    PaymentCase(
        id="cl-pay-30-undeclared",
        pack=P,
        rule="payment.30_days",
        law=PAY,
        scale=None,
        days=30,
        kind="term",
    ),
]

PROVISIONS = [
    ProvisionCase(
        id="cl-utp",
        pack=P,
        rule="utp.smaller_enterprises",
        law="Joint bids through temporary unions of suppliers (UTP) are for smaller enterprises.",
        basis="Ley 19.886 (reformed by Ley 21.634)",
        shown="Temporary unions of suppliers (UTP) for smaller enterprises",
    ),
    ProvisionCase(
        id="cl-unspsc",
        pack=P,
        rule="classification.unspsc",
        law="Items are classified with UNSPSC.",
        basis="Ley 19.886 (reformed by Ley 21.634)",
        shown="Items classified with UNSPSC",
    ),
]
