"""Fixtures of the plans' tests: a buyer's official, its draft and published plans, and the
published site's address (the releases name the line's public page)."""

from __future__ import annotations

from typing import Any

import pytest

from pregon.core.actor import Actor
from pregon.planning.models import Plan
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
