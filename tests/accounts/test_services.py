"""People's accounts (accounts.services): opened, corrected, given or refused the admin site,
deactivated and reactivated by platform administrators only, each change with its audit row."""

from __future__ import annotations

from typing import Any

import pytest

from pregon.accounts import services
from pregon.accounts.models import User
from pregon.accounts.services import UserData
from pregon.audit.labels import SummaryLine, action_label, summary_lines
from pregon.core.actor import Actor
from pregon.core.errors import PermissionDenied, ValidationFailed
from pregon.core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

IP = "198.51.100.23"


@pytest.fixture
def root() -> Actor:
    return Actor(user=factories.UserFactory(is_staff=True, is_superuser=True), ip_address=IP)


@pytest.fixture
def operator_admin() -> Actor:
    operator = factories.OperatorFactory()
    return Actor(user=factories.member(operator, "administrator"), organization=operator)


@pytest.fixture
def person() -> User:
    return factories.UserFactory(email="ana@example.org", full_name="Ana Rojas")


def test_an_account_is_opened_without_a_password(root: Actor) -> None:
    user = services.user_create(
        actor=root,
        data=UserData(email=" Ana@Example.ORG ", full_name=" Ana ", language="pt-br"),
        password=None,
    )
    user.refresh_from_db()
    assert (user.email, user.full_name, user.language, user.has_usable_password()) == (
        "ana@example.org",
        "Ana",
        "pt-br",
        False,
    )
    assert (user.is_active, user.is_staff, user.is_superuser) == (True, False, False)
    row = AuditEvent.objects.get()
    assert (row.action, row.actor, row.ip_address, row.object_id, row.summary) == (
        "user.create",
        root.user,
        IP,
        str(user.pk),
        {"user": "ana@example.org"},
    )


def test_an_account_is_opened_with_a_strong_password(root: Actor) -> None:
    user = services.user_create(
        actor=root, data=UserData(email="ana@example.org"), password="cordillera-nevada-2026"
    )
    assert user.check_password("cordillera-nevada-2026")


@pytest.mark.parametrize(
    ("data", "password", "field", "code"),
    [
        (UserData(email=""), None, "email", "validation_failed"),
        (UserData(email="ana"), None, "email", "validation_failed"),
        (UserData(email="ANA@example.org"), None, "email", "email_taken"),
        (UserData(email="new@example.org", full_name="N" * 201), None, "full_name", None),
        (UserData(email="new@example.org", language="tlh"), None, "language", None),
        (UserData(email="new@example.org"), "123456", "password1", None),
    ],
)
def test_an_account_is_refused_for_bad_data(
    refused: Any,
    root: Actor,
    person: User,
    data: UserData,
    password: str | None,
    field: str,
    code: str | None,
) -> None:
    error = refused(
        ValidationFailed,
        code or "validation_failed",
        services.user_create,
        actor=root,
        data=data,
        password=password,
    )
    assert error.field == field


@pytest.mark.parametrize("role", ["buyer_official", "auditor", "nobody", "staff"])
def test_only_platform_administrators_change_accounts(
    refused: Any, person: User, role: str
) -> None:
    if role == "staff":
        user = factories.UserFactory(is_staff=True)
    elif role == "nobody":
        user = factories.UserFactory()
    else:
        user = factories.member(factories.BuyerFactory(), role)
    actor = Actor(user=user)
    calls = [
        (services.user_create, {"data": UserData(email="x@example.org"), "password": None}),
        (services.user_update, {"user": person, "data": UserData(email="b@example.org")}),
        (
            services.user_update_flags,
            {"user": person, "is_staff": True, "is_superuser": False},
        ),
        (services.user_deactivate, {"user": person}),
        (services.user_reactivate, {"user": person}),
    ]
    for service, arguments in calls:
        refused(PermissionDenied, "permission_denied", service, actor=actor, **arguments)


