"""People in the admin: every change goes through accounts.services and writes its audit row;
nobody is deleted; sign-in data kept by allauth is read-only; no password is set for someone.

The pages are driven with the test client, as an administrator would use them.
"""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from pregon.accounts.models import Membership, User
from pregon.core.actor import Actor
from pregon.core.admin_base import ReadOnlyAdmin, ServiceAdmin
from pregon.core.audit import audit_record
from pregon.core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # the factories' password


@pytest.fixture
def root(db: None) -> User:
    return factories.UserFactory(is_staff=True, is_superuser=True, email="root@example.org")


@pytest.fixture
def root_client(client: Client, root: User) -> Client:
    client.force_login(root)
    return client


@pytest.fixture
def person(db: None) -> User:
    return factories.UserFactory(email="ana.rojas@example.org", full_name="Ana Rojas")


def user_url(view: str, *args: Any) -> str:
    # Django names the password page "auth_user_password_change", whatever the user model.
    name = "auth_user_password_change" if view == "password_change" else f"accounts_user_{view}"
    return reverse(f"admin:{name}", args=args)


def change_form(client: Client, user: User, **changes: Any) -> dict[str, Any]:
    """The user's change form as the page shows it, with `changes` made (False unticks)."""
    page = client.get(user_url("change", user.pk))
    assert page.status_code == 200
    form = page.context["adminform"].form
    values: dict[str, Any] = {name: form.initial.get(name) for name in form.fields}
    values.update(changes)
    data: dict[str, Any] = {}
    for name, value in values.items():
        if value is True:
            data[name] = "on"
        elif value not in (False, None):
            data[name] = value
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {f"{management.prefix}-{key}": value for key, value in management.initial.items()}
    return data


def new_rows(before: set[int]) -> list[AuditEvent]:
    return list(AuditEvent.objects.exclude(pk__in=before).order_by("id"))


def audit_ids() -> set[int]:
    return set(AuditEvent.objects.values_list("pk", flat=True))


def test_making_someone_staff_and_superuser_is_audited(
    root_client: Client, root: User, person: User
) -> None:
    before = audit_ids()
    response = root_client.post(
        user_url("change", person.pk),
        change_form(root_client, person, is_staff=True, is_superuser=True),
    )
    assert (response.status_code, response["Location"]) == (302, user_url("changelist"))
    person.refresh_from_db()
    assert (person.is_staff, person.is_superuser) == (True, True)
    [row] = new_rows(before)
    assert (row.action, row.actor, row.channel, row.object_id) == (
        "user.update_flags",
        root,
        "admin",
        str(person.pk),
    )
    assert row.summary == {
        "user": "ana.rojas@example.org",
        "changes": {"is_staff": [False, True], "is_superuser": [False, True]},
    }


def test_a_profile_correction_is_audited(root_client: Client, root: User, person: User) -> None:
    before = audit_ids()
    response = root_client.post(
        user_url("change", person.pk),
        change_form(
            root_client, person, email="Ana.Rojas@Ministerio.example", full_name="Ana Rojas Paz"
        ),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.email, person.full_name) == ("ana.rojas@ministerio.example", "Ana Rojas Paz")
    [row] = new_rows(before)
    assert (row.action, row.actor) == ("user.update", root)
    assert row.summary == {
        "changes": {
            "sign_in_email": ["ana.rojas@example.org", "ana.rojas@ministerio.example"],
            "full_name": ["Ana Rojas", "Ana Rojas Paz"],
        }
    }


def test_saving_without_a_change_writes_no_row(root_client: Client, person: User) -> None:
    response = root_client.post(user_url("change", person.pk), change_form(root_client, person))
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


def test_an_account_is_deactivated_and_reactivated_with_the_checkbox(
    root_client: Client, root: User, person: User
) -> None:
    root_client.post(
        user_url("change", person.pk), change_form(root_client, person, is_active=False)
    )
    person.refresh_from_db()
    assert person.is_active is False
    root_client.post(
        user_url("change", person.pk), change_form(root_client, person, is_active=True)
    )
    person.refresh_from_db()
    assert person.is_active is True
    assert list(AuditEvent.objects.order_by("id").values_list("action", "actor", "summary")) == [
        ("user.deactivate", root.pk, {"user": "ana.rojas@example.org"}),
        ("user.reactivate", root.pk, {"user": "ana.rojas@example.org"}),
    ]


def test_the_list_deactivates_several_accounts_each_audited(
    root_client: Client, root: User, person: User
) -> None:
    other = factories.UserFactory(email="beto@example.org")
    page = root_client.get(user_url("changelist")).content.decode()
    assert 'value="deactivate_selected"' in page
    assert "delete_selected" not in page
    response = root_client.post(
        user_url("changelist"),
        {"action": "deactivate_selected", "_selected_action": [person.pk, other.pk, root.pk]},
    )
    assert response.status_code == 302
    assert list(User.objects.order_by("email").values_list("email", "is_active")) == [
        ("ana.rojas@example.org", False),
        ("beto@example.org", False),
        ("root@example.org", True),
    ]
    assert list(AuditEvent.objects.order_by("id").values_list("action", "object_id")) == [
        ("user.deactivate", str(person.pk)),
        ("user.deactivate", str(other.pk)),
    ]
    messages = [str(m) for m in root_client.get(user_url("changelist")).context["messages"]]
    assert messages == ["root@example.org: You cannot deactivate your own account."]


