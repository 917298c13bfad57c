"""The organizations directory (/<lang>/organizations/): buyers, suppliers and oversight bodies,
filtered by kind, country and scale (issue 9, item 13)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory() -> dict[str, Any]:
    """Two buyers (Chile, Argentina), three suppliers of different sizes, an oversight body,
    and the platform operator, which is no party to procurement and never listed."""
    return {
        "arica": factories.BuyerFactory(legal_name="Ilustre Municipalidad de Arica"),
        "rosario": factories.BuyerFactory(
            legal_name="Municipalidad de Rosario", country="AR", identifier_scheme="AR-CUIT"
        ),
        "andina": factories.SupplierFactory(
            legal_name="Cooperativa Andina", scale="micro", is_cooperative=True
        ),
        "sur": factories.SupplierFactory(legal_name="Tejidos del Sur SpA", scale="small"),
        "pampa": factories.SupplierFactory(
            legal_name="Pampa Servicios SA",
            scale="small",
            country="AR",
            identifier_scheme="AR-CUIT",
        ),
        "contraloria": factories.OversightFactory(legal_name="Contraloría Regional"),
        "operator": factories.OperatorFactory(),
    }


def listed(client: Client, **filters: str) -> list[str]:
    response = client.get(reverse("organizations:list"), filters)
    assert response.status_code == 200
    return [organization.legal_name for organization in response.context["page"].object_list]


def test_the_directory_lists_every_public_organization_by_name(
    client: Client, directory: dict[str, Any]
) -> None:
    assert listed(client) == [
        "Contraloría Regional",
        "Cooperativa Andina",
        "Ilustre Municipalidad de Arica",
        "Municipalidad de Rosario",
        "Pampa Servicios SA",
        "Tejidos del Sur SpA",
    ]
    html = client.get(reverse("organizations:list")).content.decode()
    assert f'href="{directory["andina"].get_absolute_url()}">Cooperativa Andina</a>' in html
    assert "6 organizations found" in html
    assert "Pregón operator" not in html


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "buyer"}, ["Ilustre Municipalidad de Arica", "Municipalidad de Rosario"]),
        ({"kind": "supplier"}, ["Cooperativa Andina", "Pampa Servicios SA", "Tejidos del Sur SpA"]),
        ({"kind": "oversight"}, ["Contraloría Regional"]),
        ({"country": "AR"}, ["Municipalidad de Rosario", "Pampa Servicios SA"]),
        ({"scale": "small"}, ["Pampa Servicios SA", "Tejidos del Sur SpA"]),
        ({"kind": "supplier", "country": "CL", "scale": "micro"}, ["Cooperativa Andina"]),
        ({"kind": "buyer", "scale": "micro"}, []),
    ],
)
def test_filters_by_kind_country_and_scale(
    client: Client, directory: dict[str, Any], filters: dict[str, str], expected: list[str]
) -> None:
    assert listed(client, **filters) == expected


def test_the_country_filter_offers_the_countries_present_once_each(
    client: Client, directory: dict[str, Any]
) -> None:
    form = client.get(reverse("organizations:list")).context["form"]
    assert [value for value, _label in form.fields["country"].choices] == ["", "AR", "CL"]
    assert [value for value, _label in form.fields["kind"].choices] == [
        "",
        "buyer",
        "supplier",
        "oversight",
    ]


@pytest.mark.parametrize("filters", [{"kind": "operator"}, {"country": "ZZ"}, {"scale": "huge"}])
def test_a_filter_out_of_its_choices_is_shown_as_an_error(
    client: Client, directory: dict[str, Any], filters: dict[str, str]
) -> None:
    response = client.get(reverse("organizations:list"), filters)
    assert response.status_code == 200
    assert response.context["page"] is None
    html = response.content.decode()
    assert "Some filters are not valid" in html
    # The filters open by themselves, so the field in error is in sight on a phone too.
    assert '<details class="pregon-disclosure" open>' in html


def test_pages_of_fifty(client: Client) -> None:
    for number in range(51):
        factories.SupplierFactory(legal_name=f"Proveedora {number:02d}")
    first = client.get(reverse("organizations:list"), {"kind": "supplier"})
    second = client.get(reverse("organizations:list"), {"kind": "supplier", "page": "2"})
    assert len(first.context["page"].object_list) == 50
    assert [o.legal_name for o in second.context["page"].object_list] == ["Proveedora 50"]
    assert "?kind=supplier&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("language", ["en", "es", "pt-br", "fr"])
def test_the_directory_is_in_each_language_and_linked_from_the_header(
    client: Client, directory: dict[str, Any], language: str
) -> None:
    with translation.override(language):
        address = reverse("organizations:list")
        title = gettext("Organizations")
        home = reverse("web:home")
    assert address == f"/{language}/organizations/"
    assert (title == "Organizations") == (language == "en")
    html = client.get(address).content.decode()
    assert f'<html lang="{language}">' in html
    assert f'<h1 class="margin-top-4">{title}</h1>' in html
    assert f'<a class="usa-nav-link" href="{address}"><span>{title}</span></a>' in (
        client.get(home).content.decode()
    )
