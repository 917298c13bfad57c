"""The catalogue API: the supplier search with its filters, and a published catalogue."""

from __future__ import annotations

from typing import Any

import pytest

from pregon.catalogue import services
from tests import factories
from tests.catalogue.conftest import item_data, upload

pytestmark = pytest.mark.django_db


def test_search_and_catalogue(
    client: Any, supplier: Any, supplier_actor: Any, catalogue: Any
) -> None:
    services.catalogue_item_add(
        actor=supplier_actor, supplier=supplier, data=item_data(), photo=upload()
    )
    factories.SupplierFactory(scale="large")
    body = client.get("/api/v1/suppliers", {"code": "39", "scale": ["small", "micro"]}).json()
    assert body["count"] == 1
    found = body["items"][0]
    assert found["id"] == supplier.pk and found["catalogue_published"] is True
    assert found["codes"] == [{"scheme": "CPV", "code": "39160000-1"}]
    assert {"country": "CL", "region": "Valparaíso"} in found["regions"]
    assert client.get("/api/v1/suppliers", {"characteristic": "women_owned"}).json()["count"] == 0
    assert client.get("/api/v1/suppliers", {"code": "abc"}).status_code == 422

    catalogue_body = client.get(found["catalogue_url"]).json()
    assert catalogue_body["description"].startswith("Fabricamos")
    (item,) = catalogue_body["items"]
    assert item["name"] == "Silla escolar" and item["thumbnail_url"].endswith("/thumbnail.jpg")
    assert client.get(item["thumbnail_url"]).status_code == 200


def test_unpublished_catalogue_is_not_found(
    client: Any, supplier: Any, supplier_actor: Any, catalogue: Any
) -> None:
    services.catalogue_withdraw(actor=supplier_actor, supplier=supplier)
    response = client.get(f"/api/v1/suppliers/{supplier.pk}/catalogue")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
