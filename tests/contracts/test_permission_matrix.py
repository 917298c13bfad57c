"""Who may read and do what with a contract, door by door.

| who | draft | signed contract (public page) | buyer's page | supplier's page | invoice file |
|---|---|---|---|---|---|
| anonymous | 404 | 200 | sign in | sign in | sign in |
| the buyer's official | its page | 200 | 200, acts | 403 (no supplier role) | 200 |
| the buyer's committee member, auditor | reads | 200 | 200, reads only | 403 | 200 |
| another buyer's official | 404 | 200 | 403 | 403 | 404 |
| the contract's supplier | 404 (no draft) | 200 | 403 | 200, acts | 200 |
| another supplier | 404 | 200 | 403 | 404 | 404 |
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.contracts.choices import ContractStatus
from pregon.contracts.models import Contract, Invoice
from pregon.core import clock
from tests import factories
from tests.contracts.world import ContractWorld, contract_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(buyer: Any, settings: Any) -> ContractWorld:
    return contract_world(buyer, settings)


def _url(name: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def _as(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _people(world: ContractWorld) -> dict[str, Any]:
    other_buyer = factories.BuyerFactory()
    other_supplier = factories.SupplierFactory()
    return {
        "anonymous": None,
        "official": world.official.user,
        "committee": factories.member(world.buyer, "committee_member"),
        "auditor": factories.member(world.buyer, "auditor"),
        "other_official": factories.member(other_buyer, "buyer_official"),
        "supplier": world.supplier_actor.user,
        "other_supplier": factories.member(other_supplier, "supplier_user"),
    }


def _status(client: Client, url: str) -> int | str:
    response = client.get(url)
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "sign in"
    return response.status_code


def test_a_draft_is_the_buyers_alone(world: ContractWorld) -> None:
    contract = world.with_parts(world.draft())
    people = _people(world)
    public = _url("contracts:detail", pk=contract.pk)
    manage = _url("contracts:manage", pk=contract.pk)
    mine = _url("contracts:mine", pk=contract.pk)
    document = _url("contracts:document", pk=contract.pk, doc=contract.documents.get().pk)
    seen = {
        who: (
            _status(_as(user), public),
            _status(_as(user), manage),
            _status(_as(user), mine),
            _status(_as(user), document),
        )
        for who, user in people.items()
    }
    assert seen == {
        "anonymous": (404, "sign in", "sign in", 404),
        "official": (404, 200, 403, 200),
        "committee": (404, 200, 403, 200),
        "auditor": (404, 200, 403, 200),
        "other_official": (404, 403, 403, 404),
        "supplier": (404, 403, 404, 404),
        "other_supplier": (404, 403, 404, 404),
    }


def test_a_contract_in_force_and_its_invoices(world: ContractWorld) -> None:
    contract = world.active()
    world.met(contract, 1, 10)
    invoice = world.invoice(contract, 1, 11)
    people = _people(world)
    public = _url("contracts:detail", pk=contract.pk)
    manage = _url("contracts:manage", pk=contract.pk)
    mine = _url("contracts:mine", pk=contract.pk)
    invoice_file = _url("contracts:invoice_file", pk=contract.pk, number=invoice.number)
    seen = {
        who: (
            _status(_as(user), public),
            _status(_as(user), manage),
            _status(_as(user), mine),
            _status(_as(user), invoice_file),
        )
        for who, user in people.items()
    }
    assert seen == {
        "anonymous": (200, "sign in", "sign in", "sign in"),
        "official": (200, 200, 403, 200),
        "committee": (200, 200, 403, 200),
        "auditor": (200, 200, 403, 200),
        "other_official": (200, 403, 403, 404),
        "supplier": (200, 403, 200, 200),
        "other_supplier": (200, 403, 404, 404),
    }
    # The public page never shows an invoice's number, document or the signatories.
    page = _as(None).get(public).content.decode()
    for secret in (invoice.reference, invoice.filename, "Ana Rojas", "Luis Soto"):
        assert secret not in page


def test_only_the_buyers_officials_act_on_its_page(world: ContractWorld) -> None:
    contract = world.active()
    world.met(contract, 1, 10)
    invoice = world.invoice(contract, 1, 11)
    manage = _url("contracts:manage", pk=contract.pk)
    people = _people(world)
    for who in ("committee", "auditor"):
        client = _as(people[who])
        assert "Accept invoice" not in client.get(manage).content.decode()
        with clock.at(world.at(12)):
            refused = client.post(manage, {"action": "accept", "invoice": invoice.number})
            assert refused.status_code == 403
            refused = client.post(manage, {"action": "terminate", "terminate-reason": "No."})
            assert refused.status_code == 403
    invoice.refresh_from_db()
    contract.refresh_from_db()
    assert invoice.status == "submitted"
    assert contract.status == ContractStatus.ACTIVE
    official = _as(people["official"])
    assert "Accept invoice 1" in official.get(manage).content.decode()
    # An unknown row or action is a 404, not a server error.
    assert official.post(manage, {"action": "accept", "invoice": "99"}).status_code == 404
    assert official.post(manage, {"action": "accept", "invoice": "x"}).status_code == 404
    assert official.post(manage, {"action": "dance"}).status_code == 404


def test_another_supplier_cannot_confirm_or_invoice_someone_elses_contract(
    world: ContractWorld,
) -> None:
    contract = world.signed()
    intruder = _as(_people(world)["other_supplier"])
    mine = _url("contracts:mine", pk=contract.pk)
    assert intruder.post(mine, {"action": "confirm", "confirm-signatory": "X"}).status_code == 404
    assert Contract.objects.get(pk=contract.pk).status == ContractStatus.SIGNED
    assert not Invoice.objects.exists()


def test_each_supplier_lists_only_its_own_contracts(world: ContractWorld) -> None:
    contract = world.active()
    own = _as(world.supplier_actor.user).get(_url("contracts:supplier")).content.decode()
    other = _as(_people(world)["other_supplier"]).get(_url("contracts:supplier"))
    assert contract.title in own
    assert contract.title not in other.content.decode()
    assert _as(_people(world)["other_official"]).get(_url("contracts:buyer")).status_code == 200
    assert (
        contract.title
        not in _as(_people(world)["other_official"]).get(_url("contracts:buyer")).content.decode()
    )
    assert _as(world.supplier_actor.user).get(_url("contracts:buyer")).status_code == 403
    assert _as(world.official.user).get(_url("contracts:supplier")).status_code == 403


def test_drafting_from_another_buyers_award_is_refused(world: ContractWorld) -> None:
    new = _url("contracts:new", award_pk=world.award.pk)
    stranger = _as(_people(world)["other_official"])
    assert stranger.get(new).status_code == 403
    assert _as(_people(world)["supplier"]).get(new).status_code == 403
    assert _as(world.official.user).get(_url("contracts:new", award_pk=999999)).status_code == 404
