"""The supplier workspace (profile, questions, API keys) and the buyer's API key pages,
through HTTP."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.accounts.models import Membership
from pregon.core.models import AuditEvent
from pregon.organizations.models import ApiKey
from pregon.organizations.services import api_key_authenticate
from pregon.tenders import services
from tests import factories
from tests.conftest import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def profile_fields(**changes: Any) -> dict[str, Any]:
    data = {
        "legal_name": "Muebles del Sur SpA",
        "name": "Muebles del Sur",
        "street_address": "Av. Alemania 123",
        "locality": "Temuco",
        "region": "La Araucanía",
        "postal_code": "4780000",
        "email": "ventas@mueblesdelsur.cl",
        "telephone": "+56 45 212 3456",
        "website": "https://mueblesdelsur.cl",
        "description": "Mobiliario escolar y de oficina.",
        "legal_form": "cooperative",
        "women_owned": "on",
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------------------------------------
# home and profile


def test_home_shows_the_profile_and_the_questions_asked_with_answers(
    supplier_user: Any,
    supplier: Any,
    supplier_actor: Any,
    open_tender: Any,
    official: Any,
    buyer: Any,
) -> None:
    first = services.question_ask(actor=supplier_actor, tender=open_tender, text="¿Plazo?")
    services.question_ask(actor=supplier_actor, tender=open_tender, text="¿Garantía?")
    services.question_answer(
        actor=factories.actor_for(official, buyer), question=first, answer="Treinta días."
    )
    other = factories.SupplierFactory()
    services.question_ask(
        actor=factories.actor_for(factories.member(other, "supplier_user"), other),
        tender=open_tender,
        text="Pregunta de otra empresa",
    )

    page = signed_in(supplier_user).get(reverse("supplier:home"))

    assert page.status_code == 200
    assert [q.text for q in page.context["questions"]] == ["¿Garantía?", "¿Plazo?"]
    assert page.context["answered_count"] == 1
    content = page.content.decode()
    assert "Treinta días." in content
    assert "Not answered yet" in content
    assert "Pregunta de otra empresa" not in content
    assert f"{supplier.identifier_scheme} {supplier.identifier_id}" in content


def test_profile_edit_saves_through_the_service(supplier_user: Any, supplier: Any) -> None:
    client = signed_in(supplier_user)
    identifier = (supplier.identifier_scheme, supplier.identifier_id, str(supplier.country))
    before = set(AuditEvent.objects.values_list("pk", flat=True))

    # The identifier and country are not part of the form; values sent for them are ignored.
    response = client.post(
        reverse("supplier:profile"),
        profile_fields(identifier_id="1-9", identifier_scheme="XX-NOPE", country="BR"),
    )

    assert response.status_code == 302
    supplier.refresh_from_db()
    assert (supplier.identifier_scheme, supplier.identifier_id, str(supplier.country)) == identifier
    # The scale is declared apart, on the "Documents and size" page.
    assert (supplier.legal_name, supplier.name, supplier.locality, supplier.scale) == (
        "Muebles del Sur SpA",
        "Muebles del Sur",
        "Temuco",
        "small",
    )
    assert (supplier.is_cooperative, supplier.women_owned, supplier.indigenous_owned) == (
        True,
        True,
        False,
    )
    row = AuditEvent.objects.exclude(pk__in=before).get()
    assert (row.action, row.actor, row.organization, row.channel) == (
        "organization.update",
        supplier_user,
        supplier,
        "web",
    )
    assert row.summary["changes"]["legal_form"] == ["company", "cooperative"]
    home = client.get(reverse("supplier:home"))
    assert home.context["characteristics"] == ["Cooperative", "Women-owned"]
    assert "Cooperative · Women-owned" in home.content.decode()


def test_profile_refused_values_change_nothing(supplier_user: Any) -> None:
    client = signed_in(supplier_user)
    page = client.get(reverse("supplier:profile"))
    assert page.status_code == 200
    before = database_snapshot()
    response = client.post(reverse("supplier:profile"), profile_fields(legal_name="   "))
    assert response.status_code == 422
    assert response.context["form"].errors["legal_name"] == ["This field is required."]
    assert database_snapshot() == before


def test_buyer_people_are_kept_out_of_the_supplier_workspace(official: Any) -> None:
    client = signed_in(official)
    before = database_snapshot()
    for name in ("supplier:home", "supplier:profile", "supplier:api_keys"):
        assert client.get(reverse(name)).status_code == 403
        assert client.post(reverse(name), profile_fields()).status_code == 403
    assert database_snapshot() == before


def test_switcher_between_two_suppliers(supplier_user: Any, supplier: Any) -> None:
    second = factories.SupplierFactory(legal_name="Zeta Cooperativa")
    Membership.objects.create(user=supplier_user, organization=second, role="supplier_user")
    client = signed_in(supplier_user)
    assert client.get(reverse("supplier:home")).context["organization"] == supplier

    response = client.post(
        reverse("supplier:switch"), {"organization": second.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("supplier:home")
    assert client.get(reverse("supplier:home")).context["organization"] == second


# ---------------------------------------------------------------------------------------------
# API keys


def test_issue_a_key_shows_the_secret_once_and_stores_only_its_hash(
    supplier_user: Any, supplier: Any
) -> None:
    client = signed_in(supplier_user)
    page = client.get(reverse("supplier:api_keys"))
    assert [value for value, _label in page.context["form"].fields["scopes"].choices] == [
        "questions:ask",
        "bids:submit",
        "alerts:manage",
    ]
    before = set(AuditEvent.objects.values_list("pk", flat=True))

    response = client.post(
        reverse("supplier:api_keys"), {"name": "MercadoPyme", "scopes": ["questions:ask"]}
    )

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    key = ApiKey.objects.get()
    assert secret.startswith(f"pk_{key.prefix}_")
    assert secret.encode() in response.content
    assert b"this is the only time it is shown" in response.content
    assert (key.organization, key.name, key.scopes, key.created_by) == (
        supplier,
        "MercadoPyme",
        ["questions:ask"],
        supplier_user,
    )
    assert key.secret_hash == hashlib.sha256(secret.split("_", 2)[2].encode()).hexdigest()
    stored = [str(value) for value in ApiKey.objects.values().get().values()]
    assert not any(secret.split("_", 2)[2] in value for value in stored)
    assert api_key_authenticate(secret) == key
    assert list(AuditEvent.objects.exclude(pk__in=before).values_list("action", flat=True)) == [
        "api_key.issue"
    ]

    # The list shows the prefix, never the secret again.
    listing = client.get(reverse("supplier:api_keys"))
    assert listing.context["keys"] == [key]
    assert f"pk_{key.prefix}_".encode() in listing.content
    assert secret.encode() not in listing.content


def test_issue_without_scope_is_refused(supplier_user: Any) -> None:
    client = signed_in(supplier_user)
    before = database_snapshot()
    response = client.post(reverse("supplier:api_keys"), {"name": "MercadoPyme"})
    assert response.status_code == 422
    assert response.context["form"].errors["scopes"] == [
        "Choose at least one thing the key may do."
    ]
    response = client.post(reverse("supplier:api_keys"), {"name": "X", "scopes": ["tenders:write"]})
    assert response.status_code == 422
    assert database_snapshot() == before


def test_revoke_after_confirmation(supplier_user: Any, supplier: Any) -> None:
    client = signed_in(supplier_user)
    client.post(reverse("supplier:api_keys"), {"name": "Broker", "scopes": ["questions:ask"]})
    key = ApiKey.objects.get()
    url = reverse("supplier:api_key_revoke", kwargs={"key_pk": key.pk})

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert b"Revoke the key" in confirm.content
    key.refresh_from_db()
    assert key.revoked_at is None

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("supplier:api_keys")
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_key.revoke", object_id=str(key.pk)).count() == 1
    listing = client.get(reverse("supplier:api_keys"))
    assert b"revoked" in listing.content


def test_another_organizations_key_answers_404(supplier_user: Any) -> None:
    other = factories.SupplierFactory()
    other_user = factories.member(other, "supplier_user")
    signed_in(other_user).post(
        reverse("supplier:api_keys"), {"name": "Theirs", "scopes": ["questions:ask"]}
    )
    key = ApiKey.objects.get(organization=other)
    client = signed_in(supplier_user)
    before = database_snapshot()
    url = reverse("supplier:api_key_revoke", kwargs={"key_pk": key.pk})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert database_snapshot() == before


def test_buyer_officials_manage_the_buyers_keys_in_the_buyer_workspace(
    official: Any, buyer: Any
) -> None:
    client = signed_in(official)
    page = client.get(reverse("workspace:api_keys"))
    assert page.status_code == 200
    assert page.templates[0].name == "workspace/supplier/api_keys.html"
    assert "workspace/buyer/base.html" in [template.name for template in page.templates]
    assert [value for value, _label in page.context["form"].fields["scopes"].choices] == [
        "tenders:read",
        "tenders:write",
        "questions:answer",
        "alerts:manage",
    ]
    response = client.post(
        reverse("workspace:api_keys"),
        {"name": "ERP municipal", "scopes": ["tenders:read", "tenders:write"]},
    )
    assert response.status_code == 200
    key = ApiKey.objects.get()
    assert (key.organization, key.scopes) == (buyer, ["tenders:read", "tenders:write"])

    response = client.post(reverse("workspace:api_key_revoke", kwargs={"key_pk": key.pk}))
    assert response["Location"] == reverse("workspace:api_keys")
    key.refresh_from_db()
    assert key.revoked_at is not None


@pytest.mark.parametrize("role", ["committee_member", "auditor"])
def test_read_only_buyer_roles_see_keys_but_cannot_change_them(
    official: Any, buyer: Any, role: str
) -> None:
    signed_in(official).post(
        reverse("workspace:api_keys"), {"name": "ERP", "scopes": ["tenders:read"]}
    )
    key = ApiKey.objects.get()
    client = signed_in(factories.member(buyer, role))
    page = client.get(reverse("workspace:api_keys"))
    assert page.status_code == 200
    assert page.context["keys"] == [key]
    assert b"Issue a new key" not in page.content
    before = database_snapshot()
    url = reverse("workspace:api_key_revoke", kwargs={"key_pk": key.pk})
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert (
        client.post(
            reverse("workspace:api_keys"), {"name": "X", "scopes": ["tenders:read"]}
        ).status_code
        == 403
    )
    assert database_snapshot() == before
