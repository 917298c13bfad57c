"""A contract's life through its services: every move allowed and refused (a refusal changes
nothing: no row, release, log leaf, audit row or task), the database's own checks, amendments
kept with the values before and after, and which step publishes which release."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import orjson
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from pregon.contracts import services
from pregon.contracts.choices import ContractStatus, MilestoneStatus
from pregon.contracts.models import Contract, ContractAmendment, Milestone
from pregon.core import clock
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from pregon.evaluation.choices import AwardStatus
from pregon.evaluation.models import Award
from pregon.organizations.models import Organization
from pregon.publication.models import Release
from tests import factories
from tests.contracts.world import ContractWorld, contract_world, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(buyer: Organization, settings: Any) -> ContractWorld:
    return contract_world(buyer, settings)


def _tags(world: ContractWorld) -> list[str]:
    return [
        release.tag[0]
        for release in Release.objects.filter(ocid=world.award.tender.ocid).order_by("seq")
    ]


def _latest(world: ContractWorld) -> dict[str, Any]:
    release = Release.objects.filter(ocid=world.award.tender.ocid).order_by("-seq").first()
    assert release is not None
    return orjson.loads(release.data)


def _data(world: ContractWorld, **changes: Any) -> services.ContractData:
    fields: dict[str, Any] = {
        "title": "Suministro",
        "period_start": world.date(1),
        "period_end": world.date(100),
    } | changes
    return services.ContractData(**fields)


# ---------------------------------------------------------------------------------------------
# the draft


def test_a_draft_takes_the_awards_supplier_value_and_currency_and_is_not_published(
    world: ContractWorld,
) -> None:
    releases = Release.objects.count()

    contract = world.draft()

    assert contract.status == ContractStatus.PENDING
    assert (contract.supplier, contract.buyer) == (world.supplier, world.buyer)
    assert (contract.value, contract.currency) == (Decimal("118000.00"), "CLP")
    assert contract.supplier.legal_name == "Pequeña Empresa SpA"
    assert Release.objects.count() == releases
    assert AuditEvent.objects.filter(action="contract.draft", object_id=str(contract.pk)).exists()


def test_a_draft_needs_an_active_award_and_none_standing(
    world: ContractWorld, refused: Any
) -> None:
    data = _data(world)
    Award.objects.filter(pk=world.award.pk).update(status=AwardStatus.SUSPENDED, activated_at=None)
    world.award.refresh_from_db()
    refused(
        InvalidTransition,
        "award_not_active",
        services.contract_draft,
        actor=world.official,
        award=world.award,
        data=data,
    )
    Award.objects.filter(pk=world.award.pk).update(
        status=AwardStatus.ACTIVE, activated_at=clock.now()
    )
    world.award.refresh_from_db()
    world.draft()
    refused(
        InvalidTransition,
        "contract_exists",
        services.contract_draft,
        actor=world.official,
        award=world.award,
        data=data,
    )


def test_bad_terms_are_refused_with_the_field(world: ContractWorld, refused: Any) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.contract_draft,
        actor=world.official,
        award=world.award,
        data=_data(world, period_end=world.date(0)),
    )
    assert error.field == "period_end"
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.contract_draft,
        actor=world.official,
        award=world.award,
        data=_data(world, title="  "),
    )
    assert error.field == "title"
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.contract_draft,
        actor=world.official,
        award=world.award,
        data=_data(world, title="x" * 301),
    )
    assert error.field == "title"


def test_only_the_buyers_officials_draft(world: ContractWorld, refused: Any) -> None:
    data = _data(world)
    committee = factories.actor_for(factories.member(world.buyer, "committee_member"), world.buyer)
    other = factories.BuyerFactory()
    stranger = factories.actor_for(factories.member(other, "buyer_official"), other)
    for actor in (committee, stranger, world.supplier_actor):
        refused(
            PermissionDenied,
            "permission_denied",
            services.contract_draft,
            actor=actor,
            award=world.award,
            data=data,
        )


def test_a_draft_changes_until_it_is_signed(world: ContractWorld, refused: Any) -> None:
    contract = world.draft()
    updated = services.contract_update(
        actor=world.official, contract=contract, data=_data(world, title="Nuevo título")
    )
    assert updated.title == "Nuevo título"
    milestone = services.milestone_add(
        actor=world.official,
        contract=contract,
        data=services.MilestoneData(title="Entrega única", due_date=world.date(40)),
    )
    services.milestone_remove(actor=world.official, milestone=milestone)
    assert not Milestone.objects.filter(contract=contract).exists()
    world.with_parts(contract)
    with clock.at(world.at(2)):
        services.contract_sign(actor=world.official, contract=contract, signatory="Ana Rojas")
    for service, kwargs in (
        (services.contract_update, {"contract": contract, "data": _data(world)}),
        (
            services.contract_document_add,
            {
                "contract": contract,
                "data": services.DocumentData(
                    title="Anexo", document_type="contractAnnexe", upload=pdf()
                ),
            },
        ),
        (services.milestone_remove, {"milestone": contract.milestones.get(number=1)}),
        (
            services.contract_sign,
            {"contract": contract, "signatory": "Ana Rojas"},
        ),
    ):
        code = "cannot_sign" if service is services.contract_sign else "not_a_draft"
        refused(InvalidTransition, code, service, actor=world.official, **kwargs)


def test_a_document_must_be_of_an_accepted_type(world: ContractWorld, refused: Any) -> None:
    contract = world.draft()
    fake = SimpleUploadedFile(
        "contrato.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    refused(
        ValidationFailed,
        "file_content_mismatch",
        services.contract_document_add,
        actor=world.official,
        contract=contract,
        data=services.DocumentData(title="Contrato", document_type="contractSigned", upload=fake),
    )
    refused(
        ValidationFailed,
        "validation_failed",
        services.contract_document_add,
        actor=world.official,
        contract=contract,
        data=services.DocumentData(title="Contrato", document_type="invoice", upload=pdf()),
    )


# ---------------------------------------------------------------------------------------------
# signatures


def test_signing_needs_the_contracts_text(world: ContractWorld, refused: Any) -> None:
    contract = world.draft()
    error = refused(
        ValidationFailed,
        "contract_without_document",
        services.contract_sign,
        actor=world.official,
        contract=contract,
        signatory="Ana Rojas",
    )
    assert "document" in str(error.message)
    world.with_parts(contract)
    refused(
        ValidationFailed,
        "validation_failed",
        services.contract_sign,
        actor=world.official,
        contract=contract,
        signatory=" ",
    )


def test_the_buyer_signs_then_the_supplier_confirms(world: ContractWorld, refused: Any) -> None:
    before = _tags(world)
    contract = world.signed()

    assert contract.status == ContractStatus.SIGNED
    assert contract.buyer_signatory == "Ana Rojas, jefa de compras"
    assert _tags(world) == [*before, "contract"]
    assert _latest(world)["contracts"][0]["status"] == "pending"
    assert "dateSigned" not in _latest(world)["contracts"][0]
    # Only the supplier confirms; the buyer cannot confirm for it, nor another supplier.
    other = factories.SupplierFactory()
    for actor in (
        world.official,
        factories.actor_for(factories.member(other, "supplier_user"), other),
    ):
        refused(
            PermissionDenied,
            "permission_denied",
            services.contract_confirm,
            actor=actor,
            contract=contract,
            signatory="X",
        )

    with clock.at(world.at(3)):
        confirmed = services.contract_confirm(
            actor=world.supplier_actor, contract=contract, signatory="Luis Soto, gerente"
        )

    assert confirmed.status == ContractStatus.ACTIVE
    assert _tags(world) == [*before, "contract", "contractUpdate"]
    published = _latest(world)["contracts"][0]
    assert published["status"] == "active"
    assert published["dateSigned"] == confirmed.supplier_signed_at.astimezone(dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    refused(
        InvalidTransition,
        "cannot_confirm",
        services.contract_confirm,
        actor=world.supplier_actor,
        contract=contract,
        signatory="Luis Soto",
    )


def test_a_supplier_cannot_confirm_a_draft(world: ContractWorld, refused: Any) -> None:
    contract = world.with_parts(world.draft())
    refused(
        InvalidTransition,
        "cannot_confirm",
        services.contract_confirm,
        actor=world.supplier_actor,
        contract=contract,
        signatory="Luis Soto",
    )


# ---------------------------------------------------------------------------------------------
# cancellation


def test_a_draft_cancelled_is_never_published_and_frees_the_award(world: ContractWorld) -> None:
    before = _tags(world)
    contract = world.draft()
    services.contract_cancel(actor=world.official, contract=contract, reason="Error de datos.")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CANCELLED
    assert _tags(world) == before
    assert world.draft().status == ContractStatus.PENDING


def test_a_signed_contract_cancelled_is_published_with_the_reason(
    world: ContractWorld, refused: Any
) -> None:
    contract = world.signed()
    refused(
        ValidationFailed,
        "validation_failed",
        services.contract_cancel,
        actor=world.official,
        contract=contract,
        reason="",
    )
    with clock.at(world.at(3)):
        services.contract_cancel(
            actor=world.official, contract=contract, reason="El proveedor no presentó la garantía."
        )
    published = _latest(world)
    assert published["tag"] == ["contractUpdate"]
    entry = published["contracts"][0]
    assert entry["status"] == "cancelled"
    assert entry["documents"][-1]["documentType"] == "cancellationDetails"
    assert entry["documents"][-1]["description"] == "El proveedor no presentó la garantía."
    refused(
        InvalidTransition,
        "cannot_cancel",
        services.contract_cancel,
        actor=world.official,
        contract=contract,
        reason="Otra vez.",
    )


def test_a_contract_in_force_is_not_cancelled(world: ContractWorld, refused: Any) -> None:
    contract = world.active()
    refused(
        InvalidTransition,
        "cannot_cancel",
        services.contract_cancel,
        actor=world.official,
        contract=contract,
        reason="No.",
    )


# ---------------------------------------------------------------------------------------------
# amendments


def test_an_amendment_keeps_the_values_before_and_after_and_is_published(
    world: ContractWorld,
) -> None:
    contract = world.active()
    with clock.at(world.at(20)):
        first = services.contract_amend(
            actor=world.official,
            contract=contract,
            data=services.AmendmentData(
                reason="Aumento de cantidades (art. 10).",
                value=Decimal("130000"),
                period_end=world.date(200),
            ),
        )
    with clock.at(world.at(40)):
        second = services.contract_amend(
            actor=world.official,
            contract=contract,
            data=services.AmendmentData(
                reason="Nueva descripción.",
                value=Decimal("125000.50"),
                description="Entrega e instalación en 4 oficinas.",
                document=services.DocumentData(
                    title="Modificación firmada", document_type="contractSigned", upload=pdf()
                ),
            ),
        )
    contract.refresh_from_db()
    assert contract.value == Decimal("125000.50")
    assert contract.period_end == world.date(200)
    assert contract.description == "Entrega e instalación en 4 oficinas."
    history = [
        (a.number, a.previous_value, a.new_value, a.previous_period_end, a.new_period_end)
        for a in ContractAmendment.objects.filter(contract=contract)
    ]
    assert history == [
        (1, Decimal("118000.00"), Decimal("130000.00"), world.date(181), world.date(200)),
        (2, Decimal("130000.00"), Decimal("125000.50"), None, None),
    ]
    assert (first.previous_description, second.previous_description) == (
        None,
        "Entrega e instalación en 3 oficinas.",
    )
    assert second.documents.get().title == "Modificación firmada"
    published = _latest(world)
    assert published["tag"] == ["contractAmendment"]
    entry = published["contracts"][0]
    assert entry["value"] == {"amount": 125000.5, "currency": "CLP"}
    assert [(a["id"], a["rationale"]) for a in entry["amendments"]] == [
        ("1", "Aumento de cantidades (art. 10)."),
        ("2", "Nueva descripción."),
    ]
    # In words, with the values before and after, in that order.
    words = entry["amendments"][0]["description"]
    assert words.index("118000") < words.index("130000") < words.index("CLP")
    assert words.index(world.date(181).isoformat()) < words.index(world.date(200).isoformat())
    assert "Entrega e instalación en 4 oficinas." in entry["amendments"][1]["description"]


def test_an_amendment_must_change_something_and_give_its_reason(
    world: ContractWorld, refused: Any
) -> None:
    contract = world.active()
    refused(
        ValidationFailed,
        "amendment_changes_nothing",
        services.contract_amend,
        actor=world.official,
        contract=contract,
        data=services.AmendmentData(reason="Nada.", value=contract.value),
    )
    refused(
        ValidationFailed,
        "validation_failed",
        services.contract_amend,
        actor=world.official,
        contract=contract,
        data=services.AmendmentData(reason="", value=Decimal("1")),
    )
    refused(
        ValidationFailed,
        "validation_failed",
        services.contract_amend,
        actor=world.official,
        contract=contract,
        data=services.AmendmentData(reason="Fin antes del inicio.", period_end=world.date(-30)),
    )
    for bad in (Decimal("0"), Decimal("-5"), Decimal("1.005"), Decimal("NaN")):
        refused(
            ValidationFailed,
            "validation_failed",
            services.contract_amend,
            actor=world.official,
            contract=contract,
            data=services.AmendmentData(reason="Valor.", value=bad),
        )


def test_only_a_contract_in_force_is_amended(world: ContractWorld, refused: Any) -> None:
    contract = world.signed()
    refused(
        InvalidTransition,
        "cannot_amend",
        services.contract_amend,
        actor=world.official,
        contract=contract,
        data=services.AmendmentData(reason="Antes de tiempo.", value=Decimal("1000")),
    )


# ---------------------------------------------------------------------------------------------
# deliveries


def test_a_delivery_met_is_published_as_implementation(world: ContractWorld, refused: Any) -> None:
    contract = world.active()
    milestone = contract.milestones.get(number=1)
    with clock.at(world.at(10)):
        refused(
            ValidationFailed,
            "validation_failed",
            services.milestone_meet,
            actor=world.official,
            milestone=milestone,
            date_met=world.date(11),
        )
        refused(
            ValidationFailed,
            "validation_failed",
            services.milestone_meet,
            actor=world.official,
            milestone=milestone,
            date_met=world.date(0),
        )
    met = world.met(contract, 1, 10)
    assert (met.status, met.date_met) == (MilestoneStatus.MET, world.date(10))
    published = _latest(world)
    assert published["tag"] == ["implementation"]
    milestones = {m["id"]: m for m in published["contracts"][0]["milestones"]}
    assert milestones["1"]["status"] == "met"
    # Met on day 10 at the start of that day in Santiago (UTC-3 in its summer, UTC-4 otherwise).
    assert milestones["1"]["dateMet"][:10] == world.date(10).isoformat()
    assert milestones["1"]["dateMet"][11:] in {"03:00:00Z", "04:00:00Z"}
    assert milestones["2"]["status"] == "scheduled" and "dateMet" not in milestones["2"]
    with clock.at(world.at(11)):
        refused(
            InvalidTransition,
            "milestone_already_met",
            services.milestone_meet,
            actor=world.official,
            milestone=milestone,
            date_met=world.date(11),
        )


def test_deliveries_added_to_a_published_contract_are_published(world: ContractWorld) -> None:
    contract = world.active()
    with clock.at(world.at(5)):
        services.milestone_add(
            actor=world.official,
            contract=contract,
            data=services.MilestoneData(title="Capacitación", due_date=world.date(90)),
        )
    published = _latest(world)
    assert published["tag"] == ["contractUpdate"]
    assert [m["title"] for m in published["contracts"][0]["milestones"]] == [
        "Entrega 1",
        "Entrega 2",
        "Capacitación",
    ]


# ---------------------------------------------------------------------------------------------
# the end


def test_completion_needs_every_delivery_met(world: ContractWorld, refused: Any) -> None:
    contract = world.active()
    world.met(contract, 1, 10)
    error = refused(
        InvalidTransition,
        "deliveries_pending",
        services.contract_complete,
        actor=world.official,
        contract=contract,
    )
    assert "1" in str(error.message)
    world.met(contract, 2, 40)
    with clock.at(world.at(41)):
        done = services.contract_complete(actor=world.official, contract=contract)
    assert done.status == ContractStatus.COMPLETED
    published = _latest(world)
    assert published["tag"] == ["contractTermination"]
    entry = published["contracts"][0]
    assert entry["status"] == "terminated"
    assert entry["implementation"]["documents"][0]["documentType"] == "completionCertificate"
    for service, kwargs in (
        (services.contract_complete, {}),
        (services.contract_terminate, {"reason": "Tarde."}),
        (services.contract_amend, {"data": services.AmendmentData(reason="x", value=Decimal(1))}),
    ):
        code = {
            services.contract_complete: "cannot_complete",
            services.contract_terminate: "cannot_terminate",
            services.contract_amend: "cannot_amend",
        }[service]
        refused(InvalidTransition, code, service, actor=world.official, contract=contract, **kwargs)


def test_termination_with_its_reason_frees_the_award(world: ContractWorld, refused: Any) -> None:
    contract = world.active()
    refused(
        ValidationFailed,
        "validation_failed",
        services.contract_terminate,
        actor=world.official,
        contract=contract,
        reason="  ",
    )
    with clock.at(world.at(15)):
        services.contract_terminate(
            actor=world.official, contract=contract, reason="Incumplimiento grave del proveedor."
        )
    entry = _latest(world)["contracts"][0]
    assert entry["status"] == "terminated"
    assert entry["documents"][-1]["id"] == "termination"
    assert entry["documents"][-1]["description"] == "Incumplimiento grave del proveedor."
    assert world.draft(16).status == ContractStatus.PENDING


# ---------------------------------------------------------------------------------------------
# the database says so too


def test_the_database_refuses_what_the_services_refuse(world: ContractWorld) -> None:
    contract = world.active()
    other = factories.SupplierFactory()
    for changes in (
        {"value": Decimal(0)},
        {"period_end": world.date(-1)},
        {"accepted_amount": Decimal("118000.01")},
        {"status": "signed"},  # an active contract keeps its supplier's signature
        {"status": "terminated", "end_reason": "", "ended_at": clock.now()},
        {"status": "unknown"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Contract.objects.filter(pk=contract.pk).update(**changes)
    # A second standing contract of the same award.
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(
            tender=contract.tender,
            award=contract.award,
            buyer=contract.buyer,
            supplier=other,
            title="Duplicado",
            value=Decimal(1),
            currency="CLP",
            period_start=world.date(1),
            period_end=world.date(2),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(contract=contract, number=1).update(status="met")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractAmendment.objects.create(contract=contract, number=9, reason="Nada cambia.")
