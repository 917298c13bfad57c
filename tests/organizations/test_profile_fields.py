"""The organization profile's editable fields are listed once (organizations.choices) and read
from there by the services, the supplier workspace's form and the audit trail."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import pytest

from pregon.core.actor import Actor
from pregon.core.models import AuditEvent
from pregon.organizations import services
from pregon.organizations.choices import PROFILE_FIELDS, profile_fields
from pregon.organizations.models import Organization
from pregon.organizations.services import OrganizationData
from pregon.workspace.supplier.forms import ProfileForm

pytestmark = pytest.mark.django_db

# A new value for each field of the profile, as a supplier would type it.
NEW_VALUES: dict[str, Any] = {
    "legal_name": "Textiles del Sur SpA",
    "name": "Textiles del Sur",
    "street_address": "Av. Alemania 123",
    "locality": "Temuco",
    "region": "Araucanía",
    "postal_code": "4780000",
    "email": "ventas@textilesdelsur.example",
    "telephone": "+56 45 221 0000",
    "website": "https://textilesdelsur.example",
    "description": "Uniformes de lana.",
    "time_zone": "America/Punta_Arenas",
    "legal_form": "cooperative",
    "women_owned": True,
    "indigenous_owned": True,
    "is_local": True,
    "hubzone": True,
}


def test_the_list_by_kind() -> None:
    assert PROFILE_FIELDS == (
        "legal_name",
        "name",
        "street_address",
        "locality",
        "region",
        "postal_code",
        "email",
        "telephone",
        "website",
        "description",
        "time_zone",
        "buyer_type",
        "legal_form",
        "women_owned",
        "indigenous_owned",
        "is_local",
        "hubzone",
    )
    assert profile_fields("supplier") == tuple(
        name for name in PROFILE_FIELDS if name != "buyer_type"
    )
    assert profile_fields("buyer") == PROFILE_FIELDS[:12]
    assert profile_fields("oversight") == PROFILE_FIELDS[:11]
    # Every listed field is a column of the organization and a field of the service's input.
    columns = {field.name for field in Organization._meta.get_fields()}
    assert set(PROFILE_FIELDS) <= columns
    assert set(PROFILE_FIELDS) <= {field.name for field in fields(OrganizationData)}


def test_the_supplier_form_edits_exactly_the_suppliers_fields() -> None:
    assert tuple(ProfileForm.base_fields) == profile_fields("supplier")


def test_the_form_and_the_service_change_every_listed_field(
    supplier: Any, supplier_user: Any
) -> None:
    assert set(NEW_VALUES) == set(profile_fields("supplier"))
    form = ProfileForm({name: value for name, value in NEW_VALUES.items() if value is not False})
    assert form.is_valid(), form.errors
    services.organization_update(
        actor=Actor(user=supplier_user, organization=supplier),
        organization=supplier,
        data=form.to_data(supplier),
    )
    supplier.refresh_from_db()
    assert {name: getattr(supplier, name) for name in NEW_VALUES} == NEW_VALUES
    changes = AuditEvent.objects.get(action="organization.update").summary["changes"]
    # (As a set: PostgreSQL's jsonb keeps no order of keys.)
    assert set(changes) == set(profile_fields("supplier"))
