"""An organization's time zone is part of its profile: set through the services (checked there),
the supplier's profile page, the admin's registration form and the demo, named in the audit
trail, and published by the API. Empty means the main zone of its country."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.audit.labels import summary_lines
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import ValidationFailed
from pregon.core.identifiers import rut_with_check_digit
from pregon.core.models import AuditEvent
from pregon.demo import world
from pregon.demo.organizations import BUYERS
from pregon.organizations import services
from pregon.organizations.models import Organization
from pregon.organizations.services import OrganizationData
from pregon.workspace.supplier.forms import ProfileForm
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def admin() -> Actor:
    return Actor(user=factories.UserFactory(is_superuser=True, is_staff=True))


def profile_of(organization: Organization, **changes: Any) -> OrganizationData:
    data = OrganizationData(
        identifier_scheme=organization.identifier_scheme,
        identifier_id=organization.identifier_id,
        legal_name=organization.legal_name,
        country=str(organization.country),
        region=organization.region,
        legal_form=organization.legal_form,
        buyer_type=organization.buyer_type,
        time_zone=organization.time_zone,
    )
    return replace(data, **changes)


def new_buyer(**changes: Any) -> OrganizationData:
    data = OrganizationData(
        identifier_scheme="CL-RUT",
        identifier_id=rut_with_check_digit(61_950_120),
        legal_name="Servicio de Salud Magallanes",
        country="CL",
        buyer_type="hospital",
    )
    return replace(data, **changes)


# ---------------------------------------------------------------------------------------------
# the services


def test_a_member_sets_the_zone_and_the_trail_names_the_change(
    supplier: Any, supplier_actor: Actor, fresh_catalogs: None
) -> None:
    assert supplier.effective_time_zone == "America/Santiago"

    services.organization_update(
        actor=supplier_actor,
        organization=supplier,
        data=profile_of(supplier, time_zone=" America/Punta_Arenas "),
    )

    supplier.refresh_from_db()
    assert (supplier.time_zone, supplier.effective_time_zone) == (
        "America/Punta_Arenas",
        "America/Punta_Arenas",
    )
    row = AuditEvent.objects.get(action="organization.update")
    assert row.summary == {"changes": {"time_zone": ["", "America/Punta_Arenas"]}}
    with translation.override("es"):
        [line] = summary_lines(row.summary, object_type="organizations.organization")
        assert (line.name, line.text) == ("Zona horaria", "— → America/Punta_Arenas")


def test_an_empty_zone_is_the_country_s_main_one_again(
    supplier: Any, supplier_actor: Actor
) -> None:
    supplier.time_zone = "America/Punta_Arenas"
    supplier.save()

    services.organization_update(
        actor=supplier_actor, organization=supplier, data=profile_of(supplier, time_zone="")
    )

    supplier.refresh_from_db()
    assert (supplier.time_zone, supplier.effective_time_zone) == ("", "America/Santiago")


@pytest.mark.parametrize("zone", ["Mars/Olympus", "Belize time", "localtime", "Factory", "utc"])
def test_an_unknown_zone_is_refused_on_its_field(
    refused: Any, supplier: Any, supplier_actor: Actor, zone: str
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.organization_update,
        actor=supplier_actor,
        organization=supplier,
        data=profile_of(supplier, time_zone=zone),
    )
    assert error.field == "time_zone"
    assert str(error.message) == (
        f"{zone} is not a time zone; give its IANA name, such as America/Santiago."
    )


def test_the_refusal_reads_in_the_visitor_s_language(
    refused: Any, supplier: Any, supplier_actor: Actor, fresh_catalogs: None
) -> None:
    with translation.override("es"):
        error = refused(
            ValidationFailed,
            "validation_failed",
            services.organization_update,
            actor=supplier_actor,
            organization=supplier,
            data=profile_of(supplier, time_zone="Mars/Olympus"),
        )
        assert str(error.message) == (
            "Mars/Olympus no es una zona horaria; indique su nombre IANA, como America/Santiago."
        )


def test_an_organization_is_registered_with_its_zone(admin: Actor) -> None:
    organization = services.organization_create(
        actor=admin, kind="buyer", data=new_buyer(time_zone="America/Punta_Arenas ")
    )
    assert organization.time_zone == "America/Punta_Arenas"
    assert Organization.objects.get().effective_time_zone == "America/Punta_Arenas"


def test_a_registration_with_an_unknown_zone_is_refused(refused: Any, admin: Actor) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.organization_create,
        actor=admin,
        kind="buyer",
        data=new_buyer(time_zone="Chile/Magallanes time"),
    )
    assert error.field == "time_zone"


def test_each_demo_buyer_is_registered_in_its_spec_s_zone(admin: Actor) -> None:
    spec = next(spec for spec in BUYERS if spec.country == "BZ")
    organization = world._organization(admin, spec, "buyer", clock.now())
    assert organization.time_zone == spec.timezone == "America/Belize"


# ---------------------------------------------------------------------------------------------
# the supplier's profile form and page


def test_the_form_offers_the_country_s_main_zone_first_then_the_zones_of_the_americas() -> None:
    form = ProfileForm(country="BR")
    choices = form.fields["time_zone"].choices  # type: ignore[attr-defined]
    values = [value for value, _label in choices]

    assert choices[0] == ("", "The main zone of the country: America/Sao_Paulo (UTC\u221203:00)")
    assert ("America/Manaus", "America/Manaus (UTC\u221204:00)") in choices
    assert values[1:] == sorted(values[1:])
    assert {"America/Belize", "Pacific/Easter", "Europe/Madrid", "UTC"} <= set(values)
    assert "Asia/Tokyo" not in values
    # A zone already chosen elsewhere in the world stays on the list.
    assert "Asia/Tokyo" in {
        value
        for value, _label in ProfileForm(initial={"time_zone": "Asia/Tokyo"})
        .fields["time_zone"]
        .choices  # type: ignore[attr-defined]
    }


def test_the_form_refuses_a_zone_not_on_the_list() -> None:
    form = ProfileForm(
        {"legal_name": "Muebles del Sur SpA", "legal_form": "company", "time_zone": "Mars"}
    )
    assert not form.is_valid()
    assert list(form.errors) == ["time_zone"]


def test_a_supplier_chooses_its_zone_on_the_profile_page(supplier_user: Any, supplier: Any) -> None:
    client = Client()
    client.force_login(supplier_user)
    page = client.get(reverse("supplier:profile")).content.decode()
    assert re.search(r'<select name="time_zone"[^>]*>\s*<option value="" selected>', page)
    assert "The main zone of the country: America/Santiago (UTC" in page

    response = client.post(
        reverse("supplier:profile"),
        {
            "legal_name": supplier.legal_name,
            "legal_form": supplier.legal_form,
            "time_zone": "America/Punta_Arenas",
        },
    )

    assert response.status_code == 302
    supplier.refresh_from_db()
    assert supplier.time_zone == "America/Punta_Arenas"
    page = client.get(reverse("supplier:profile")).content.decode()
    assert '<option value="America/Punta_Arenas" selected>' in page


# ---------------------------------------------------------------------------------------------
# the admin and the API


def test_the_admin_registers_a_buyer_in_a_zone_from_a_list(client: Client) -> None:
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:organizations_organization_add")
    page = client.get(url).content.decode()
    assert re.search(r'<select name="time_zone"[^>]*>', page)
    assert '<option value="America/Belize">' in page

    response = client.post(
        url,
        {
            "kind": "buyer",
            "identifier_scheme": "CL-RUT",
            "identifier_id": rut_with_check_digit(61_950_120),
            "legal_name": "Servicio de Salud Magallanes",
            "name": "",
            "buyer_type": "hospital",
            "street_address": "",
            "locality": "Punta Arenas",
            "region": "Magallanes",
            "postal_code": "",
            "country": "CL",
            "time_zone": "America/Punta_Arenas",
            "email": "",
            "telephone": "",
            "website": "",
            "description": "",
        },
    )

    assert response.status_code == 302
    assert Organization.objects.get().time_zone == "America/Punta_Arenas"


def test_the_api_publishes_the_zone_an_organization_reads_in(client: Client) -> None:
    belize = factories.BuyerFactory(country="BZ")
    manaus = factories.BuyerFactory(country="BR", time_zone="America/Manaus")

    zones = [
        client.get(f"/api/v1/organizations/{organization.pk}").json()["time_zone"]
        for organization in (belize, manaus)
    ]

    assert zones == ["America/Belize", "America/Manaus"]
