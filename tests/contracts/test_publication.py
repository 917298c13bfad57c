"""What the contracts publish, through a whole life (signed, confirmed, amended, delivered,
invoiced, paid on time and late, completed; a second contract terminated): every release and
the compiled record valid, and referentially sound: every `contracts[].awardID` names an award
of the same release and record, every contract's supplier is a party with the role `supplier`
and its scale, every transaction's payer is the buyer and its payee the supplier, both parties.
Nothing of a draft, an invoice or a signatory is published."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
import pytest

from pregon.contracts import services
from pregon.core import clock
from pregon.ocds.merge import compile_release
from pregon.publication import services as publication
from pregon.publication.models import Record, Release
from tests.contracts.world import ContractWorld, contract_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def lived(buyer: Any, settings: Any) -> ContractWorld:
    world = contract_world(buyer, settings)
    contract = world.active()
    with clock.at(world.at(5)):
        services.contract_amend(
            actor=world.official,
            contract=contract,
            data=services.AmendmentData(
                reason="Ampliación del plazo.", period_end=world.date(200), value=Decimal("120000")
            ),
        )
    world.met(contract, 1, 10)
    first = world.invoice(contract, 1, 11, "50000")
    world.accept(first, 12)
    world.pay(first, 29)
    world.met(contract, 2, 40)
    second = world.invoice(contract, 2, 41, "70000")
    world.accept(second, 42)
    world.pay(second, 80)
    with clock.at(world.at(81)):
        services.contract_complete(actor=world.official, contract=contract, note="Conforme.")
    # A second lot's contract, terminated; and a third draft that must never show.
    other = world.other_award(82)
    terminated = world.with_parts(world.draft(82, award=other), 82)
    with clock.at(world.at(83)):
        services.contract_sign(actor=world.official, contract=terminated, signatory="Ana Rojas")
    with clock.at(world.at(84)):
        services.contract_confirm(
            actor=world.supplier_actor_of(other), contract=terminated, signatory="Pedro Gil"
        )
    with clock.at(world.at(85)):
        services.contract_terminate(
            actor=world.official, contract=terminated, reason="Quiebra del proveedor."
        )
    world.draft(86, award=other, title="Borrador secreto")
    return world


def _releases(world: ContractWorld) -> list[dict[str, Any]]:
    return [
        orjson.loads(data)
        for data in Release.objects.filter(ocid=world.award.tender.ocid)
        .order_by("seq")
        .values_list("data", flat=True)
    ]


def _sound(release: dict[str, Any]) -> None:
    """The referential checks of one release (or compiled release)."""
    awards = {award["id"] for award in release.get("awards", [])}
    parties = {party["id"]: party for party in release["parties"]}
    buyer = release["buyer"]["id"]
    for contract in release.get("contracts", []):
        assert contract["awardID"] in awards, contract["id"]
        award = next(a for a in release["awards"] if a["id"] == contract["awardID"])
        for supplier in award["suppliers"]:
            party = parties[supplier["id"]]
            assert "supplier" in party["roles"]
            assert party["details"]["scale"] in {"micro", "small", "medium", "large", "sme"}
        for transaction in contract.get("implementation", {}).get("transactions", []):
            assert transaction["payer"]["id"] == buyer
            assert "payer" in parties[buyer]["roles"]
            payee = parties[transaction["payee"]["id"]]
            assert "payee" in payee["roles"]
            assert transaction["payee"]["id"] in {s["id"] for s in award["suppliers"]}
            assert transaction["payee"]["name"] == payee["name"]


def test_every_release_and_the_record_validate_and_are_referentially_sound(
    lived: ContractWorld,
) -> None:
    validator = publication.validator()
    releases = _releases(lived)
    contract_releases = [r for r in releases if "contracts" in r]
    assert [r["tag"][0] for r in contract_releases] == [
        "contract",
        "contractUpdate",
        "contractAmendment",
        "implementation",
        "implementation",
        "implementation",
        "implementation",
        "contractTermination",
        "tenderUpdate",  # lot 2's evaluation completed
        "award",
        "awardUpdate",
        "contract",
        "contractUpdate",
        "contractTermination",
    ]
    for release in releases:
        assert validator.validate_release(release) == [], release["id"]
        _sound(release)
    record = Record.objects.get(ocid=lived.award.tender.ocid)
    assert validator.validate_release(record.compiled) == []
    assert record.compiled == compile_release(releases)
    _sound(record.compiled)


def test_the_compiled_record_holds_each_contracts_history(lived: ContractWorld) -> None:
    compiled = Record.objects.get(ocid=lived.award.tender.ocid).compiled
    contracts = {c["id"]: c for c in compiled["contracts"]}
    assert len(contracts) == 2
    first, second = sorted(contracts.values(), key=lambda c: c["id"])
    assert (first["status"], first["value"]) == (
        "terminated",
        {"amount": 120000, "currency": "CLP"},
    )
    assert [m["status"] for m in first["milestones"]] == ["met", "met"]
    assert [t["paidLate"] for t in first["implementation"]["transactions"]] == [False, True]
    assert first["implementation"]["documents"][0]["description"] == "Conforme."
    assert [a["rationale"] for a in first["amendments"]] == ["Ampliación del plazo."]
    assert second["status"] == "terminated"
    assert second["documents"][-1]["description"] == "Quiebra del proveedor."


def test_drafts_invoices_and_signatories_are_never_published(lived: ContractWorld) -> None:
    everything = Release.objects.filter(ocid=lived.award.tender.ocid).values_list("data", flat=True)
    for data in everything:
        for secret in ("Borrador secreto", "Ana Rojas", "Luis Soto", "Pedro Gil", "F-0011"):
            assert secret not in data
