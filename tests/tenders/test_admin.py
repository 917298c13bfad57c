"""The Django admin: every model visible to administrators; changes only through services."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pregon.accounts.models import Membership
from pregon.core.actor import Actor
from pregon.core.identifiers import rut_with_check_digit
from pregon.core.models import AuditEvent
from pregon.demo.pdf import render_pdf
from pregon.organizations.models import ApiKey, Organization
from pregon.organizations.services import api_key_issue
from pregon.tenders import services
from tests import factories

OUR_APPS = {"core", "accounts", "organizations", "tenders"}


@pytest.fixture
def superuser(db: None) -> Any:
    return factories.UserFactory(is_staff=True, is_superuser=True, email="root@example.org")


@pytest.fixture
def superuser_client(client: Client, superuser: Any) -> Client:
    client.force_login(superuser)
    return client


@pytest.fixture
def populated(buyer: Any, official: Any, supplier_actor: Actor) -> dict[str, Any]:
    """At least one row of every model: a published, questioned and amended tender."""
    actor = Actor(user=official, organization=buyer, channel="web")
    tender = factories.TenderDraftFactory(buyer=buyer)
    pdf = render_pdf(title="Bases", subtitle="LIC", paragraphs=["Texto"], footer="demo")
    services.document_add(
        actor=actor,
        tender=tender,
        data=services.DocumentData(
            upload=SimpleUploadedFile("bases.pdf", pdf, content_type="application/pdf"),
            title="Bases",
        ),
    )
    services.tender_publish(actor=actor, tender=tender)
    question = services.question_ask(actor=supplier_actor, tender=tender, text="¿Plazo?")
    services.question_answer(actor=actor, question=question, answer="Veinte días.")
    services.tender_amend(
        actor=actor,
        tender=tender,
        data=services.AmendmentData(
            reason="Se precisa la garantía.",
            description="Computadores con garantía de 5 años.",
        ),
    )
    api_key_issue(actor=actor, organization=buyer, name="Marketplace", scopes=["tenders:read"])
    return {"tender": tender, "buyer": buyer}


def _our_models() -> list[Any]:
    return [model for model in admin.site._registry if model._meta.app_label in OUR_APPS]


def _url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_of_the_platform_is_registered() -> None:
    assert sorted(model._meta.label for model in _our_models()) == [
        "accounts.Membership",
        "accounts.User",
        "core.AuditEvent",
        "organizations.ApiKey",
        "organizations.Organization",
        "tenders.Amendment",
        "tenders.CommitteeKey",
        "tenders.CommitteeMember",
        "tenders.Item",
        "tenders.Lot",
        "tenders.Question",
        "tenders.Tender",
        "tenders.TenderDocument",
    ]


def test_changelists_searches_and_detail_pages_load_for_a_superuser(
    superuser_client: Client, populated: dict[str, Any]
) -> None:
    for model in _our_models():
        changelist = _url(model, "changelist")
        assert superuser_client.get(changelist).status_code == 200, model
        assert superuser_client.get(changelist, {"q": "a"}).status_code == 200, model
        first = model._default_manager.order_by("pk").first()
        assert first is not None, model
        assert superuser_client.get(_url(model, "change", first.pk)).status_code == 200, model


def test_the_admin_needs_a_staff_account(client: Client, populated: dict[str, Any]) -> None:
    response = client.get(_url(Organization, "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# ----------------------------------------------------------------------------------------------
# organizations


def _organization_form(**overrides: str) -> dict[str, str]:
    form = {
        "kind": "buyer",
        "identifier_scheme": "cl-rut",
        "identifier_id": "61.950.120-" + rut_with_check_digit(61_950_120)[-1],
        "legal_name": "Servicio de Salud Araucanía Sur",
        "name": "SSAS",
        "buyer_type": "hospital",
        "street_address": "Arturo Prat 969",
        "locality": "Temuco",
        "region": "Región de La Araucanía",
        "postal_code": "",
        "country": "CL",
        "email": "compras@ssas.example",
        "telephone": "",
        "website": "",
        "description": "",
    }
    form.update(overrides)
    return form


def test_an_organization_added_in_the_admin_goes_through_the_service(
    superuser_client: Client, superuser: Any
) -> None:
    response = superuser_client.post(_url(Organization, "add"), _organization_form())

    assert response.status_code == 302
    organization = Organization.objects.get(legal_name="Servicio de Salud Araucanía Sur")
    assert organization.kind == "buyer"
    assert organization.identifier_scheme == "CL-RUT"
    assert organization.identifier_id == rut_with_check_digit(61_950_120)
    event = AuditEvent.objects.get(action="organization.create")
    assert event.actor == superuser
    assert event.channel == "admin"
    assert event.object_id == str(organization.pk)
    assert event.summary == {"kind": "buyer", "identifier": organization.party_id}


def test_an_organization_the_service_refuses_shows_the_reason_and_writes_nothing(
    superuser_client: Client,
) -> None:
    wrong = "61.950.120-" + ("1" if rut_with_check_digit(61_950_120)[-1] != "1" else "2")
    response = superuser_client.post(
        _url(Organization, "add"), _organization_form(identifier_id=wrong)
    )

    assert response.status_code == 200
    assert "is not a valid CL-RUT; check the digits." in response.content.decode()
    assert response.context["adminform"].form.errors["identifier_id"]
    assert not Organization.objects.exists()
    assert not AuditEvent.objects.exists()


def test_suppliers_register_themselves_so_the_admin_offers_other_kinds_only(
    superuser_client: Client,
) -> None:
    response = superuser_client.post(_url(Organization, "add"), _organization_form(kind="supplier"))
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    assert not Organization.objects.exists()


def test_staff_who_are_not_platform_administrators_cannot_add_organizations(
    client: Client, db: None
) -> None:
    staff = factories.UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="organizations"))
    client.force_login(staff)
    assert client.get(_url(Organization, "changelist")).status_code == 200
    assert client.get(_url(Organization, "add")).status_code == 403
    response = client.post(_url(Organization, "add"), _organization_form())
    assert response.status_code == 403
    assert not Organization.objects.exists()


def test_organizations_are_not_edited_nor_deleted_in_the_admin(
    superuser_client: Client, buyer: Any
) -> None:
    response = superuser_client.post(
        _url(Organization, "change", buyer.pk), _organization_form(legal_name="Renamed")
    )
    assert response.status_code == 403
    assert (
        superuser_client.post(_url(Organization, "delete", buyer.pk), {"post": "yes"}).status_code
        == 403
    )
    buyer.refresh_from_db()
    assert buyer.legal_name != "Renamed"


# ----------------------------------------------------------------------------------------------
# memberships


def test_a_membership_is_granted_and_revoked_through_the_services(
    superuser_client: Client, superuser: Any, buyer: Any
) -> None:
    person = factories.UserFactory()
    response = superuser_client.post(
        _url(Membership, "add"),
        {"user": person.pk, "organization": buyer.pk, "role": "committee_member"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person, organization=buyer)
    assert membership.role == "committee_member"
    grant = AuditEvent.objects.get(action="membership.grant")
    assert (grant.actor, grant.channel, grant.summary) == (
        superuser,
        "admin",
        {"user": person.email, "role": "committee_member"},
    )

    response = superuser_client.post(_url(Membership, "delete", membership.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    revoke = AuditEvent.objects.get(action="membership.revoke")
    assert revoke.object_id == str(membership.pk) and revoke.actor == superuser


def test_revoking_several_memberships_at_once_audits_each(
    superuser_client: Client, buyer: Any
) -> None:
    first = factories.member(buyer, "buyer_official")
    second = factories.member(buyer, "committee_member")
    ids = list(Membership.objects.filter(user__in=[first, second]).values_list("pk", flat=True))
    response = superuser_client.post(
        _url(Membership, "changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk__in=ids).exists()
    assert AuditEvent.objects.filter(action="membership.revoke").count() == 2


def test_a_role_foreign_to_the_organization_kind_is_refused_with_nothing_written(
    superuser_client: Client, buyer: Any
) -> None:
    person = factories.UserFactory()
    response = superuser_client.post(
        _url(Membership, "add"),
        {"user": person.pk, "organization": buyer.pk, "role": "supplier_user"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["role"] == ["The role Supplier user does not exist in this kind of organization."]
    assert not Membership.objects.filter(user=person).exists()
    assert not AuditEvent.objects.exists()


# ----------------------------------------------------------------------------------------------
# read-only models


@pytest.mark.parametrize("model_name", ["audit", "tender", "apikey"])
def test_the_audit_log_tenders_and_api_keys_are_read_only(
    superuser_client: Client, populated: dict[str, Any], model_name: str
) -> None:
    model = {"audit": AuditEvent, "tender": type(populated["tender"]), "apikey": ApiKey}[model_name]
    row = model._default_manager.order_by("pk").first()
    before = model._default_manager.count()

    assert superuser_client.get(_url(model, "add")).status_code == 403
    assert superuser_client.post(_url(model, "change", row.pk), {}).status_code == 403
    assert superuser_client.post(_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    page = superuser_client.get(_url(model, "change", row.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    changelist = superuser_client.get(_url(model, "changelist")).content.decode()
    assert "delete_selected" not in changelist
    assert model._default_manager.count() == before


def test_the_secret_hash_of_an_api_key_is_never_shown(
    superuser_client: Client, populated: dict[str, Any]
) -> None:
    key = ApiKey.objects.get()
    page = superuser_client.get(_url(ApiKey, "change", key.pk)).content.decode()
    assert key.prefix in page
    assert key.secret_hash not in page


def test_the_audit_changelist_filters_by_action(
    superuser_client: Client, populated: dict[str, Any]
) -> None:
    response = superuser_client.get(_url(AuditEvent, "changelist"), {"action": "tender.amend"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
