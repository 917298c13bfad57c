"""A small world for the figures, built row by row so that every figure can be computed by hand
(the expected values are in test_metrics.py, with the arithmetic).

Buyers: A and B in Chile, Z in Brazil. Suppliers: a micro, a small cooperative, a medium, a
large and a self-employed firm, and a consortium (small: its largest member's scale) of the
micro (lead) and the small cooperative.

Contracts (value, currency, signed by the buyer on, UTC):
    c1  A  micro         100.00 CLP  2026-02-10       c6  Z  self-employed  1000.00 BRL 2026-07-01
    c2  A  cooperative   300.00 CLP  2026-08-01       c7  A  large   999 CLP  draft (not counted)
    c3  A  large         600.00 CLP  2026-08-15       c8  A  micro   500 CLP  cancelled (not counted)
    c4  B  medium         50.00 USD  2026-09-30 23:00 c9  A  large   400.00 CLP 2025-12-31
    c5  B  consortium    200.00 CLP  2026-11-05

Bid openings (opened on, bidders' scale in the record):
    O1  A  2026-03-01  micro, small cooperative, large
    O2  B  2026-08-10  the consortium (small, a cooperative member), medium, a scale left empty
    O3  Z  2026-08-20  self-employed
    O4  A  still collecting shares (not counted)

Invoices paid in full (received, due, paid: days to pay, late?):
    i1 c1 03-01 03-31 03-21: 20     i5 c4 10-01 10-31 10-31: 30 (on the due date: on time)
    i2 c1 04-01 05-01 05-11: 40 late i6 c5 11-10 12-10 12-01: 21
    i3 c2 08-10 09-09 08-20: 10     i7 c6 07-05 08-04 08-14: 40 late
    i4 c3 08-20 09-19 10-19: 60 late i8 c3 accepted, not paid (not counted)
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pregon.bids.models import Bid, Opening
from pregon.contracts.models import Contract, Invoice, Milestone
from pregon.core import clock
from pregon.evaluation.models import Award
from pregon.organizations.models import Consortium, ConsortiumMember, Organization
from pregon.tenders.models import Tender
from tests import factories

UTC = dt.UTC
_leaves = itertools.count(10_000)


def at(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


@dataclass
class FiguresWorld:
    a: Organization
    b: Organization
    z: Organization
    micro: Organization
    coop: Organization
    medium: Organization
    large: Organization
    self_employed: Organization
    consortium: Organization
    contracts: dict[str, Contract]


def _tender(buyer: Organization) -> Tender:
    return factories.TenderDraftFactory(buyer=buyer, committee=False)


def contract(
    buyer: Organization,
    supplier: Organization,
    value: str,
    currency: str,
    signed_at: dt.datetime | None,
    *,
    status: str = "signed",
) -> Contract:
    """A contract row of a tender of `buyer`, awarded to `supplier` (its bid and award too)."""
    tender = _tender(buyer)
    now = clock.now()
    leaf = next(_leaves)
    bid = Bid.objects.create(
        tender=tender,
        supplier=supplier,
        idempotency_key=f"k-{leaf}",
        envelope=b"{}",
        commitment=f"{leaf:064x}",
        leaf_index=leaf,
        receipt="receipt\n",
        received_at=clock.now(),
    )
    award = Award.objects.create(
        tender=tender,
        lot=tender.lots.get(),
        status="active",
        bid=bid,
        supplier=supplier,
        value_amount=Decimal(value),
        currency=currency,
        reason="El mejor precio.",
        decided_at=now,
        standstill_ends_at=now,
        activated_at=now,
    )
    return Contract.objects.create(
        tender=tender,
        award=award,
        buyer=buyer,
        supplier=supplier,
        title="Suministro",
        value=Decimal(value),
        currency=currency,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2027, 1, 1),
        status=status,
        buyer_signed_at=signed_at,
        buyer_signatory="Ana Rojas" if signed_at else "",
        **(
            {"ended_at": clock.now(), "end_reason": "Error en el precio."}
            if status == "cancelled"
            else {}
        ),
    )


def invoice(
    contract: Contract,
    received: dt.date,
    due: dt.date,
    paid: dt.date | None,
    *,
    amount: str = "10.00",
) -> Invoice:
    """An invoice of `contract`, accepted, and paid in full on `paid` (when given)."""
    number = contract.invoices.count() + 1
    milestone = Milestone.objects.create(
        contract=contract, number=number, title=f"Entrega {number}", due_date=received
    )
    fields: dict[str, Any] = {"status": "accepted"}
    if paid is not None:
        fields = {
            "status": "paid",
            "paid_amount": Decimal(amount),
            "paid_on": paid,
            "days_to_pay": (paid - received).days,
        }
    return Invoice.objects.create(
        contract=contract,
        milestone=milestone,
        number=number,
        reference=f"F-{contract.pk}-{number}",
        amount=Decimal(amount),
        currency=contract.currency,
        issued_on=received,
        received_on=received,
        due_days=(due - received).days,
        due_on=due,
        decided_at=clock.now(),
        file="invoices/f.pdf",
        filename="f.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        **fields,
    )


def tenderer(organization: Organization) -> dict[str, Any]:
    """A bidder as an opening record names it (see bids.services.opening._tenderer)."""
    entry: dict[str, Any] = {
        "id": organization.party_id,
        "name": organization.display_name,
        "scale": organization.scale,
        "cooperative": organization.is_cooperative,
    }
    if organization.is_consortium:
        entry["consortium"] = [
            {
                "id": m.member.party_id,
                "name": m.member.display_name,
                "scale": m.member.scale,
                "cooperative": m.member.is_cooperative,
                "share": "50",
                "lead": m.is_lead,
            }
            for m in organization.consortium.members.select_related("member")
        ]
    return entry


def opening(
    buyer: Organization, opened_at: dt.datetime | None, bidders: list[dict[str, Any]]
) -> Opening:
    """A tender of `buyer` whose bids were opened at `opened_at` (None: still collecting)."""
    tender = _tender(buyer)
    if opened_at is None:
        return Opening.objects.create(tender=tender)
    record = {
        "format": "pregon-opening/1",
        "tender": tender.ocid,
        "bids": [{"id": str(n), "tenderer": bidder} for n, bidder in enumerate(bidders, 1)],
    }
    return Opening.objects.create(
        tender=tender,
        status="opened",
        opened_at=opened_at,
        record=record,
        leaf_index=next(_leaves),
    )


def build() -> FiguresWorld:
    a = factories.BuyerFactory(legal_name="Ministerio A")
    b = factories.BuyerFactory(legal_name="Municipalidad B")
    z = factories.BuyerFactory(legal_name="Prefeitura Z", country="BR")
    micro = factories.SupplierFactory(scale="micro")
    coop = factories.SupplierFactory(scale="small", is_cooperative=True)
    medium = factories.SupplierFactory(scale="medium")
    large = factories.SupplierFactory(scale="large")
    self_employed = factories.SupplierFactory(scale="selfEmployed", country="BR")
    consortium = factories.SupplierFactory(scale="small", legal_form="consortium")
    user = factories.UserFactory()
    group = Consortium.objects.create(
        organization=consortium, status="formed", created_by=user, formed_at=clock.now()
    )
    for member, lead in ((micro, True), (coop, False)):
        ConsortiumMember.objects.create(
            consortium=group,
            member=member,
            is_lead=lead,
            share=Decimal(50),
            status="accepted",
            answered_at=clock.now(),
            answered_by=user,
        )
    contracts = {
        "c1": contract(a, micro, "100.00", "CLP", at(2026, 2, 10)),
        "c2": contract(a, coop, "300.00", "CLP", at(2026, 8, 1)),
        "c3": contract(a, large, "600.00", "CLP", at(2026, 8, 15)),
        "c4": contract(b, medium, "50.00", "USD", at(2026, 9, 30, 23)),
        "c5": contract(b, consortium, "200.00", "CLP", at(2026, 11, 5)),
        "c6": contract(z, self_employed, "1000.00", "BRL", at(2026, 7, 1)),
        "c7": contract(a, large, "999.00", "CLP", None, status="pending"),
        "c8": contract(a, micro, "500.00", "CLP", at(2026, 3, 3), status="cancelled"),
        "c9": contract(a, large, "400.00", "CLP", at(2025, 12, 31)),
    }
    unknown = {"id": "XX-1", "name": "Sin tamaño", "scale": "", "cooperative": False}
    opening(a, at(2026, 3, 1), [tenderer(micro), tenderer(coop), tenderer(large)])
    opening(b, at(2026, 8, 10), [tenderer(consortium), tenderer(medium), unknown])
    opening(z, at(2026, 8, 20), [tenderer(self_employed)])
    opening(a, None, [])
    d = dt.date
    c = contracts
    invoice(c["c1"], d(2026, 3, 1), d(2026, 3, 31), d(2026, 3, 21))
    invoice(c["c1"], d(2026, 4, 1), d(2026, 5, 1), d(2026, 5, 11))
    invoice(c["c2"], d(2026, 8, 10), d(2026, 9, 9), d(2026, 8, 20))
    invoice(c["c3"], d(2026, 8, 20), d(2026, 9, 19), d(2026, 10, 19))
    invoice(c["c4"], d(2026, 10, 1), d(2026, 10, 31), d(2026, 10, 31))
    invoice(c["c5"], d(2026, 11, 10), d(2026, 12, 10), d(2026, 12, 1))
    invoice(c["c6"], d(2026, 7, 5), d(2026, 8, 4), d(2026, 8, 14))
    invoice(c["c3"], d(2026, 9, 1), d(2026, 10, 1), None)
    return FiguresWorld(
        a=a,
        b=b,
        z=z,
        micro=micro,
        coop=coop,
        medium=medium,
        large=large,
        self_employed=self_employed,
        consortium=consortium,
        contracts=contracts,
    )
