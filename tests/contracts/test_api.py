"""The contracts' API: a tender's signed contracts, with their amendments, deliveries and
payments, public and checked against the committed OpenAPI document; drafts never appear."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from pregon.contracts import services
from pregon.core import clock
from tests import factories
from tests.api.openapi_check import check
from tests.contracts.world import ContractWorld, contract_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(buyer: Any, settings: Any) -> ContractWorld:
    return contract_world(buyer, settings)


def _list(world: ContractWorld, **query: Any) -> Any:
    return Client().get(f"/api/v1/tenders/{world.award.tender.pk}/contracts", query)


def test_the_list_is_empty_until_the_buyer_signs(world: ContractWorld) -> None:
    world.with_parts(world.draft())
    response = _list(world)
    assert response.status_code == 200
    assert check(response) == {"count": 0, "items": []}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_contract_with_its_amendment_deliveries_and_payments(world: ContractWorld) -> None:
    contract = world.active()
    with clock.at(world.at(5)):
        services.contract_amend(
            actor=world.official,
            contract=contract,
            data=services.AmendmentData(reason="Más equipos.", value=Decimal("130000")),
        )
    world.met(contract, 1, 10)
    invoice = world.invoice(contract, 1, 11, "50000")
    world.accept(invoice, 12)
    world.pay(invoice, 50)

    body = check(_list(world))

    assert body["count"] == 1
    item = body["items"][0]
    assert {key: item[key] for key in ("ocds_id", "award_id", "lot", "status", "currency")} == {
        "ocds_id": f"contract-{contract.pk}",
        "award_id": world.award.ocds_id,
        "lot": 1,
        "status": "active",
        "currency": "CLP",
    }
    assert Decimal(item["value"]) == Decimal("130000")
    assert item["supplier"] == {
        "id": world.supplier.party_id,
        "name": "Pequeña Empresa SpA",
    }
    assert [
        (a["number"], Decimal(a["previous_value"]), Decimal(a["new_value"]), a["reason"])
        for a in item["amendments"]
    ] == [(1, Decimal("118000"), Decimal("130000"), "Más equipos.")]
    assert [(m["number"], m["status"], m["date_met"]) for m in item["milestones"]] == [
        (1, "met", world.date(10).isoformat()),
        (2, "scheduled", None),
    ]
    assert [
        (p["number"], p["invoice"], p["paid_on"], p["invoice_due_on"], p["late"])
        for p in item["payments"]
    ] == [(1, 1, world.date(50).isoformat(), world.date(41).isoformat(), True)]
    assert [d["document_type"] for d in item["documents"]] == ["contractSigned"]
    assert "F-0011" not in str(body)  # the invoice's own number is not public


def test_a_draft_tender_answers_404(world: ContractWorld, buyer: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    response = Client().get(f"/api/v1/tenders/{draft.pk}/contracts")
    assert response.status_code == 404
    assert check(response)["code"] == "not_found"
