"""Multi-factor sign-in is required of everyone who acts for a buyer, where the instance says so.

pregon.accounts.middleware.RequireMFAMiddleware sends such a person to the TOTP activation page
until they have an authenticator; the embedded demo may waive it for its own accounts, never
in production.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from pregon.accounts.middleware import RequireMFAMiddleware, mfa_required
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mfa_on(settings: Any) -> None:
    settings.PREGON_REQUIRE_MFA_FOR_OFFICIALS = True
    settings.PRODUCTION = False


@pytest.fixture
def mfa_url() -> str:
    return reverse("mfa_activate_totp")


def person(role: str) -> Any:
    organization = {
        "buyer_official": factories.BuyerFactory,
        "committee_member": factories.BuyerFactory,
        "auditor": factories.BuyerFactory,
        "oversight auditor": factories.OversightFactory,
        "supplier_user": factories.SupplierFactory,
        "administrator": factories.OperatorFactory,
    }
    if role == "superuser":
        return factories.UserFactory(is_superuser=True, is_staff=True)
    if role == "nobody":
        return factories.UserFactory()
    return factories.member(organization[role](), role.replace("oversight ", ""))


def through_middleware(user: Any, path: str = "/en/buyer/") -> HttpResponse:
    """One request through the middleware alone, to a page that just answers."""
    request = RequestFactory().get(path)
    request.user = user

    def page(request: HttpRequest) -> HttpResponse:
        return HttpResponse("the page")

    return RequireMFAMiddleware(page)(request)


def add_totp(user: Any) -> None:
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )


@pytest.mark.parametrize(
    ("role", "required"),
    [
        ("buyer_official", True),
        ("committee_member", True),
        ("administrator", True),
        ("superuser", True),
        ("auditor", False),
        ("oversight auditor", False),
        ("supplier_user", False),
        ("nobody", False),
    ],
)
def test_who_must_set_up_mfa(role: str, required: bool, mfa_url: str) -> None:
    user = person(role)
    assert mfa_required(user) is required
    response = through_middleware(user)
    if required:
        assert (response.status_code, response["Location"]) == (302, mfa_url)
    else:
        assert (response.status_code, response.content) == (200, b"the page")


def test_an_official_is_sent_to_the_activation_page(client: Any, mfa_url: str) -> None:
    official = person("buyer_official")
    client.force_login(official)
    response = client.get("/en/")
    assert (response.status_code, response["Location"]) == (302, mfa_url)


def test_a_supplier_is_not(client: Any, mfa_url: str) -> None:
    client.force_login(person("supplier_user"))
    response = client.get("/en/")
    assert response.get("Location") != mfa_url


def test_an_official_with_an_authenticator_is_not(mfa_url: str) -> None:
    official = person("buyer_official")
    add_totp(official)
    assert mfa_required(official) is False
    assert through_middleware(official).status_code == 200


def test_recovery_codes_alone_are_not_enough() -> None:
    official = person("buyer_official")
    Authenticator.objects.create(
        user=official, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "0" * 40}
    )
    assert mfa_required(official) is True


def test_a_waived_demo_account_is_not_asked_outside_production(settings: Any, mfa_url: str) -> None:
    official = person("buyer_official")
    official.mfa_waived = True
    official.save()
    assert mfa_required(official) is False
    assert through_middleware(official).status_code == 200

    settings.PRODUCTION = True
    assert mfa_required(official) is True
    assert through_middleware(official)["Location"] == mfa_url


def test_nothing_is_asked_when_the_instance_does_not_require_it(settings: Any) -> None:
    settings.PREGON_REQUIRE_MFA_FOR_OFFICIALS = False
    official = person("buyer_official")
    assert mfa_required(official) is False
    assert through_middleware(official).status_code == 200


def test_anonymous_visitors_pass() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert through_middleware(AnonymousUser()).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/en/accounts/2fa/totp/activate/",
        "/es/accounts/logout/",
        "/i18n/setlang/",
        "/static/pregon/pregon.css",
        "/media/tenders/1/abc",
        "/favicon.ico",
    ],
)
def test_setting_up_and_signing_out_stay_reachable(path: str) -> None:
    assert through_middleware(person("buyer_official"), path).status_code == 200


def test_the_api_answers_a_problem_instead_of_a_redirect() -> None:
    response = through_middleware(person("buyer_official"), "/api/v1/tenders")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content) == {
        "type": "urn:pregon:error:mfa_required",
        "title": "You may not do this",
        "status": 403,
        "detail": "Set up multi-factor sign-in before acting for a buyer.",
        "code": "mfa_required",
        "instance": "/api/v1/tenders",
    }


def test_the_activation_page_does_not_send_to_itself(client: Any, mfa_url: str) -> None:
    client.force_login(person("buyer_official"))
    response = client.get(mfa_url)
    assert response.get("Location") != mfa_url
