"""The contracts on a supplier's profile come from the published data: a drafted contract is
not there, a signed one (published) is."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from pregon.catalogue.models import PublicContract
from pregon.catalogue.services import public_contracts_update
from pregon.contracts import services as contracts
from pregon.core import clock
from pregon.publication.observers import record_observers
from tests.contracts.world import contract_world

pytestmark = pytest.mark.django_db


def test_only_published_contracts_show_on_the_profile(
    client: Any, buyer: Any, settings: Any
) -> None:
    assert public_contracts_update in record_observers()
    world = contract_world(buyer, settings)
    draft = world.with_parts(world.draft(1, title="Sillas para la escuela rural"), 1)
    url = reverse("catalogue:profile", kwargs={"pk": world.supplier.pk})
    assert "Sillas para la escuela rural" not in client.get(url).text
    assert not PublicContract.objects.exists()
    with clock.at(world.at(2)):
        signed = contracts.contract_sign(
            actor=world.official, contract=draft, signatory="Ana Rojas"
        )
    row = PublicContract.objects.get()
    assert (row.supplier, row.contract_id) == (world.supplier, signed.ocds_id)
    assert "Sillas para la escuela rural" in client.get(url).text


def test_the_command_rebuilds_the_profiles_contracts_from_the_records(
    buyer: Any, settings: Any
) -> None:
    world = contract_world(buyer, settings)
    draft = world.with_parts(world.draft(1, title="Sillas para la escuela rural"), 1)
    with clock.at(world.at(2)):
        contracts.contract_sign(actor=world.official, contract=draft, signatory="Ana Rojas")
    kept = list(PublicContract.objects.values_list("supplier", "contract_id", "title"))
    # Data published before the catalogue existed (or a restore) has no rows: rebuilt.
    PublicContract.objects.all().delete()
    out = io.StringIO()
    call_command("catalogue", "contracts", stdout=out)
    assert list(PublicContract.objects.values_list("supplier", "contract_id", "title")) == kept
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("read ") and lines[0].endswith(" records")
    assert lines[-1] == "public contracts on the profiles: 1"
