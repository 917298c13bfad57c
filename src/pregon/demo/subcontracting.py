"""Subcontracting in the demo: the prime contractor of a contract in force posts a
sub-opportunity reserved for MSMEs, a micro firm answers it and is chosen, and the prime
records a payment to it; the subcontract and the share paid to MSMEs are published with the
contract. A bidder preparing its offer for an open tender posts another, still open for
answers, so that a visitor finds one on the sub-opportunities' page.

Runs after the tenders (called last from `world.build_demo`), between the demo's latest release
and now: every release of the demo stays in date order.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from django.db.models import Max

from pregon.accounts.choices import SUPPLIER_ROLES, OrganizationKind
from pregon.accounts.models import User
from pregon.contracts.choices import ContractStatus
from pregon.contracts.models import Contract
from pregon.contracts.terms import today_of
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.organizations.choices import Scale
from pregon.organizations.models import Organization
from pregon.publication.models import Release
from pregon.subcontracting import services
from pregon.subcontracting.choices import Reservation
from pregon.tenders.choices import TenderStatus
from pregon.tenders.models import Tender


def _actor(organization: Organization) -> Actor | None:
    user = (
        User.objects.filter(
            memberships__organization=organization, memberships__role__in=SUPPLIER_ROLES
        )
        .order_by("pk")
        .first()
    )
    if user is None:
        return None
    return Actor(user=user, organization=organization, channel="command")


def build_subcontracting(*, now: dt.datetime) -> int:
    """One sub-opportunity answered, chosen, subcontracted and partly paid; returns how many
    subcontracts were recorded (0 when the demo has no contract in force or no micro firm)."""
    contract = (
        Contract.objects.filter(status=ContractStatus.ACTIVE, tender__isnull=False)
        .select_related("supplier", "buyer", "tender")
        .order_by("pk")
        .first()
    )
    if contract is None:
        return 0
    micro = (
        Organization.objects.filter(kind=OrganizationKind.SUPPLIER, scale=Scale.MICRO)
        .exclude(pk=contract.supplier_id)
        .order_by("pk")
        .first()
    )
    prime = _actor(contract.supplier)
    micro_actor = _actor(micro) if micro is not None else None
    if prime is None or micro_actor is None:
        return 0
    latest = Release.objects.aggregate(latest=Max("date"))["latest"]
    start = max(latest, now - dt.timedelta(hours=4)) if latest else now - dt.timedelta(hours=4)
    step = (now - start) / 5
    value = (contract.value / 10).quantize(Decimal("1"), rounding=ROUND_DOWN)
    spanish = contract.tender is not None and contract.tender.language == "es"
    with clock.at(start + 1 * step):
        opportunity = services.sub_opportunity_post(
            actor=prime,
            contract=contract,
            data=services.SubOpportunityData(
                title="Transporte y montaje en obra" if spanish else "Transport and installation",
                description=(
                    "Transporte de los equipos desde nuestra bodega y su montaje en las "
                    "oficinas del comprador, con personal propio."
                    if spanish
                    else "Carrying the equipment from our warehouse and installing it at the "
                    "buyer's offices, with your own staff."
                ),
                estimated_value=value,
                closes_at=now + dt.timedelta(days=10),
                reserved=Reservation.MSME,
            ),
        )
    with clock.at(start + 2 * step):
        answer = services.answer_submit(
            actor=micro_actor,
            opportunity=opportunity,
            data=services.AnswerData(
                price=(value * Decimal("0.9")).quantize(Decimal("1"), rounding=ROUND_DOWN),
                note="Camión propio y dos técnicos; 5 días hábiles."
                if spanish
                else "Own truck and two technicians; 5 working days.",
            ),
        )
    with clock.at(start + 3 * step):
        services.answer_pick(actor=prime, answer=answer)
    subcontract = contract.subcontracts.get(answer=answer)
    with clock.at(start + 4 * step):
        services.subcontract_payment_record(
            actor=prime,
            subcontract=subcontract,
            data=services.SubcontractPaymentData(
                amount=(subcontract.value / 2).quantize(Decimal("0.01"), rounding=ROUND_DOWN),
                paid_on=today_of(contract.buyer),
            ),
        )
    _post_for_an_open_tender(now)
    return 1


def _post_for_an_open_tender(now: dt.datetime) -> None:
    """A bidder preparing its bid for an open tender offers part of the work to MSMEs, open
    for answers: what a visitor finds on the sub-opportunities' page."""
    tender = (
        Tender.objects.filter(
            status=TenderStatus.ACTIVE,
            language="es",
            submission_deadline__gt=now + dt.timedelta(days=3),
        )
        .select_related("buyer")
        .order_by("submission_deadline", "pk")
        .first()
    )
    if tender is None:
        return
    poster = (
        Organization.objects.filter(
            kind=OrganizationKind.SUPPLIER,
            country=tender.buyer.country,
            scale__in=[Scale.MEDIUM, Scale.LARGE],
        )
        .order_by("pk")
        .first()
    )
    actor = _actor(poster) if poster is not None else None
    if actor is None:
        return
    closes = min(now + dt.timedelta(days=7), tender.submission_deadline - dt.timedelta(days=1))
    with clock.at(now - dt.timedelta(hours=1)):
        services.sub_opportunity_post(
            actor=actor,
            tender=tender,
            data=services.SubOpportunityData(
                title="Parte del suministro para una oferta conjunta",
                description=(
                    f"Preparamos nuestra oferta para «{tender.title}». Buscamos una micro o "
                    "pequeña empresa de la región que provea y entregue parte de lo pedido; "
                    "indique su precio y plazo. Si ganamos, el subcontrato se registra y se "
                    "publica con el contrato."
                ),
                estimated_value=(tender.estimated_value / 5).quantize(
                    Decimal("1"), rounding=ROUND_DOWN
                ),
                closes_at=closes,
                reserved=Reservation.MSME,
            ),
        )
