"""django-allauth's pages in Pregón's layout: sign in, e-mail confirmation, password reset and
two-step sign-in (TOTP)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # the factories' password


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def link_in(message: Any) -> str:
    """The path of the first link to this site in an e-mail."""
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_sign_in_page_uses_our_layout_and_links_to_registration(
    client: Client, language: str
) -> None:
    response = client.get(url("account_login", language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'class="usa-skipnav"' in html
    assert '<form class="usa-form usa-form--large" method="post"' in html
    assert '<label class="usa-label" for="id_login">' in html
    assert '<label class="usa-label" for="id_password">' in html
    assert f'href="{url("organizations:register", language)}"' in html
    assert f'href="{url("account_reset_password", language)}"' in html
    assert 'class="usa-input"' in html


def test_a_wrong_password_shows_an_error(client: Client) -> None:
    user = factories.UserFactory()
    response = client.post(url("account_login"), {"login": user.email, "password": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="usa-alert usa-alert--error usa-alert--slim" role="alert"' in html
    assert "_auth_user_id" not in client.session


def test_a_verified_person_signs_in_and_lands_on_the_dashboard(
    client: Client, supplier_user: Any
) -> None:
    response = client.post(
        url("account_login"), {"login": supplier_user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == url("web:dashboard")
    assert client.session["_auth_user_id"] == str(supplier_user.pk)


def test_an_unconfirmed_address_gets_a_new_link(client: Client) -> None:
    user = factories.UserFactory()
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = client.post(url("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Confirmation link sent" in page.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_sign_up_points_to_the_supplier_registration(client: Client) -> None:
    response = client.get(url("account_signup"))
    html = response.content.decode()
    assert "Registering an account" in html
    assert f'href="{url("organizations:register")}"' in html


def test_sign_out(client: Client, supplier_user: Any) -> None:
    client.force_login(supplier_user)
    page = client.get(url("account_logout")).content.decode()
    assert "Do you want to sign out?" in page
    response = client.post(url("account_logout"))
    assert response.status_code == 302
    assert response["Location"] == url("web:home")
    assert "_auth_user_id" not in client.session


def test_password_reset_journey(client: Client) -> None:
    user = factories.UserFactory()
    response = client.post(url("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == url("account_reset_password_done")
    assert "Password reset: check your e-mail" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    # The link redirects once to a key-less address, where the form lives.
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 302
    form_url = response["Location"]
    page = client.get(form_url)
    html = page.content.decode()
    assert "Choose a new password" in html
    assert '<label class="usa-label" for="id_password1">New password' in html
    response = client.post(
        form_url, {"password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"}
    )
    assert response.status_code == 302
    assert "Password changed" in client.get(response["Location"]).content.decode()
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")


def test_activating_totp_after_confirming_the_password(client: Client, official: Any) -> None:
    client.force_login(official)
    response = client.get(url("mfa_activate_totp"))
    # allauth asks for the password again before a security change.
    assert response.status_code == 302
    assert response["Location"].startswith(url("account_reauthenticate"))
    page = client.get(response["Location"]).content.decode()
    assert "Confirm it is you" in page
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get(url("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Set up two-step sign-in" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert '<label class="usa-label" for="id_code">Six-digit code' in html
    assert html.count("<h1") == 1


def test_the_second_step_of_sign_in(client: Client, official: Any) -> None:
    secret = "JBSWY3DPEHPK3PXP"
    TOTP.activate(official, secret)
    response = client.post(url("account_login"), {"login": official.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == url("mfa_authenticate")
    page = client.get(response["Location"]).content.decode()
    assert "Enter your authenticator code" in page
    assert '<label class="usa-label" for="id_code">Code' in page
    response = client.post(url("mfa_authenticate"), {"code": factories.totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(official.pk)


@pytest.mark.parametrize("language", ["en", "es"])
def test_allauths_other_pages_render_in_our_layout(
    client: Client, supplier_user: Any, language: str
) -> None:
    client.force_login(supplier_user)
    for name in ("mfa_index", "account_email", "account_change_password"):
        response = client.get(url(name, language))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, name
        assert 'class="usa-skipnav"' in html, name
        assert html.count("<h1") == 1, name
        assert "<p>{{" not in html, name
