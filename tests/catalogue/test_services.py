"""The catalogue's services: who may change it, what they check, the audit rows they write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from pregon.catalogue import services
from pregon.catalogue.models import CatalogueCode, CatalogueItem, CatalogueProfile, ServedRegion
from pregon.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from tests import factories
from tests.catalogue.conftest import item_data, profile_data, upload

pytestmark = pytest.mark.django_db


def test_supplier_person_saves_catalogue_with_codes_regions_and_audit(
    supplier: Any, supplier_actor: Any
) -> None:
    profile = services.catalogue_profile_save(
        actor=supplier_actor,
        supplier=supplier,
        data=profile_data(
            codes=[("CPV", "39160000-1"), ("UNSPSC", "56000000"), ("CPV", "39160000-1")]
        ),
    )
    assert profile.published_at is None
    assert sorted(CatalogueCode.objects.values_list("scheme", "code", "prefix")) == [
        ("CPV", "39160000-1", "3916"),
        ("UNSPSC", "56000000", "56"),
    ]
    assert sorted(ServedRegion.objects.values_list("country", "region")) == [
        ("CL", ""),
        ("CL", "Valparaíso"),
    ]
    event = AuditEvent.objects.get(action="catalogue.update")
    assert event.organization == supplier
    assert event.summary["changes"]["codes"] == ["CPV 39160000-1", "UNSPSC 56000000"]


def test_publish_needs_description_and_code_then_withdraw(
    supplier: Any, supplier_actor: Any, refused: Any
) -> None:
    refused(
        InvalidTransition,
        "catalogue_empty",
        services.catalogue_publish,
        actor=supplier_actor,
        supplier=supplier,
    )
    services.catalogue_profile_save(
        actor=supplier_actor, supplier=supplier, data=profile_data(codes=[])
    )
    refused(
        ValidationFailed,
        "catalogue_incomplete",
        services.catalogue_publish,
        actor=supplier_actor,
        supplier=supplier,
    )
    services.catalogue_profile_save(actor=supplier_actor, supplier=supplier, data=profile_data())
    profile = services.catalogue_publish(actor=supplier_actor, supplier=supplier)
    assert profile.is_published
    refused(
        InvalidTransition,
        "cannot_publish",
        services.catalogue_publish,
        actor=supplier_actor,
        supplier=supplier,
    )
    services.catalogue_withdraw(actor=supplier_actor, supplier=supplier)
    assert CatalogueProfile.objects.get().published_at is None
    assert list(
        AuditEvent.objects.filter(action__startswith="catalogue.")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["catalogue.update", "catalogue.update", "catalogue.publish", "catalogue.withdraw"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"codes": [("CPV", "99999999-9")]}, "codes"),
        ({"codes": [("XYZ", "45000000-7")]}, "codes"),
        ({"regions": [("ZZ", "Nowhere")]}, "regions"),
        ({"max_contract_value": Decimal("100"), "capacity_currency": ""}, "capacity_currency"),
        ({"max_contract_value": Decimal("-1")}, "max_contract_value"),
        ({"lead_time_days": -3}, "lead_time_days"),
        ({"description": "x\x00y"}, "description"),
    ],
)
def test_bad_profile_is_refused_and_changes_nothing(
    supplier: Any, supplier_actor: Any, refused: Any, fields: dict[str, Any], field: str
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.catalogue_profile_save,
        actor=supplier_actor,
        supplier=supplier,
        data=profile_data(**fields),
    )
    assert error.field == field


def test_others_may_not_change_a_catalogue(
    supplier: Any, buyer: Any, official_actor: Any, refused: Any
) -> None:
    other = factories.SupplierFactory()
    other_actor = factories.actor_for(factories.member(other, "supplier_user"), other)
    refused(
        PermissionDenied,
        "permission_denied",
        services.catalogue_profile_save,
        actor=other_actor,
        supplier=supplier,
        data=profile_data(),
    )
    refused(
        PermissionDenied,
        "permission_denied",
        services.catalogue_profile_save,
        actor=official_actor,
        supplier=supplier,
        data=profile_data(),
    )
    # A buyer keeps no catalogue, even its own official.
    refused(
        PermissionDenied,
        "permission_denied",
        services.catalogue_profile_save,
        actor=official_actor,
        supplier=buyer,
        data=profile_data(),
    )
    # An auditor-like role of the supplier does not exist; a person without any role is refused.
    stranger = factories.actor_for(factories.UserFactory(), supplier)
    refused(
        PermissionDenied,
        "permission_denied",
        services.catalogue_item_add,
        actor=stranger,
        supplier=supplier,
        data=item_data(),
    )


def test_item_with_photo_added_updated_and_removed(
    supplier: Any,
    supplier_actor: Any,
    catalogue: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    item = services.catalogue_item_add(
        actor=supplier_actor, supplier=supplier, data=item_data(), photo=upload()
    )
    assert item.has_photo and item.photo_width == 1200 and item.photo_height == 900
    photo_path = settings.MEDIA_ROOT / item.photo.name
    thumb_path = settings.MEDIA_ROOT / item.thumbnail.name
    assert photo_path.exists() and thumb_path.exists()
    assert item.photo.name == f"catalogue/{supplier.pk}/{item.photo_sha256}.jpg"

    with django_capture_on_commit_callbacks(execute=True):
        updated = services.catalogue_item_update(
            actor=supplier_actor,
            item=item,
            data=item_data(name="Silla apilable", price=None),
            remove_photo=True,
        )
    assert updated.name == "Silla apilable" and updated.price is None and updated.currency == ""
    assert not updated.has_photo
    # The files no item uses any more are deleted once the change is committed.
    assert not photo_path.exists() and not thumb_path.exists()
    services.catalogue_item_remove(actor=supplier_actor, item=updated)
    assert not CatalogueItem.objects.exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="catalogue_item.")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["catalogue_item.add", "catalogue_item.update", "catalogue_item.remove"]


def test_bad_item_or_photo_changes_nothing(
    supplier: Any, supplier_actor: Any, catalogue: Any, refused: Any
) -> None:
    refused(
        ValidationFailed,
        "validation_failed",
        services.catalogue_item_add,
        actor=supplier_actor,
        supplier=supplier,
        data=item_data(name="  "),
    )
    refused(
        ValidationFailed,
        "validation_failed",
        services.catalogue_item_add,
        actor=supplier_actor,
        supplier=supplier,
        data=item_data(currency=""),
    )
    refused(
        ValidationFailed,
        "file_content_mismatch",
        services.catalogue_item_add,
        actor=supplier_actor,
        supplier=supplier,
        data=item_data(),
        photo=upload("photo.jpg", b"%PDF-1.7 not an image"),
    )


def test_other_supplier_may_not_touch_an_item(
    supplier: Any, supplier_actor: Any, catalogue: Any, refused: Any
) -> None:
    item = services.catalogue_item_add(actor=supplier_actor, supplier=supplier, data=item_data())
    other = factories.SupplierFactory()
    other_actor = factories.actor_for(factories.member(other, "supplier_user"), other)
    refused(
        PermissionDenied,
        "permission_denied",
        services.catalogue_item_update,
        actor=other_actor,
        item=item,
        data=item_data(name="Robada"),
    )
    refused(
        PermissionDenied,
        "permission_denied",
        services.catalogue_item_remove,
        actor=other_actor,
        item=item,
    )
