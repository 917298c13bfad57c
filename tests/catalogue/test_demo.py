"""The demo's catalogues go through the services, with photos drawn at demo time."""

from __future__ import annotations

import pytest

from pregon.catalogue.models import CatalogueItem, CatalogueProfile
from pregon.demo.catalogue import CATALOGUES, build_catalogues
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_catalogues_are_built_with_photos() -> None:
    suppliers = {}
    for spec in CATALOGUES:
        organization = factories.SupplierFactory()
        suppliers[spec.supplier] = (organization, factories.member(organization, "supplier_user"))
    published = build_catalogues(suppliers=suppliers)
    assert published == sum(1 for spec in CATALOGUES if spec.publish) == 5
    assert CatalogueProfile.objects.count() == len(CATALOGUES)
    with_photo = CatalogueItem.objects.exclude(photo_sha256="")
    assert with_photo.count() == sum(1 for s in CATALOGUES for i in s.items if i.motif)
    assert all(item.thumbnail.size < item.photo.size for item in with_photo)
