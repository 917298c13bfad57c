"""Evidence only from the winner, before the contract: drafting and signing need the winner's
held documents current and its scale verified; otherwise the buyer sees what is missing and
nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pregon.contracts import services
from pregon.core import clock
from pregon.organizations.models import SupplierDocument
from pregon.organizations.selectors import EvidenceMissing
from pregon.organizations.services_documents import supplier_document_remove
from tests.contracts.world import contract_world

pytestmark = pytest.mark.django_db


def _data(world: Any) -> services.ContractData:
    return services.ContractData(
        title="Suministro de computadores, lote 1",
        description="",
        period_start=world.date(1),
        period_end=world.date(90),
    )


def test_a_draft_is_refused_while_the_winner_s_evidence_is_missing(
    refused: Any, buyer: Any, settings: Any
) -> None:
    world = contract_world(buyer, settings)
    tax = SupplierDocument.objects.get(organization=world.supplier, kind="tax", removed_at=None)
    with clock.at(world.at(1)):
        supplier_document_remove(actor=world.supplier_actor, document=tax)
        error = refused(
            EvidenceMissing,
            "evidence_missing",
            services.contract_draft,
            actor=world.official,
            award=world.award,
            data=_data(world),
        )
    assert [item.kind for item in error.missing] == ["tax"]
    assert error.status == 409
    assert "Tax compliance certificate (not uploaded)" in str(error.message)


def test_a_document_expired_since_the_draft_stops_the_signature(
    refused: Any, buyer: Any, settings: Any
) -> None:
    world = contract_world(buyer, settings)
    contract = world.with_parts(world.draft(1), 1)
    tax = SupplierDocument.objects.get(organization=world.supplier, kind="tax", removed_at=None)
    assert tax.expires_on is not None
    day = (tax.expires_on - world.day_zero).days + 1  # the day after it expires
    with clock.at(world.at(day)):
        error = refused(
            EvidenceMissing,
            "evidence_missing",
            services.contract_sign,
            actor=world.official,
            contract=contract,
            signatory="Ana Rojas, jefa de compras",
        )
    assert [item.kind for item in error.missing] == ["tax", "socialSecurity"]


def test_the_buyer_sees_the_winner_s_evidence_on_the_draft_page(
    client: Client, buyer: Any, settings: Any
) -> None:
    world = contract_world(buyer, settings)
    assert world.official.user is not None
    client.force_login(world.official.user)
    url = f"/en/contracts/awards/{world.award.pk}/new/"
    html = client.get(url).content.decode()
    assert "Complete: the documents are current and the scale is verified." in html
    document = SupplierDocument.objects.get(
        organization=world.supplier, kind="legal", removed_at=None
    )
    download = client.get(f"/en/contracts/awards/{world.award.pk}/evidence/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    supplier_document_remove(actor=world.supplier_actor, document=document)
    html = client.get(url).content.decode()
    assert "The contract cannot be drafted or signed until the supplier gives:" in html
    assert "Legal existence" in html
    # Another supplier's document is not reachable through the award.
    assert client.get(f"/en/contracts/awards/{world.award.pk}/evidence/999999/").status_code == 404
