"""Fixtures of the API tests: API keys with chosen scopes, and a client that sends them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pregon.core.actor import Actor
from pregon.organizations.models import Organization
from pregon.organizations.services import api_key_issue
from tests import factories

ALL_BUYER_SCOPES = ["questions:answer", "tenders:read", "tenders:write"]


@pytest.fixture
def issue_key(db: None) -> Callable[..., str]:
    """Issue a key for an organization with the given scopes; returns the bearer token."""

    def issue(organization: Organization, scopes: list[str]) -> str:
        role = "buyer_official" if organization.kind == "buyer" else "supplier_user"
        user = factories.member(organization, role)
        _, token = api_key_issue(
            actor=Actor(user=user, organization=organization),
            organization=organization,
            name="Mercado Integrador",
            scopes=scopes,
        )
        return token

    return issue


@pytest.fixture
def buyer_token(buyer: Any, issue_key: Callable[..., str]) -> str:
    return issue_key(buyer, ALL_BUYER_SCOPES)


@pytest.fixture
def supplier_token(supplier: Any, issue_key: Callable[..., str]) -> str:
    return issue_key(supplier, ["questions:ask"])


def bearer(token: str, **headers: str) -> dict[str, str]:
    """Request headers carrying an API key."""
    return {"Authorization": f"Bearer {token}", **headers}
