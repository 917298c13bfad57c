"""Contracts for the tests: an active award (opened, evaluated and decided through the
services, its standstill over), and a contract at each step of its life, on a calendar the
tests control.

Every step happens at a chosen moment of the platform clock, `ContractWorld.at(day)`: noon of
the `day`-th day after the award became final, in the buyer's zone (America/Santiago), so that
dates (received, due, paid) are whole days the tests can count by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from pregon.contracts import services
from pregon.contracts.models import Contract, Invoice, Milestone
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.evaluation.models import Award
from pregon.evaluation.services import award_standstill_end
from pregon.organizations.models import Organization
from tests import factories
from tests.bids.opening_world import OpeningWorld, opening_world
from tests.evaluation.award_world import decided
from tests.evaluation.world import opened
from tests.organizations.evidence import give_evidence

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SANTIAGO = ZoneInfo("America/Santiago")


def pdf(name: str = "contrato.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class ContractWorld:
    """An active award and the people of its buyer and supplier."""

    opening: OpeningWorld
    award: Award
    official: Actor
    supplier_actor: Actor
    day_zero: dt.date

    @property
    def buyer(self) -> Organization:
        return self.award.tender.buyer

    @property
    def supplier(self) -> Organization:
        assert self.award.supplier is not None
        return self.award.supplier

    def at(self, day: int, hour: int = 12) -> dt.datetime:
        """Noon (or `hour`) of the `day`-th day after the award became final, in Santiago."""
        return dt.datetime.combine(
            self.day_zero + dt.timedelta(days=day), dt.time(hour), tzinfo=SANTIAGO
        )

    def date(self, day: int) -> dt.date:
        return self.day_zero + dt.timedelta(days=day)

    def supplier_actor_of(self, award: Award) -> Actor:
        """A (new) person of the award's supplier."""
        assert award.supplier is not None
        return factories.actor_for(
            factories.member(award.supplier, "supplier_user"), award.supplier
        )

    def other_award(self, day: int = 1) -> Award:
        """Lot 2 evaluated, awarded (to "Gran Empresa SA", 79,000.25) and final."""
        with clock.at(self.at(day, 9)):
            award = decided(self.opening, 2)
            award_standstill_end(award_id=award.pk)
            assert award.supplier is not None
            give_evidence(award.supplier, until=self.date(day) + dt.timedelta(days=400))
        award.refresh_from_db()
        return award

    # -- a contract at each step ------------------------------------------------------------

    def draft(self, day: int = 1, *, award: Award | None = None, **fields: object) -> Contract:
        data = services.ContractData(
            title=str(fields.get("title", "Suministro de computadores, lote 1")),
            description=str(fields.get("description", "Entrega e instalación en 3 oficinas.")),
            period_start=self.date(day),
            period_end=self.date(day + 180),
        )
        with clock.at(self.at(day)):
            return services.contract_draft(
                actor=self.official, award=award or self.award, data=data
            )

    def with_parts(self, contract: Contract, day: int = 1, *, deliveries: int = 2) -> Contract:
        with clock.at(self.at(day, 13)):
            services.contract_document_add(
                actor=self.official,
                contract=contract,
                data=services.DocumentData(
                    title="Contrato firmado", document_type="contractSigned", upload=pdf()
                ),
            )
            for number in range(1, deliveries + 1):
                services.milestone_add(
                    actor=self.official,
                    contract=contract,
                    data=services.MilestoneData(
                        title=f"Entrega {number}", due_date=self.date(day + 30 * number)
                    ),
                )
        return contract

    def signed(self, day: int = 2) -> Contract:
        contract = self.with_parts(self.draft(day - 1), day - 1)
        with clock.at(self.at(day)):
            return services.contract_sign(
                actor=self.official, contract=contract, signatory="Ana Rojas, jefa de compras"
            )

    def active(self, day: int = 3) -> Contract:
        contract = self.signed(day - 1)
        with clock.at(self.at(day)):
            return services.contract_confirm(
                actor=self.supplier_actor, contract=contract, signatory="Luis Soto, gerente"
            )

    def met(self, contract: Contract, number: int, day: int) -> Milestone:
        milestone = contract.milestones.get(number=number)
        with clock.at(self.at(day)):
            return services.milestone_meet(
                actor=self.official, milestone=milestone, date_met=self.date(day)
            )

    def invoice(self, contract: Contract, number: int, day: int, amount: str = "50000") -> Invoice:
        with clock.at(self.at(day)):
            return services.invoice_submit(
                actor=self.supplier_actor,
                contract=contract,
                data=services.InvoiceData(
                    milestone=contract.milestones.get(number=number),
                    reference=f"F-{day:04d}",
                    amount=Decimal(amount),
                    issued_on=self.date(day),
                    upload=pdf("factura.pdf"),
                ),
            )

    def accept(self, invoice: Invoice, day: int) -> Invoice:
        with clock.at(self.at(day)):
            return services.invoice_accept(actor=self.official, invoice=invoice)

    def pay(self, invoice: Invoice, day: int, amount: str | None = None) -> object:
        with clock.at(self.at(day)):
            return services.payment_record(
                actor=self.official,
                invoice=invoice,
                data=services.PaymentData(
                    amount=Decimal(amount) if amount else invoice.amount - invoice.paid_amount,
                    paid_on=self.date(day),
                ),
            )


def contract_world(buyer: Organization, settings: object) -> ContractWorld:
    """A tender of two lots opened and evaluated, lot 1 awarded to "Pequeña Empresa SpA" at
    118,000 CLP and final (no standstill: PREGON_STANDSTILL_DAYS is 0)."""
    settings.PREGON_STANDSTILL_DAYS = 0  # type: ignore[attr-defined]
    world = opened(opening_world(buyer))
    with clock.at(world.at + dt.timedelta(hours=1)):
        award = decided(world)
        award_standstill_end(award_id=award.pk)
    award.refresh_from_db()
    assert award.status == "active" and award.activated_at is not None
    official = factories.actor_for(factories.member(buyer, "buyer_official"), buyer)
    supplier = award.supplier
    assert supplier is not None
    supplier_actor = factories.actor_for(factories.member(supplier, "supplier_user"), supplier)
    day_zero = (award.activated_at.astimezone(SANTIAGO) + dt.timedelta(days=1)).date()
    # The winner gives its evidence before the contract (documents current, scale verified).
    with clock.at(award.activated_at):
        give_evidence(supplier, until=day_zero + dt.timedelta(days=400), actor=supplier_actor)
    return ContractWorld(
        opening=world,
        award=award,
        official=official,
        supplier_actor=supplier_actor,
        day_zero=day_zero,
    )
