"""The supplier search: each filter, its combinations, and a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pregon.catalogue import services
from pregon.catalogue.selectors import SupplierFilters, suppliers_search
from pregon.organizations.models import Organization
from tests import factories
from tests.catalogue.conftest import item_data, profile_data

pytestmark = pytest.mark.django_db


def _with_catalogue(
    publish: bool = True, item: dict[str, Any] | None = None, **fields: Any
) -> Organization:
    """A supplier (its fields: `org_*`) with a catalogue (the other fields)."""
    org_fields = {key[4:]: fields.pop(key) for key in list(fields) if key.startswith("org_")}
    supplier = factories.SupplierFactory(**org_fields)
    actor = factories.actor_for(factories.member(supplier, "supplier_user"), supplier)
    services.catalogue_profile_save(actor=actor, supplier=supplier, data=profile_data(**fields))
    if item is not None:
        services.catalogue_item_add(actor=actor, supplier=supplier, data=item_data(**item))
    if publish:
        services.catalogue_publish(actor=actor, supplier=supplier)
    return supplier


def _found(**filters: Any) -> set[int]:
    return set(suppliers_search(filters=SupplierFilters(**filters)).values_list("pk", flat=True))


def test_code_finds_descendants_and_ancestors_only_in_published_catalogues() -> None:
    roads = _with_catalogue(codes=[("CPV", "45233000-9")])
    construction = _with_catalogue(codes=[("CPV", "45000000-7")])
    furniture = _with_catalogue(codes=[("CPV", "39000000-2")])
    by_item = _with_catalogue(
        codes=[("CPV", "39000000-2")],
        item={"classification_code": "45233120-6", "name": "Bacheo"},
    )
    _with_catalogue(publish=False, codes=[("CPV", "45233000-9")])
    assert _found(code="45") == {roads.pk, construction.pk, by_item.pk}
    assert _found(code="45233000-9") == {roads.pk, construction.pk, by_item.pk}
    assert _found(code="45233120-6") == {roads.pk, construction.pk, by_item.pk}
    assert _found(code="39") == {furniture.pk, by_item.pk}
    assert _found(code="45", scheme="UNSPSC") == set()


def test_region_served_or_based() -> None:
    valparaiso = _with_catalogue(regions=[("CL", "Valparaíso")], org_region="Biobío")
    whole_chile = _with_catalogue(regions=[("CL", "")], org_region="Biobío")
    brazil = _with_catalogue(
        regions=[("BR", "São Paulo")], org_country="BR", org_region="São Paulo"
    )
    based = factories.SupplierFactory(region="Valparaíso")  # no catalogue: based there
    assert _found(region="valparaíso") == {valparaiso.pk, based.pk}
    assert _found(country="CL", region="Valparaíso") == {valparaiso.pk, whole_chile.pk, based.pk}
    assert _found(country="BR") == {brazil.pk}


def test_scale_verified_characteristics_legal_form_kind_and_text() -> None:
    micro = _with_catalogue(
        org_scale="micro", item={"kind": "services", "name": "Mantención de jardines"}
    )
    verified = _with_catalogue(
        org_scale="medium",
        org_scale_status="verified",
        org_scale_reviewed_at="2026-01-01T00:00Z",
        org_women_owned=True,
    )
    coop = _with_catalogue(org_is_cooperative=True, org_indigenous_owned=True, org_is_local=True)
    large = factories.SupplierFactory(
        scale="large", hubzone=True, description="Grandes obras viales"
    )
    assert _found(scales=["micro", "large"]) == {micro.pk, large.pk}
    assert _found(verified_scale=True) == {verified.pk}
    assert _found(characteristics=["women_owned"]) == {verified.pk}
    assert _found(characteristics=["indigenous_owned", "is_local"]) == {coop.pk}
    assert _found(characteristics=["is_cooperative"]) == {coop.pk}
    assert _found(characteristics=["hubzone"]) == {large.pk}
    assert _found(legal_form="cooperative") == {coop.pk}
    assert _found(kind="services") == {micro.pk}
    assert _found(text="jardines") == {micro.pk}
    assert _found(text="obras viales") == {large.pk}
    assert _found(text="mobiliario escolar") == {micro.pk, verified.pk, coop.pk}


def test_search_page_reads_a_constant_number_of_queries(client: Any) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("catalogue:search"), {"code": "39", "country": "CL"})
        assert response.status_code == 200
        return len(captured)

    _with_catalogue(item={"name": "Mesa"})
    few = queries()
    for _ in range(4):
        _with_catalogue(item={"name": "Mesa"}, regions=[("CL", "Valparaíso"), ("CL", "Biobío")])
    assert queries() == few


def test_search_page_filters_and_refuses_bad_input(client: Any) -> None:
    shown = _with_catalogue(org_legal_name="Muebles del Sur SpA")
    hidden = _with_catalogue(publish=False, org_legal_name="Borrador Ltda")
    response = client.get(reverse("catalogue:search"), {"code": "39", "scale": "small"})
    assert response.status_code == 200
    assert shown.legal_name in response.text and hidden.legal_name not in response.text
    assert client.get(reverse("catalogue:search"), {"code": "abc"}).status_code == 422
    assert client.get(reverse("catalogue:search"), {"scale": "gigantic"}).status_code == 422
