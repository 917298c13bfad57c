"""Organizations, supplier registration, memberships and API keys (organizations.services)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from pregon.accounts import services as accounts_services
from pregon.accounts.models import Membership, User
from pregon.core import clock
from pregon.core.actor import Actor
from pregon.core.errors import NotFound, PermissionDenied, ValidationFailed
from pregon.core.identifiers import cnpj_with_check_digits, rut_with_check_digit
from pregon.core.models import AuditEvent
from pregon.organizations import services
from pregon.organizations.models import ApiKey, Organization
from pregon.organizations.services import OrganizationData, SupplierRegistration
from tests import factories

pytestmark = pytest.mark.django_db

IP = "198.51.100.23"


@pytest.fixture(autouse=True)
def now() -> Iterator[dt.datetime]:
    moment = timezone.now().replace(microsecond=0)
    with clock.at(moment):
        yield moment


@pytest.fixture
def admin() -> Actor:
    """A platform administrator (a superuser)."""
    user = factories.UserFactory(is_superuser=True, is_staff=True)
    return Actor(user=user, ip_address=IP)


@pytest.fixture
def operator_admin() -> Actor:
    """A platform administrator through the operator organization."""
    operator = factories.OperatorFactory()
    return Actor(user=factories.member(operator, "administrator"), organization=operator)


def new_audit_rows(before: set[int]) -> list[AuditEvent]:
    return list(AuditEvent.objects.exclude(pk__in=before).order_by("id"))


def audit_ids() -> set[int]:
    return set(AuditEvent.objects.values_list("pk", flat=True))


def profile(**overrides: Any) -> OrganizationData:
    values: dict[str, Any] = {
        "identifier_scheme": "CL-RUT",
        "identifier_id": "76.086.428-5",
        "legal_name": "  Cooperativa Agrícola Los Andes Ltda.  ",
        "name": "Coop Los Andes",
        "country": "CL",
        "region": "Valparaíso",
        "locality": "Los Andes",
        "email": "contacto@coopandes.cl",
        "website": "https://coopandes.cl",
        "legal_form": "cooperative",
        "scale": "small",
        "is_local": True,
    }
    values.update(overrides)
    return OrganizationData(**values)


def buyer_profile(**overrides: Any) -> OrganizationData:
    values: dict[str, Any] = {
        "identifier_scheme": "CL-RUT",
        "identifier_id": "61.979.440-0",
        "legal_name": "Hospital Regional de Talca",
        "country": "CL",
        "buyer_type": "hospital",
    }
    values.update(overrides)
    return OrganizationData(**values)


def registration(**overrides: Any) -> SupplierRegistration:
    values: dict[str, Any] = {
        "email": "  Ana.Rojas@CoopAndes.cl ",
        "password": "cordillera-nevada-2026",
        "full_name": " Ana Rojas ",
        "organization": profile(),
        "language": "es",
    }
    values.update(overrides)
    return SupplierRegistration(**values)


# ---------------------------------------------------------------------------------------------
# organization_create


def test_an_administrator_registers_a_buyer(admin: Actor, now: dt.datetime) -> None:
    before = audit_ids()
    buyer = services.organization_create(actor=admin, kind="buyer", data=buyer_profile())

    buyer.refresh_from_db()
    assert (buyer.kind, buyer.identifier_scheme, buyer.identifier_id) == (
        "buyer",
        "CL-RUT",
        "61979440-0",
    )
    assert (buyer.legal_name, buyer.country.code, buyer.buyer_type) == (
        "Hospital Regional de Talca",
        "CL",
        "hospital",
    )
    assert (buyer.scale, buyer.is_cooperative) == ("", False)
    assert buyer.created_at == buyer.updated_at == now
    [row] = new_audit_rows(before)
    assert (row.action, row.actor, row.organization, row.ip_address, row.channel) == (
        "organization.create",
        admin.user,
        None,
        IP,
        "web",
    )
    assert (row.object_type, row.object_id) == ("organizations.organization", str(buyer.pk))
    assert row.summary == {"kind": "buyer", "identifier": "CL-RUT-61979440-0"}


def test_an_operator_administrator_registers_a_buyer(operator_admin: Actor) -> None:
    buyer = services.organization_create(actor=operator_admin, kind="buyer", data=buyer_profile())
    assert AuditEvent.objects.get(action="organization.create").organization == (
        operator_admin.organization
    )
    assert buyer.kind == "buyer"


@pytest.mark.parametrize(
    ("kind", "overrides", "field", "code"),
    [
        ("ministry", {}, "kind", "validation_failed"),
        ("buyer", {"legal_name": "  "}, "legal_name", "validation_failed"),
        ("buyer", {"legal_name": "L" * 301}, "legal_name", "validation_failed"),
        ("buyer", {"country": ""}, "country", "validation_failed"),
        ("buyer", {"country": "XX"}, "country", "validation_failed"),
        ("buyer", {"identifier_scheme": "RUT"}, "identifier_scheme", "validation_failed"),
        ("buyer", {"identifier_id": "61.979.440-1"}, "identifier_id", "validation_failed"),
        ("buyer", {"email": "no es un correo"}, "email", "validation_failed"),
        ("buyer", {"website": "hospital-talca"}, "website", "validation_failed"),
        ("buyer", {"buyer_type": "church"}, "buyer_type", "validation_failed"),
        ("buyer", {"scale": "small"}, None, "validation_failed"),
        ("buyer", {"legal_form": "cooperative"}, None, "validation_failed"),
        ("buyer", {"employees": 3}, None, "validation_failed"),
        ("supplier", {"scale": "", "legal_form": "company"}, "declared_scale", "scale_undecided"),
        ("supplier", {"legal_form": "church"}, "legal_form", "validation_failed"),
    ],
)
def test_organization_create_refuses_invalid_data(
    refused: Any,
    admin: Actor,
    kind: str,
    overrides: dict[str, Any],
    field: str | None,
    code: str,
) -> None:
    error = refused(
        ValidationFailed,
        code,
        services.organization_create,
        actor=admin,
        kind=kind,
        data=buyer_profile(**overrides),
    )
    assert error.field == field


def test_organization_create_refuses_a_registered_identifier(
    refused: Any, admin: Actor, buyer: Any
) -> None:
    error = refused(
        ValidationFailed,
        "organization_exists",
        services.organization_create,
        actor=admin,
        kind="buyer",
        # The same RUT, written another way.
        data=buyer_profile(identifier_id=f"0{buyer.identifier_id.replace('-', '')}"),
    )
    assert error.field == "identifier_id"


@pytest.mark.parametrize("role", ["buyer_official", "auditor", "administrator"])
def test_only_platform_administrators_create_organizations(
    refused: Any, buyer: Any, role: str
) -> None:
    # An administrator of a buyer (not of the operator) is no platform administrator.
    actor = Actor(user=factories.member(buyer, role), organization=buyer)
    refused(
        PermissionDenied,
        "permission_denied",
        services.organization_create,
        actor=actor,
        kind="buyer",
        data=buyer_profile(),
    )


def test_an_inactive_superuser_is_refused(refused: Any) -> None:
    user = factories.UserFactory(is_superuser=True, is_active=False)
    refused(
        PermissionDenied,
        "permission_denied",
        services.organization_create,
        actor=Actor(user=user),
        kind="buyer",
        data=buyer_profile(),
    )


def test_brazilian_identifiers_are_normalized(admin: Actor) -> None:
    cnpj = cnpj_with_check_digits("112223330001")
    created = services.organization_create(
        actor=admin,
        kind="buyer",
        data=buyer_profile(
            identifier_scheme="br-cnpj",
            identifier_id=f"{cnpj[:2]}.{cnpj[2:5]}.{cnpj[5:8]}/{cnpj[8:12]}-{cnpj[12:]}",
            country="BR",
        ),
    )
    assert (created.identifier_scheme, created.identifier_id) == ("BR-CNPJ", cnpj)
    assert created.party_id == f"BR-CNPJ-{cnpj}"


# ---------------------------------------------------------------------------------------------
# supplier_register


def test_a_supplier_registers_itself(now: dt.datetime) -> None:
    counts = {
        model: model.objects.count()
        for model in (User, Organization, Membership, EmailAddress, AuditEvent)
    }
    actor = Actor(user=None, ip_address=IP)

    user = services.supplier_register(actor=actor, registration=registration())

    assert {model: model.objects.count() - n for model, n in counts.items()} == {
        User: 1,
        Organization: 1,
        Membership: 1,
        EmailAddress: 1,
        AuditEvent: 1,
    }
    user.refresh_from_db()
    assert (user.email, user.full_name, user.language) == (
        "ana.rojas@coopandes.cl",
        "Ana Rojas",
        "es",
    )
    assert user.check_password("cordillera-nevada-2026")
    assert (user.is_active, user.is_staff, user.is_superuser, user.mfa_waived) == (
        True,
        False,
        False,
        False,
    )
    [membership] = Membership.objects.filter(user=user)
    supplier = membership.organization
    assert membership.role == "supplier_user"
    assert (supplier.kind, supplier.identifier_scheme, supplier.identifier_id) == (
        "supplier",
        "CL-RUT",
        "76086428-5",
    )
    assert supplier.legal_name == "Cooperativa Agrícola Los Andes Ltda."
    assert (supplier.scale, supplier.is_cooperative, supplier.is_local) == ("small", True, True)
    assert (supplier.women_owned, supplier.indigenous_owned) == (False, False)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == (
        "ana.rojas@coopandes.cl",
        True,
        False,
    )
    row = AuditEvent.objects.get(action="supplier.register")
    assert (row.actor, row.actor_label, row.organization) == (
        user,
        "ana.rojas@coopandes.cl",
        supplier,
    )
    assert (row.ip_address, row.channel, row.created_at) == (IP, "web", now)
    assert (row.object_type, row.object_id) == ("organizations.organization", str(supplier.pk))
    assert row.summary == {
        "identifier": "CL-RUT-76086428-5",
        "legal_form": "cooperative",
        "scale": "small",
        "declared_scale": "small",
        "computed_scale": "",
        "rule_pack": "",
        "employees": None,
        "annual_turnover": None,
        "user": "ana.rojas@coopandes.cl",
    }


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"organization": profile(identifier_id="76.086.428-6")}, "identifier_id", None),
        ({"organization": profile(identifier_id="")}, "identifier_id", None),
        ({"organization": profile(scale="")}, "declared_scale", "scale_undecided"),
        ({"organization": profile(scale="huge")}, "declared_scale", None),
        ({"organization": profile(employees=-1)}, "employees", None),
        ({"organization": profile(legal_form="")}, "legal_form", None),
        ({"organization": profile(legal_name="")}, "legal_name", None),
        ({"email": ""}, "email", None),
        ({"email": "ana.rojas"}, "email", None),
        ({"password": "123456"}, "password", None),
        ({"password": "password"}, "password", None),
        ({"password": "ana.rojas@coopandes.cl"}, "password", None),
        ({"full_name": "N" * 201}, "full_name", None),
        ({"language": "klingon"}, "language", None),
    ],
)
def test_supplier_register_refuses_invalid_data(
    refused: Any, overrides: dict[str, Any], field: str, code: str | None
) -> None:
    error = refused(
        ValidationFailed,
        code or "validation_failed",
        services.supplier_register,
        actor=Actor(user=None, ip_address=IP),
        registration=registration(**overrides),
    )
    assert error.field == field


def test_supplier_register_refuses_a_registered_identifier(refused: Any) -> None:
    factories.SupplierFactory(identifier_id="76086428-5")
    error = refused(
        ValidationFailed,
        "organization_exists",
        services.supplier_register,
        actor=Actor(user=None),
        registration=registration(),
    )
    assert error.field == "identifier_id"


def test_supplier_register_refuses_a_registered_email(refused: Any) -> None:
    factories.UserFactory(email="ana.rojas@coopandes.cl")
    error = refused(
        ValidationFailed,
        "email_taken",
        services.supplier_register,
        actor=Actor(user=None),
        registration=registration(email="ANA.ROJAS@coopandes.cl"),
    )
    assert error.field == "email"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "123456"}, "password"),
        ({"organization": profile(identifier_id="76.086.428-6")}, "identifier_id"),
        ({"organization": profile(legal_form="")}, "legal_form"),
    ],
)
def test_a_registered_email_is_refused_only_when_all_else_is_valid(
    refused: Any, overrides: dict[str, Any], field: str
) -> None:
    # A page answers a taken address as it answers a new one; any other error must come first,
    # or it would show for a new address and not for a taken one.
    factories.UserFactory(email="ana.rojas@coopandes.cl")
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.supplier_register,
        actor=Actor(user=None),
        registration=registration(**overrides),
    )
    assert error.field == field


def test_a_weak_password_is_explained(refused: Any) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.supplier_register,
        actor=Actor(user=None),
        registration=registration(password="abc"),
    )
    assert str(error) == (
        "This password is too short. It must contain at least 8 characters. "
        "This password is too common."
    )


# ---------------------------------------------------------------------------------------------
# organization_update


def test_a_member_updates_the_profile(
    supplier: Any, supplier_user: Any, supplier_actor: Actor, now: dt.datetime
) -> None:
    data = OrganizationData(
        identifier_scheme="BR-CNPJ",
        identifier_id="ignored",
        legal_name=supplier.legal_name,
        country="CL",
        name=" Proveedora ",
        region=supplier.region,
        legal_form="association",
        scale="medium",
        women_owned=True,
        email="ventas@proveedora.cl",
    )
    identifier = (supplier.identifier_scheme, supplier.identifier_id)
    before = audit_ids()

    updated = services.organization_update(actor=supplier_actor, organization=supplier, data=data)

    supplier.refresh_from_db()
    assert updated == supplier
    assert (supplier.identifier_scheme, supplier.identifier_id) == identifier
    # The scale is declared apart, with its figures (`supplier_scale_declare`).
    assert (supplier.name, supplier.scale, supplier.women_owned) == ("Proveedora", "small", True)
    assert (supplier.legal_form, supplier.is_cooperative) == ("association", False)
    assert supplier.email == "ventas@proveedora.cl"
    assert supplier.updated_at == now
    [row] = new_audit_rows(before)
    assert (row.action, row.actor, row.organization, row.ip_address) == (
        "organization.update",
        supplier_user,
        supplier,
        "198.51.100.4",
    )
    assert row.summary == {
        "changes": {
            "name": ["", "Proveedora"],
            "email": ["", "ventas@proveedora.cl"],
            "legal_form": ["company", "association"],
            "women_owned": [False, True],
        }
    }


def test_an_update_that_changes_nothing_writes_no_audit_row(
    supplier: Any, supplier_actor: Actor
) -> None:
    updated_at = supplier.updated_at
    data = OrganizationData(
        identifier_scheme=supplier.identifier_scheme,
        identifier_id=supplier.identifier_id,
        legal_name=supplier.legal_name,
        country="CL",
        region=supplier.region,
        legal_form=supplier.legal_form,
        scale=supplier.scale,
    )
    before = audit_ids()
    services.organization_update(actor=supplier_actor, organization=supplier, data=data)
    supplier.refresh_from_db()
    assert supplier.updated_at == updated_at
    assert new_audit_rows(before) == []


def _data_of(organization: Organization, **overrides: Any) -> OrganizationData:
    data = OrganizationData(
        identifier_scheme=organization.identifier_scheme,
        identifier_id=organization.identifier_id,
        legal_name=organization.legal_name,
        country=str(organization.country),
        region=organization.region,
        legal_form=organization.legal_form,
        buyer_type=organization.buyer_type,
    )
    return replace(data, **overrides)


def test_a_non_member_cannot_update(refused: Any, supplier: Any, official_actor: Actor) -> None:
    refused(
        PermissionDenied,
        "permission_denied",
        services.organization_update,
        actor=official_actor,
        organization=supplier,
        data=_data_of(supplier, name="Tomada"),
    )


def test_a_member_acting_for_another_organization_cannot_update(
    refused: Any, supplier: Any, supplier_user: Any
) -> None:
    other = factories.SupplierFactory()
    Membership.objects.create(user=supplier_user, organization=other, role="supplier_user")
    refused(
        PermissionDenied,
        "permission_denied",
        services.organization_update,
        actor=Actor(user=supplier_user, organization=other),
        organization=supplier,
        data=_data_of(supplier, name="Tomada"),
    )


def test_an_update_checks_the_profile(refused: Any, supplier: Any, supplier_actor: Actor) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.organization_update,
        actor=supplier_actor,
        organization=supplier,
        data=_data_of(supplier, legal_form="giant"),
    )
    assert error.field == "legal_form"


# ---------------------------------------------------------------------------------------------
# memberships


def test_an_administrator_grants_a_role(admin: Actor, buyer: Any) -> None:
    person = factories.UserFactory()
    before = audit_ids()

    membership = accounts_services.membership_grant(
        actor=admin, organization=buyer, user=person, role="committee_member"
    )

    assert (membership.user, membership.organization, membership.role) == (
        person,
        buyer,
        "committee_member",
    )
    [row] = new_audit_rows(before)
    assert (row.action, row.object_type, row.object_id) == (
        "membership.grant",
        "accounts.membership",
        str(membership.pk),
    )
    assert row.summary == {"user": person.email, "role": "committee_member"}

    # Granting it again changes nothing and writes nothing.
    again = accounts_services.membership_grant(
        actor=admin, organization=buyer, user=person, role="committee_member"
    )
    assert again == membership
    assert len(new_audit_rows(before)) == 1


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        ("buyer", "supplier_user"),
        ("buyer", "administrator"),
        ("supplier", "buyer_official"),
        ("oversight", "buyer_official"),
        ("operator", "auditor"),
        ("buyer", "mayor"),
    ],
)
def test_roles_belong_to_kinds_of_organization(
    refused: Any, admin: Actor, kind: str, role: str
) -> None:
    organization = {
        "buyer": factories.BuyerFactory,
        "supplier": factories.SupplierFactory,
        "oversight": factories.OversightFactory,
        "operator": factories.OperatorFactory,
    }[kind]()
    error = refused(
        ValidationFailed,
        "validation_failed",
        accounts_services.membership_grant,
        actor=admin,
        organization=organization,
        user=factories.UserFactory(),
        role=role,
    )
    assert error.field == "role"


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        ("buyer", "buyer_official"),
        ("buyer", "auditor"),
        ("supplier", "supplier_user"),
        ("oversight", "auditor"),
        ("operator", "administrator"),
    ],
)
def test_each_kind_has_its_roles(admin: Actor, kind: str, role: str) -> None:
    organization = {
        "buyer": factories.BuyerFactory,
        "supplier": factories.SupplierFactory,
        "oversight": factories.OversightFactory,
        "operator": factories.OperatorFactory,
    }[kind]()
    membership = accounts_services.membership_grant(
        actor=admin, organization=organization, user=factories.UserFactory(), role=role
    )
    assert membership.role == role


def test_only_platform_administrators_grant_roles(
    refused: Any, buyer: Any, official_actor: Actor
) -> None:
    refused(
        PermissionDenied,
        "permission_denied",
        accounts_services.membership_grant,
        actor=official_actor,
        organization=buyer,
        user=factories.UserFactory(),
        role="buyer_official",
    )


def test_an_administrator_revokes_a_role(admin: Actor, buyer: Any, official: Any) -> None:
    membership = Membership.objects.get(user=official)
    pk = membership.pk
    before = audit_ids()
    accounts_services.membership_revoke(actor=admin, membership=membership)
    assert not Membership.objects.filter(pk=pk).exists()
    [row] = new_audit_rows(before)
    assert (row.action, row.object_id) == ("membership.revoke", str(pk))
    assert row.summary == {"user": official.email, "role": "buyer_official"}


def test_only_platform_administrators_revoke_roles(
    refused: Any, official: Any, official_actor: Actor
) -> None:
    refused(
        PermissionDenied,
        "permission_denied",
        accounts_services.membership_revoke,
        actor=official_actor,
        membership=Membership.objects.get(user=official),
    )


# ---------------------------------------------------------------------------------------------
# API keys


def test_issue_an_api_key(
    official_actor: Actor, official: Any, buyer: Any, now: dt.datetime
) -> None:
    before = audit_ids()
    key, token = services.api_key_issue(
        actor=official_actor,
        organization=buyer,
        name=" Mercado Público S.A. ",
        scopes=["tenders:write", "tenders:read", "tenders:write"],
    )

    key.refresh_from_db()
    marker, prefix, secret = token.split("_", 2)
    assert (marker, prefix) == ("pk", key.prefix)
    assert len(prefix) == 12
    assert len(secret) >= 43
    assert key.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in key.secret_hash
    assert (key.organization, key.name, key.scopes) == (
        buyer,
        "Mercado Público S.A.",
        ["tenders:read", "tenders:write"],
    )
    assert (key.created_by, key.created_at, key.last_used_at) == (official, now, None)
    assert (key.expires_at, key.revoked_at) == (None, None)
    assert key.is_active
    [row] = new_audit_rows(before)
    assert (row.action, row.actor, row.organization, row.object_id) == (
        "api_key.issue",
        official,
        buyer,
        str(key.pk),
    )
    assert row.summary == {"scopes": ["tenders:read", "tenders:write"]}


@pytest.mark.parametrize(
    ("name", "scopes", "field"),
    [
        ("Integrador", [], "scopes"),
        ("Integrador", ["tenders:read", "tenders:delete"], "scopes"),
        ("  ", ["tenders:read"], "name"),
        ("N" * 121, ["tenders:read"], "name"),
    ],
)
def test_api_key_issue_checks_name_and_scopes(
    refused: Any, official_actor: Actor, buyer: Any, name: str, scopes: list[str], field: str
) -> None:
    error = refused(
        ValidationFailed,
        "validation_failed",
        services.api_key_issue,
        actor=official_actor,
        organization=buyer,
        name=name,
        scopes=scopes,
    )
    assert error.field == field


@pytest.fixture
def issued(official_actor: Actor, buyer: Any) -> tuple[ApiKey, str]:
    return services.api_key_issue(
        actor=official_actor, organization=buyer, name="Integrador", scopes=["tenders:read"]
    )


def test_api_keys_cannot_issue_keys(refused: Any, buyer: Any, issued: tuple[ApiKey, str]) -> None:
    key, _token = issued
    refused(
        PermissionDenied,
        "permission_denied",
        services.api_key_issue,
        actor=Actor(user=None, organization=buyer, api_key=key, channel="api"),
        organization=buyer,
        name="Otro",
        scopes=["tenders:write"],
    )


def test_authenticate_an_api_key(issued: tuple[ApiKey, str], now: dt.datetime) -> None:
    key, token = issued
    found = services.api_key_authenticate(token)
    assert found == key
    assert found.organization == key.organization
    key.refresh_from_db()
    assert key.last_used_at == now


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("pk-nothing", "The API key is malformed."),
        ("", "The API key is malformed."),
        ("pk_000000000000_secret", "The API key is not valid."),
        ("wrong-secret", "The API key is not valid."),
    ],
)
def test_authenticate_refuses_unknown_keys(
    refused: Any, issued: tuple[ApiKey, str], token: str, message: str
) -> None:
    key, real = issued
    if token == "wrong-secret":
        token = f"pk_{key.prefix}_{real.split('_', 2)[2][::-1]}"
    error = refused(NotFound, "not_found", services.api_key_authenticate, token)
    assert str(error) == message


def test_an_expired_key_is_refused(refused: Any, issued: tuple[ApiKey, str]) -> None:
    key, token = issued
    ApiKey.objects.filter(pk=key.pk).update(expires_at=clock.now())
    error = refused(NotFound, "not_found", services.api_key_authenticate, token)
    assert str(error) == "The API key was revoked or has expired."
    ApiKey.objects.filter(pk=key.pk).update(expires_at=clock.now() + dt.timedelta(seconds=1))
    assert services.api_key_authenticate(token) == key


def test_revoke_an_api_key(
    refused: Any, official_actor: Actor, issued: tuple[ApiKey, str], now: dt.datetime
) -> None:
    key, token = issued
    before = audit_ids()

    revoked = services.api_key_revoke(actor=official_actor, key=key)

    assert revoked.revoked_at == now
    assert not revoked.is_active
    [row] = new_audit_rows(before)
    assert (row.action, row.object_id, row.summary) == ("api_key.revoke", str(key.pk), {})
    error = refused(NotFound, "not_found", services.api_key_authenticate, token)
    assert str(error) == "The API key was revoked or has expired."
    # Revoking twice keeps the first date and writes nothing more.
    with clock.at(now + dt.timedelta(hours=1)):
        again = services.api_key_revoke(actor=official_actor, key=key)
    assert again.revoked_at == now
    assert len(new_audit_rows(before)) == 1


def test_a_revoked_key_acts_no_more(
    refused: Any, official_actor: Actor, buyer: Any, issued: tuple[ApiKey, str]
) -> None:
    key, _token = issued
    services.api_key_revoke(actor=official_actor, key=key)
    key.refresh_from_db()
    refused(
        PermissionDenied,
        "permission_denied",
        services.organization_update,
        actor=Actor(user=None, organization=buyer, api_key=key, channel="api"),
        organization=buyer,
        data=_data_of(buyer, name="Por la llave"),
    )


def test_another_organization_cannot_revoke_a_key(
    refused: Any, issued: tuple[ApiKey, str], supplier_actor: Actor
) -> None:
    key, _token = issued
    refused(
        PermissionDenied,
        "permission_denied",
        services.api_key_revoke,
        actor=supplier_actor,
        key=key,
    )


def test_an_api_key_cannot_revoke_keys(
    refused: Any, buyer: Any, issued: tuple[ApiKey, str]
) -> None:
    key, _token = issued
    refused(
        PermissionDenied,
        "permission_denied",
        services.api_key_revoke,
        actor=Actor(user=None, organization=buyer, api_key=key, channel="api"),
        key=key,
    )


def test_ruts_with_leading_zeros_are_one_organization(admin: Actor) -> None:
    rut = rut_with_check_digit(7_654_321)
    services.organization_create(
        actor=admin, kind="buyer", data=buyer_profile(identifier_id=f"00{rut}")
    )
    assert Organization.objects.get(kind="buyer").identifier_id == rut