def test_an_administrator_cannot_deactivate_their_own_account(
    root_client: Client, root: User
) -> None:
    response = root_client.post(
        user_url("change", root.pk), change_form(root_client, root, is_active=False)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["is_active"] == ["You cannot deactivate your own account."]
    root.refresh_from_db()
    assert root.is_active is True
    assert not AuditEvent.objects.exists()


def test_only_a_superuser_makes_a_superuser(client: Client, person: User) -> None:
    operator_admin = factories.member(factories.OperatorFactory(), "administrator", is_staff=True)
    operator_admin.user_permissions.set(
        Permission.objects.filter(content_type__app_label="accounts")
    )
    client.force_login(operator_admin)
    # An operator's administrator opens the admin site to someone…
    response = client.post(
        user_url("change", person.pk), change_form(client, person, is_staff=True)
    )
    assert response.status_code == 302
    # …but may not make them a superuser; nothing of that save is kept.
    response = client.post(
        user_url("change", person.pk),
        change_form(client, person, full_name="Otra", is_superuser=True),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Only a superuser may make or unmake a superuser."
    ]
    person.refresh_from_db()
    assert (person.full_name, person.is_staff, person.is_superuser) == ("Ana Rojas", True, False)
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["user.update_flags"]


def test_staff_who_are_not_platform_administrators_change_no_one(
    client: Client, person: User
) -> None:
    staff = factories.UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    client.force_login(staff)
    assert client.get(user_url("changelist")).status_code == 200
    assert client.get(user_url("add")).status_code == 403
    response = client.post(
        user_url("change", person.pk), {"email": person.email, "is_superuser": "on"}
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.is_superuser is False


def test_an_account_opened_in_the_admin_is_audited(root_client: Client, root: User) -> None:
    response = root_client.post(
        user_url("add"),
        {
            "email": "Nuevo@Ministerio.example",
            "full_name": "Nuevo Funcionario",
            "language": "es",
            "usable_password": "false",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nuevo@ministerio.example")
    assert (user.full_name, user.language, user.has_usable_password()) == (
        "Nuevo Funcionario",
        "es",
        False,
    )
    row = AuditEvent.objects.get()
    assert (row.action, row.actor, row.channel, row.object_id, row.summary) == (
        "user.create",
        root,
        "admin",
        str(user.pk),
        {"user": "nuevo@ministerio.example"},
    )


def test_no_one_is_deleted_in_the_admin(root_client: Client, person: User) -> None:
    assert root_client.get(user_url("delete", person.pk)).status_code == 403
    assert root_client.post(user_url("delete", person.pk), {"post": "yes"}).status_code == 403
    response = root_client.post(
        user_url("changelist"),
        {"action": "delete_selected", "_selected_action": [person.pk], "post": "yes"},
    )
    assert response.status_code == 302
    messages = [str(m) for m in root_client.get(user_url("changelist")).context["messages"]]
    assert messages == ["No action selected."]
    assert User.objects.filter(pk=person.pk).exists()


def test_no_password_is_set_for_someone_else(root_client: Client, person: User) -> None:
    assert root_client.get(user_url("password_change", person.pk)).status_code == 403
    response = root_client.post(
        user_url("password_change", person.pk),
        {"password1": "otra-clave-larga-2026", "password2": "otra-clave-larga-2026"},
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_the_database_refuses_to_delete_someone_the_trail_names(person: User) -> None:
    # The trail names a person by foreign key: deleting them would rewrite those rows.
    for number in range(3):
        audit_record(
            actor=Actor(user=person), action="tender.create", target=person, summary={"n": number}
        )
    with pytest.raises(ProtectedError):
        person.delete()
    assert list(AuditEvent.objects.values_list("actor", flat=True)) == [person.pk] * 3


def test_sign_in_data_is_read_only_and_groups_are_not_offered(
    root_client: Client, person: User
) -> None:
    assert Group not in admin.site._registry
    address = EmailAddress.objects.get(user=person)
    authenticator = Authenticator.objects.create(
        user=person, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    for model, row in ((EmailAddress, address), (Authenticator, authenticator)):
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert root_client.get(reverse(f"{name}_add")).status_code == 403
        assert root_client.post(reverse(f"{name}_change", args=[row.pk]), {}).status_code == 403
        delete = root_client.post(reverse(f"{name}_delete", args=[row.pk]), {"post": "yes"})
        assert delete.status_code == 403
        page = root_client.get(reverse(f"{name}_change", args=[row.pk]))
        assert page.status_code == 200
        assert "JBSWY3DPEHPK3PXP" not in page.content.decode()
        changelist = root_client.get(reverse(f"{name}_changelist")).content.decode()
        assert "make_verified" not in changelist and "delete_selected" not in changelist
    assert EmailAddress.objects.filter(pk=address.pk, verified=True).exists()
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()


def test_a_membership_added_in_the_admin_is_audited(
    root_client: Client, root: User, person: User
) -> None:
    buyer = factories.BuyerFactory()
    response = root_client.post(
        reverse("admin:accounts_membership_add"),
        {"user": person.pk, "organization": buyer.pk, "role": "buyer_official"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    row = AuditEvent.objects.get()
    assert (row.action, row.actor, row.object_id, row.summary) == (
        "membership.grant",
        root,
        str(membership.pk),
        {"user": "ana.rojas@example.org", "role": "buyer_official"},
    )


def test_every_admin_of_people_organizations_and_keys_is_read_only_or_uses_services() -> None:
    # Django's task results aside, every model in the admin is either read-only or saved by a
    # service (and its refusals shown on the form).
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label == "django_tasks_database":
            continue
        assert isinstance(model_admin, ServiceAdmin | ReadOnlyAdmin), model._meta.label
    assert {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ServiceAdmin)
    } == {"accounts.User", "accounts.Membership", "organizations.Organization"}
