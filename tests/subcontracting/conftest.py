"""Fixtures of the subcontracting tests: a contract in force (tests/contracts/world.py) whose
supplier is the prime, a micro firm and a large firm that answer, and a tender open for bids."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from pregon.contracts.models import Contract
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.organizations.models import Organization
from pregon.subcontracting import services
from pregon.subcontracting.models import Answer, SubOpportunity
from tests import factories
from tests.bids.conftest import _log_key, issue_key
from tests.contracts.world import ContractWorld, contract_world

__all__ = ["_log_key", "issue_key"]


@dataclass
class SubWorld:
    """A prime contractor's contract in force, and two firms that may answer."""

    contracts: ContractWorld
    contract: Contract
    prime: Actor
    micro: Organization
    micro_actor: Actor
    large: Organization
    large_actor: Actor

    def at(self, day: int, hour: int = 12) -> dt.datetime:
        return self.contracts.at(day, hour)

    def post(self, day: int = 4, **fields: Any) -> SubOpportunity:
        """A sub-opportunity of the contract, open until day `day + 10`."""
        data = services.SubOpportunityData(
            title=str(fields.pop("title", "Instalación eléctrica de 3 oficinas")),
            description=str(fields.pop("description", "Cableado y tableros, 3 oficinas.")),
            estimated_value=fields.pop("estimated_value", Decimal("20000")),
            closes_at=fields.pop("closes_at", self.at(day + 10)),
            reserved=str(fields.pop("reserved", "msme")),
            classification_scheme=str(fields.pop("classification_scheme", "CPV")),
            classification_code=str(fields.pop("classification_code", "45310000-3")),
        )
        with clock.at(self.at(day)):
            return services.sub_opportunity_post(
                actor=self.prime, contract=self.contract, data=data, **fields
            )

    def answer(self, opportunity: SubOpportunity, actor: Actor, price: str, day: int = 5) -> Answer:
        with clock.at(self.at(day)):
            return services.answer_submit(
                actor=actor,
                opportunity=opportunity,
                data=services.AnswerData(price=Decimal(price), note="Equipo certificado."),
            )


def firm(scale: str, name: str) -> tuple[Organization, Actor]:
    organization = factories.SupplierFactory(scale=scale, legal_name=name)
    user = factories.member(organization, "supplier_user")
    return organization, factories.actor_for(user, organization)


@pytest.fixture
def sub(buyer: Any, settings: Any) -> SubWorld:
    world = contract_world(buyer, settings)
    contract = world.active()
    micro, micro_actor = firm("micro", "Electricidad Norte SpA")
    large, large_actor = firm("large", "Grandes Obras SA")
    return SubWorld(
        contracts=world,
        contract=contract,
        prime=world.supplier_actor,
        micro=micro,
        micro_actor=micro_actor,
        large=large,
        large_actor=large_actor,
    )


@dataclass
class Market:
    """A tender open for bids, a bidder preparing its bid (the poster), and two firms."""

    tender: Any
    now: dt.datetime
    bidder: Organization
    prime: Actor
    micro: Organization
    micro_actor: Actor
    large: Organization
    large_actor: Actor

    def post(self, **fields: Any) -> SubOpportunity:
        data = services.SubOpportunityData(
            title=str(fields.pop("title", "Movimiento de tierra")),
            description=str(fields.pop("description", "Excavación de 300 m³.")),
            estimated_value=fields.pop("estimated_value", Decimal("900")),
            closes_at=fields.pop("closes_at", self.now + dt.timedelta(days=1)),
            reserved=str(fields.pop("reserved", "msme")),
        )
        with clock.at(self.now):
            return services.sub_opportunity_post(actor=self.prime, tender=self.tender, data=data)

    def answer(self, opportunity: SubOpportunity, actor: Actor, price: str) -> Answer:
        with clock.at(self.now + dt.timedelta(hours=1)):
            return services.answer_submit(
                actor=actor,
                opportunity=opportunity,
                data=services.AnswerData(price=Decimal(price), note="Con maquinaria propia."),
            )


@pytest.fixture
def market(buyer: Any) -> Market:
    tender = factories.TenderOpenFactory(buyer=buyer)
    bidder, prime = firm("medium", "Constructora Sur SpA")
    micro, micro_actor = firm("micro", "Electricidad Norte SpA")
    large, large_actor = firm("large", "Grandes Obras SA")
    return Market(
        tender=tender,
        now=tender.submission_deadline - dt.timedelta(days=2),
        bidder=bidder,
        prime=prime,
        micro=micro,
        micro_actor=micro_actor,
        large=large,
        large_actor=large_actor,
    )
