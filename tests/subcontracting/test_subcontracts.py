"""Subcontracts and their payments on a contract in force: posted on the contract, chosen,
recorded directly, paid; the share paid to MSMEs; and every refusal (changing no row)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pregon.contracts import services as contract_services
from pregon.core import clock
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.demo.subcontracting import build_subcontracting
from pregon.subcontracting import services
from pregon.subcontracting.models import Answer, Subcontract, SubOpportunity
from pregon.subcontracting.selectors import chosen_answers_for, contract_subcontracting
from tests.subcontracting.conftest import SubWorld

pytestmark = pytest.mark.django_db


def _direct(sub: SubWorld, organization: Any, value: str, day: int = 5) -> Subcontract:
    with clock.at(sub.at(day)):
        return services.subcontract_record(
            actor=sub.prime,
            contract=sub.contract,
            data=services.SubcontractData(
                description="Transporte", value=Decimal(value), subcontractor=organization
            ),
        )


def _pay(sub: SubWorld, subcontract: Subcontract, amount: str, day: int = 5) -> Any:
    with clock.at(sub.at(day)):
        return services.subcontract_payment_record(
            actor=sub.prime,
            subcontract=subcontract,
            data=services.SubcontractPaymentData(
                amount=Decimal(amount), paid_on=sub.contracts.date(day)
            ),
        )


def test_a_prime_posts_on_its_contract_and_picking_records_the_subcontract(
    sub: SubWorld, refused: Any
) -> None:
    opportunity = sub.post(reserved="open")
    chosen = sub.answer(opportunity, sub.micro_actor, "18000")
    sub.answer(opportunity, sub.large_actor, "15000")
    with clock.at(sub.at(6)):
        refused(
            PermissionDenied,
            "not_the_prime",
            services.sub_opportunity_post,
            actor=sub.micro_actor,
            contract=sub.contract,
            data=services.SubOpportunityData(
                title="X", description="Y", estimated_value=Decimal(1), closes_at=sub.at(9)
            ),
        )
        services.answer_pick(actor=sub.prime, answer=chosen)
        # Already recorded: recording the answer again is refused.
        refused(
            InvalidTransition,
            "answer_recorded",
            services.subcontract_record,
            actor=sub.prime,
            contract=sub.contract,
            data=services.SubcontractData(description="", value=None, answer=chosen),
        )
    subcontract = Subcontract.objects.get()
    assert (
        subcontract.number,
        subcontract.subcontractor,
        subcontract.value,
        subcontract.scale,
        subcontract.answer,
        subcontract.description,
        subcontract.prime,
    ) == (
        1,
        sub.micro,
        Decimal("18000"),
        "micro",
        chosen,
        "Instalación eléctrica de 3 oficinas",
        sub.contracts.supplier,
    )
    assert chosen_answers_for(contract=sub.contract) == []


def test_a_tenders_chosen_answer_is_recorded_on_the_contract_once(
    sub: SubWorld, refused: Any
) -> None:
    # The prime posted on the tender while bidding and chose the micro firm; the answer is
    # turned into a subcontract once the contract is in force. Built directly: the tender of
    # the contract has long closed.
    with clock.at(sub.at(1)):
        opportunity = SubOpportunity.objects.create(
            organization=sub.contracts.supplier,
            tender=sub.contract.tender,
            title="Soporte técnico",
            description="Un año.",
            estimated_value=Decimal("9000"),
            currency="CLP",
            closes_at=sub.at(2),
            status="awarded",
            ended_at=sub.at(1),
        )
        answer = Answer.objects.create(
            opportunity=opportunity,
            organization=sub.micro,
            price=Decimal("8500"),
            currency="CLP",
            scale="micro",
            status="chosen",
            decided_at=sub.at(1),
        )
    assert chosen_answers_for(contract=sub.contract) == [answer]
    with clock.at(sub.at(5)):
        subcontract = services.subcontract_record(
            actor=sub.prime,
            contract=sub.contract,
            data=services.SubcontractData(description="", value=None, answer=answer),
        )
    assert (subcontract.value, subcontract.description) == (Decimal("8500"), "Soporte técnico")
    assert chosen_answers_for(contract=sub.contract) == []


def test_an_answer_not_chosen_cannot_be_recorded(sub: SubWorld, refused: Any) -> None:
    opportunity = sub.post()
    answer = sub.answer(opportunity, sub.micro_actor, "18000")
    with clock.at(sub.at(6)):
        error = refused(
            ValidationFailed,
            "validation_failed",
            services.subcontract_record,
            actor=sub.prime,
            contract=sub.contract,
            data=services.SubcontractData(description="", value=None, answer=answer),
        )
    assert error.field == "answer"


def test_payments_give_the_share_paid_to_msmes(sub: SubWorld, refused: Any) -> None:
    micro = _direct(sub, sub.micro, "11800")
    large = _direct(sub, sub.large, "10000")
    _pay(sub, micro, "5900")
    _pay(sub, large, "5900")
    with clock.at(sub.at(5)):
        over = services.SubcontractPaymentData(
            amount=Decimal("5900.01"), paid_on=sub.contracts.date(5)
        )
        refused(
            ValidationFailed,
            "validation_failed",
            services.subcontract_payment_record,
            actor=sub.prime,
            subcontract=micro,
            data=over,
        )
        future = services.SubcontractPaymentData(amount=Decimal("1"), paid_on=sub.contracts.date(6))
        error = refused(
            ValidationFailed,
            "validation_failed",
            services.subcontract_payment_record,
            actor=sub.prime,
            subcontract=micro,
            data=future,
        )
        assert error.field == "paid_on"
        refused(
            PermissionDenied,
            "not_the_prime",
            services.subcontract_payment_record,
            actor=sub.micro_actor,
            subcontract=micro,
            data=services.SubcontractPaymentData(
                amount=Decimal("1"), paid_on=sub.contracts.date(5)
            ),
        )
    figures = contract_subcontracting(contract=sub.contract).figures
    # The contract is worth 118,000: the 5,900 paid to the micro firm is 5 % of it, and half
    # of what was paid to subcontractors.
    assert sub.contract.value == Decimal("118000")
    assert (figures.subcontracted, figures.subcontracted_to_msmes) == (
        Decimal("21800"),
        Decimal("11800"),
    )
    assert (figures.paid, figures.paid_to_msmes) == (Decimal("11800"), Decimal("5900"))
    assert (figures.msme_share, figures.msme_share_of_paid) == (
        Decimal("0.0500"),
        Decimal("0.5000"),
    )
    assert (figures.msme_percent, figures.msme_percent_of_paid) == (
        Decimal("5.00"),
        Decimal("50.00"),
    )
    # The scale is a snapshot: the firm growing later changes nothing.
    sub.micro.scale = "large"
    sub.micro.save(update_fields=["scale"])
    assert contract_subcontracting(contract=sub.contract).figures.paid_to_msmes == Decimal("5900")


def test_a_subcontract_is_refused(sub: SubWorld, refused: Any) -> None:
    cases: list[tuple[Any, Any, str, type[Exception], str, str | None]] = [
        (sub.micro_actor, sub.large, "100", PermissionDenied, "not_the_prime", None),
        (sub.prime, None, "100", ValidationFailed, "validation_failed", "subcontractor"),
        (
            sub.prime,
            sub.contracts.supplier,
            "100",
            ValidationFailed,
            "validation_failed",
            "subcontractor",
        ),
        (
            sub.prime,
            sub.contracts.buyer,
            "100",
            ValidationFailed,
            "validation_failed",
            "subcontractor",
        ),
        (sub.prime, sub.micro, "118000.01", ValidationFailed, "validation_failed", "value"),
        (sub.prime, sub.micro, "-1", ValidationFailed, "validation_failed", "value"),
    ]
    with clock.at(sub.at(5)):
        for actor, organization, value, error_class, code, field in cases:
            error = refused(
                error_class,
                code,
                services.subcontract_record,
                actor=actor,
                contract=sub.contract,
                data=services.SubcontractData(
                    description="Obra", value=Decimal(value), subcontractor=organization
                ),
            )
            assert error.field == field, (value, field)


def test_after_the_contract_ends_payments_but_no_new_subcontract(
    sub: SubWorld, refused: Any
) -> None:
    subcontract = _direct(sub, sub.micro, "100")
    with clock.at(sub.at(5)):
        contract_services.contract_terminate(
            actor=sub.contracts.official, contract=sub.contract, reason="Incumplimiento."
        )
    _pay(sub, subcontract, "100", day=6)
    with clock.at(sub.at(6)):
        refused(
            InvalidTransition,
            "contract_not_open_to_subcontracts",
            services.subcontract_record,
            actor=sub.prime,
            contract=sub.contract,
            data=services.SubcontractData(
                description="Más", value=Decimal(1), subcontractor=sub.large
            ),
        )
        refused(
            InvalidTransition,
            "contract_not_open_to_subcontracts",
            services.sub_opportunity_post,
            actor=sub.prime,
            contract=sub.contract,
            data=services.SubOpportunityData(
                title="X", description="Y", estimated_value=Decimal(1), closes_at=sub.at(9)
            ),
        )
    subcontract.refresh_from_db()
    assert subcontract.paid_amount == Decimal("100")


def test_the_demo_subcontracts_part_of_a_contract_to_a_micro_firm(sub: SubWorld) -> None:
    assert build_subcontracting(now=sub.at(6)) == 1
    subcontract = Subcontract.objects.get()
    assert (subcontract.contract, subcontract.scale) == (sub.contract, "micro")
    assert subcontract.subcontractor.scale == "micro"
    assert subcontract.subcontractor != sub.contract.supplier
    assert subcontract.answer is not None and subcontract.answer.status == "chosen"
    assert subcontract.value == Decimal("10620")  # 90 % of a tenth of 118,000
    assert subcontract.paid_amount == Decimal("5310")
