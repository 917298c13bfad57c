"""Fixtures of the plans' tests: a buyer's official, its draft and published plans, and the
published site's address (the releases name the line's public page)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pregon.core.actor import Actor
from pregon.planning import services
from pregon.planning.models import Plan, PlanLine
from pregon.tenders import services as tender_services
from tests import factories


@pytest.fixture(autouse=True)
def _site(settings: Any, tmp_path: Any) -> None:
    settings.PREGON_DATA_DIR = tmp_path / "data"
    settings.SITE_URL = "https://compras.example.org"


@pytest.fixture
def draft_plan(buyer: Any, official: Any) -> Plan:
    """A draft plan of `buyer` with one draft line."""
    return factories.PlanDraftFactory(buyer=buyer)


@pytest.fixture
def published_plan(buyer: Any, official: Any) -> Plan:
    """A plan of `buyer` published with its one line."""
    return factories.PlanPublishedFactory(buyer=buyer)


@pytest.fixture
def other_official_actor(other_buyer: Any) -> Actor:
    """An official of another buyer."""
    user = factories.member(other_buyer, "buyer_official")
    return Actor(user=user, organization=other_buyer, ip_address="203.0.113.9")


@pytest.fixture
def world(buyer: Any, official: Any) -> dict[str, PlanLine]:
    """Three lines coming soon, a draft one, a withdrawn one, and one a tender follows."""
    north = factories.BuyerFactory(region="Antofagasta")
    plan = factories.PlanDraftFactory(buyer=buyer, lines=0)
    lines = {
        "computers": factories.PlanLineDraftFactory(
            plan=plan, description="Computadores portátiles", classification_code="30213100-6"
        ),
        "roads": factories.PlanLineDraftFactory(
            plan=plan,
            description="Mantención de caminos rurales",
            classification_code="45233141-9",
            category="works",
            quarter=1,
        ),
        "withdrawn": factories.PlanLineDraftFactory(plan=plan, description="Impresoras láser"),
        "followed": factories.PlanLineDraftFactory(plan=plan, description="Servidores"),
    }
    services.plan_publish(actor=factories.actor_for(official, buyer), plan=plan)
    north_plan = factories.PlanDraftFactory(buyer=north, lines=0)
    lines["north"] = factories.PlanLineDraftFactory(
        plan=north_plan,
        description="Construcción de un liceo",
        classification_code="45214200-2",
        category="works",
        estimated_value=Decimal("2500000000"),
    )
    north_official = factories.member(north, "buyer_official")
    services.plan_publish(actor=factories.actor_for(north_official, north), plan=north_plan)
    actor = factories.actor_for(official, buyer)
    services.plan_line_withdraw(actor=actor, line=lines["withdrawn"], reason="Ya no se necesitan.")
    tender_services.tender_draft_from_plan_line(actor=actor, line=lines["followed"])
    lines["draft"] = factories.PlanLineDraftFactory(plan=plan, description="Línea en borrador")
    return lines
