"""The catalogue's pages: editing by the supplier's people only, the public profile, photos."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pregon.catalogue import services
from pregon.catalogue.models import CatalogueItem, CatalogueProfile, PublicContract
from pregon.publication.models import Record
from tests import factories
from tests.catalogue.conftest import item_data, upload

pytestmark = pytest.mark.django_db


def test_supplier_fills_and_publishes_catalogue_through_pages(
    client: Any, supplier: Any, supplier_user: Any
) -> None:
    client.force_login(supplier_user)
    assert client.get(reverse("catalogue:manage")).status_code == 200
    response = client.post(
        reverse("catalogue:manage"),
        {
            "action": "save",
            "description": "Panadería artesanal.",
            "codes": "CPV 15810000-9\nUNSPSC 50180000",
            "regions": "CL: Valparaíso\nCL",
            "max_contract_value": "5000000",
            "capacity_currency": "CLP",
        },
    )
    assert response.status_code == 302
    profile = CatalogueProfile.objects.get(organization=supplier)
    assert sorted(profile.codes.values_list("code", flat=True)) == ["15810000-9", "50180000"]
    response = client.post(
        reverse("catalogue:item_new"),
        {
            "kind": "goods",
            "name": "Pan amasado",
            "classification_scheme": "CPV",
            "classification_code": "15810000-9",
            "unit": "kg",
            "price": "2500",
            "currency": "CLP",
            "photo": upload(),
        },
    )
    assert response.status_code == 302
    assert CatalogueItem.objects.get().has_photo
    assert client.post(reverse("catalogue:manage"), {"action": "publish"}).status_code == 302
    assert CatalogueProfile.objects.get().is_published


def test_bad_input_shows_errors_and_changes_nothing(client: Any, supplier_user: Any) -> None:
    client.force_login(supplier_user)
    response = client.post(
        reverse("catalogue:manage"), {"action": "save", "codes": "CPV 99999999-9"}
    )
    assert response.status_code == 422
    assert "99999999-9" in response.text
    response = client.post(
        reverse("catalogue:item_new"),
        {
            "kind": "goods",
            "name": "X",
            "classification_scheme": "CPV",
            "classification_code": "15810000-9",
            "photo": upload("a.jpg", b"not an image"),
        },
    )
    assert response.status_code == 422
    assert not CatalogueItem.objects.exists()
    assert client.post(reverse("catalogue:manage"), {"action": "publish"}).status_code == 409


def test_editing_pages_refuse_buyers_and_strangers(
    client: Any, official: Any, supplier: Any, supplier_actor: Any, catalogue: Any
) -> None:
    item = services.catalogue_item_add(actor=supplier_actor, supplier=supplier, data=item_data())
    assert client.get(reverse("catalogue:manage")).status_code == 302  # to sign in
    client.force_login(official)
    assert client.get(reverse("catalogue:manage")).status_code == 403
    assert client.post(reverse("catalogue:item_remove", kwargs={"pk": item.pk})).status_code == 403
    other = factories.SupplierFactory()
    client.force_login(factories.member(other, "supplier_user"))
    # Another supplier's item is not found in one's own catalogue.
    assert client.get(reverse("catalogue:item_edit", kwargs={"pk": item.pk})).status_code == 404
    assert client.post(reverse("catalogue:item_remove", kwargs={"pk": item.pk})).status_code == 404
    assert CatalogueItem.objects.filter(pk=item.pk).exists()


def test_public_profile_and_photos_only_once_published(
    client: Any, supplier: Any, supplier_actor: Any, supplier_user: Any, catalogue: Any
) -> None:
    item = services.catalogue_item_add(
        actor=supplier_actor, supplier=supplier, data=item_data(name="Silla roja"), photo=upload()
    )
    page = client.get(reverse("catalogue:profile", kwargs={"pk": supplier.pk}))
    assert page.status_code == 200
    assert (
        "Silla roja" in page.text
        and reverse("catalogue:thumbnail", kwargs={"pk": item.pk}) in page.text
    )
    thumb = client.get(reverse("catalogue:thumbnail", kwargs={"pk": item.pk}))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert b"".join(thumb.streaming_content)[:3] == b"\xff\xd8\xff"

    services.catalogue_withdraw(actor=supplier_actor, supplier=supplier)
    page = client.get(reverse("catalogue:profile", kwargs={"pk": supplier.pk}))
    assert "Silla roja" not in page.text
    assert client.get(reverse("catalogue:photo", kwargs={"pk": item.pk})).status_code == 404
    # The supplier's own people still see their draft and its photos.
    client.force_login(supplier_user)
    assert "Silla roja" in client.get(reverse("catalogue:profile", kwargs={"pk": supplier.pk})).text
    assert client.get(reverse("catalogue:photo", kwargs={"pk": item.pk})).status_code == 200


def test_profile_of_a_buyer_is_not_found(client: Any, buyer: Any) -> None:
    assert client.get(reverse("catalogue:profile", kwargs={"pk": buyer.pk})).status_code == 404


def _compiled(supplier: Any, contract_title: str) -> dict[str, Any]:
    party = {
        "id": supplier.party_id,
        "name": supplier.legal_name,
        "identifier": {"scheme": supplier.identifier_scheme, "id": supplier.identifier_id},
        "roles": ["supplier"],
    }
    return {
        "ocid": "ocds-test-000001",
        "buyer": {"id": "CL-RUT-1", "name": "Municipalidad de Prueba"},
        "parties": [party],
        "awards": [{"id": "a1", "suppliers": [{"id": party["id"], "name": party["name"]}]}],
        "contracts": [
            {
                "id": "c1",
                "awardID": "a1",
                "title": contract_title,
                "status": "active",
                "value": {"amount": 1500000, "currency": "CLP"},
                "dateSigned": "2026-03-01T15:00:00Z",
            }
        ],
    }


def test_public_contracts_follow_the_published_record(client: Any, supplier: Any) -> None:
    record = Record(
        ocid="ocds-test-000001",
        compiled=_compiled(supplier, "Sillas para escuelas"),
        versioned={},
        release_count=1,
        last_seq=1,
        date="2026-03-01T15:00:00Z",
    )
    services.public_contracts_update(record)
    contract = PublicContract.objects.get()
    assert (contract.supplier, contract.buyer_name, contract.title) == (
        supplier,
        "Municipalidad de Prueba",
        "Sillas para escuelas",
    )
    page = client.get(reverse("catalogue:profile", kwargs={"pk": supplier.pk}))
    assert "Sillas para escuelas" in page.text and "Municipalidad de Prueba" in page.text
    # A later release without the contract takes it away: only what is published shows.
    record.compiled = {**record.compiled, "contracts": []}
    services.public_contracts_update(record)
    assert not PublicContract.objects.exists()