def test_a_correction_records_what_changed(root: Actor, person: User) -> None:
    services.user_update(
        actor=root,
        user=person,
        data=UserData(email="ana@example.org", full_name="Ana Rojas Paz", language="es"),
    )
    person.refresh_from_db()
    assert (person.full_name, person.language) == ("Ana Rojas Paz", "es")
    assert AuditEvent.objects.get().summary == {
        "changes": {
            "full_name": ["Ana Rojas", "Ana Rojas Paz"],
            "preferred_language": ["", "es"],
        }
    }


def test_an_address_of_another_account_is_refused(refused: Any, root: Actor, person: User) -> None:
    factories.UserFactory(email="beto@example.org")
    error = refused(
        ValidationFailed,
        "email_taken",
        services.user_update,
        actor=root,
        user=person,
        data=UserData(email="Beto@example.org"),
    )
    assert str(error) == "Another account uses this e-mail address."


def test_an_operator_administrator_gives_the_admin_site_not_superuser(
    refused: Any, operator_admin: Actor, person: User
) -> None:
    services.user_update_flags(actor=operator_admin, user=person, is_staff=True, is_superuser=False)
    person.refresh_from_db()
    assert (person.is_staff, person.is_superuser) == (True, False)
    row = AuditEvent.objects.get()
    assert (row.action, row.organization, row.summary) == (
        "user.update_flags",
        operator_admin.organization,
        {"user": "ana@example.org", "changes": {"is_staff": [False, True]}},
    )
    refused(
        PermissionDenied,
        "permission_denied",
        services.user_update_flags,
        actor=operator_admin,
        user=person,
        is_staff=True,
        is_superuser=True,
    )


def test_deactivation_and_reactivation_are_recorded_once(root: Actor, person: User) -> None:
    services.user_deactivate(actor=root, user=person)
    services.user_deactivate(actor=root, user=person)
    person.refresh_from_db()
    assert person.is_active is False
    services.user_reactivate(actor=root, user=person)
    services.user_reactivate(actor=root, user=person)
    person.refresh_from_db()
    assert person.is_active is True
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "user.deactivate",
        "user.reactivate",
    ]


def test_a_deactivated_administrator_administers_no_more(
    refused: Any, root: Actor, operator_admin: Actor, person: User
) -> None:
    assert operator_admin.user is not None
    services.user_deactivate(actor=root, user=operator_admin.user)
    operator_admin.user.refresh_from_db()
    refused(
        PermissionDenied,
        "permission_denied",
        services.user_deactivate,
        actor=operator_admin,
        user=person,
    )


def test_no_one_deactivates_themselves(refused: Any, root: Actor) -> None:
    assert root.user is not None
    error = refused(
        ValidationFailed, "validation_failed", services.user_deactivate, actor=root, user=root.user
    )
    assert error.field == "is_active"


def test_the_audit_trail_reads_the_new_rows(root: Actor, person: User) -> None:
    services.user_update_flags(actor=root, user=person, is_staff=True, is_superuser=True)
    services.user_update(
        actor=root,
        user=person,
        data=UserData(email="ana.rojas@example.org", full_name="Ana Rojas", language="fr"),
    )
    flags, update = AuditEvent.objects.order_by("id")
    assert (action_label(flags.action), action_label(update.action)) == (
        "Access to the admin site changed",
        "Account details changed",
    )
    assert summary_lines(flags.summary, object_type=flags.object_type) == [
        SummaryLine("Person (e-mail address)", "user", "ana@example.org"),
        SummaryLine("Staff (reaches the admin site)", "is_staff", "no → yes"),
        SummaryLine("Superuser (may do everything)", "is_superuser", "no → yes"),
    ]
    assert sorted(summary_lines(update.summary, object_type=update.object_type)) == [
        SummaryLine(
            "E-mail address for signing in",
            "sign_in_email",
            "ana@example.org → ana.rojas@example.org",
        ),
        SummaryLine("Preferred language", "preferred_language", "— → fr"),
    ]
