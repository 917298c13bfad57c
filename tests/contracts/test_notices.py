"""The supplier is told by e-mail, in each person's language, that the contract the buyer signed
awaits its confirmation: enqueued when the signature commits, sent once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from pregon.accounts.models import User
from pregon.contracts import services, tasks
from pregon.organizations.models import Organization
from tests.contracts.world import ContractWorld, contract_world

pytestmark = pytest.mark.django_db

TASK = "pregon.contracts.tasks.send_confirmation_request"


@pytest.fixture
def world(buyer: Organization, settings: Any) -> ContractWorld:
    return contract_world(buyer, settings)


def test_signing_enqueues_one_request_on_commit(
    world: ContractWorld, django_capture_on_commit_callbacks: Any
) -> None:
    draft = world.with_parts(world.draft(1), 1)
    assert not DBTaskResult.objects.filter(task_path=TASK).exists()

    with django_capture_on_commit_callbacks(execute=True):
        contract = services.contract_sign(
            actor=world.official, contract=draft, signatory="Ana Rojas, jefa de compras"
        )

    task = DBTaskResult.objects.get(task_path=TASK)
    assert task.args_kwargs["args"] == [contract.pk]


def test_the_suppliers_people_are_asked_once_in_their_language(world: ContractWorld) -> None:
    contract = world.signed()
    person = world.supplier_actor.user
    assert person is not None
    User.objects.filter(pk=person.pk).update(language="pt-br")

    people = User.objects.filter(memberships__organization=contract.supplier).distinct()
    assert people.count() == 2  # the bidder's person and the one who will confirm

    assert tasks.send_confirmation_request.call(contract.pk) == 2
    assert tasks.send_confirmation_request.call(contract.pk) == 0

    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    (message,) = [m for m in mail.outbox if m.to == [person.email]]
    assert message.extra_headers["Content-Language"] == "pt-br"
    assert message.subject.startswith("[Pregón] Um contrato aguarda")
    assert f"/contracts/{contract.pk}/mine/" in message.body
    assert "118.000" in message.body
    contract.refresh_from_db()
    assert contract.confirmation_requested_at is not None


def test_a_contract_no_longer_awaiting_is_not_asked(world: ContractWorld) -> None:
    contract = world.active()

    assert tasks.send_confirmation_request.call(contract.pk) == 0
    assert mail.outbox == []
