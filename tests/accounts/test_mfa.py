"""Multi-factor sign-in is required of everyone who acts for a buyer, where the instance says so.

pregon.accounts.middleware.RequireMFAMiddleware sends such a person to the TOTP activation page
until they have an authenticator; the embedded demo may waive it for its own accounts, never
in production.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation
from django.utils.regex_helper import normalize

from pregon.accounts.middleware import ALLOWED_WITHOUT_MFA, RequireMFAMiddleware, mfa_required
from pregon.accounts.models import Membership, User
from pregon.core.models import AuditEvent
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
    """One request through the middleware alone, to a page that just answers.

    The URL is resolved first, in the language of its prefix, as LocaleMiddleware and Django's
    handler do before the middleware's `process_view`.
    """
    request = RequestFactory().get(path)
    request.user = user

    def page(request: HttpRequest) -> HttpResponse:
        return HttpResponse("the page")

    middleware = RequireMFAMiddleware(page)
    with translation.override(translation.get_language_from_path(path)):
        request.resolver_match = match = resolve(path)
        refusal = middleware.process_view(request, match.func, match.args, match.kwargs)
        return refusal or middleware(request)


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
    assert through_middleware(AnonymousUser()).status_code == 200


LANGUAGES = [code for code, _name in settings.LANGUAGES]


def path_of(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


def test_the_pages_let_through_are_signing_in_and_out_and_setting_up() -> None:
    assert {
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "mfa_activate_totp",
        "set_language",
        "javascript-catalog",
    } == ALLOWED_WITHOUT_MFA


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(ALLOWED_WITHOUT_MFA))
def test_setting_up_and_signing_out_stay_reachable(name: str, language: str) -> None:
    response = through_middleware(person("buyer_official"), path_of(name, language))
    assert (response.status_code, response.content) == (200, b"the page")


@pytest.mark.parametrize(
    "path",
    [
        "/en/admin/accounts/user/",
        "/en/admin/accounts/membership/add/",
        "/es/admin/accounts/",
        "/en/accounts/2fa/",
        "/en/accounts/email/",
        "/fr/accounts/password/change/",
    ],
)
def test_a_path_that_merely_contains_accounts_is_not_let_through(path: str) -> None:
    response = through_middleware(person("buyer_official"), path)
    language = translation.get_language_from_path(path)
    assert (response.status_code, response["Location"]) == (
        302,
        path_of("mfa_activate_totp", language),
    )


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


# ---------------------------------------------------------------------------------------------
# Every page of the admin and of the workspaces, in every language, for a person without an
# authenticator. The addresses are read from the URL resolver, so a page added later is covered.


def _pieces(pattern: URLPattern | URLResolver) -> str:
    # The pattern's regular expression in the active language, without its anchors.
    text = pattern.pattern.regex.pattern
    return text.removeprefix("^").removesuffix(r"\Z").removesuffix("$")


def _walk(
    patterns: list[URLPattern | URLResolver], regex: str, namespace: str | None
) -> Iterator[tuple[str, str | None, URLPattern]]:
    for pattern in patterns:
        full = regex + _pieces(pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, full, namespace or pattern.namespace)
        else:
            yield full, namespace, pattern


def _samples(parameter: str) -> list[str]:
    # Any value the pattern accepts will do: the middleware answers before the view runs.
    if parameter == "app_label":
        return sorted({model._meta.app_label for model in admin.site._registry})
    if parameter == "bid_id":
        return ["00000000-0000-4000-8000-000000000001"]
    return ["1"]


@functools.cache
def routes(*namespaces: str) -> list[str]:
    """A concrete path for every route under these URL namespaces, in every language."""
    paths: list[str] = []
    for language in LANGUAGES:
        with translation.override(language):
            for regex, namespace, pattern in _walk(get_resolver().url_patterns, "", None):
                if namespace not in namespaces:
                    continue
                for template, parameters in normalize(regex):
                    combinations: list[dict[str, str]] = [{}]
                    for parameter in parameters:
                        combinations = [
                            combination | {parameter: value}
                            for combination in combinations
                            for value in _samples(parameter)
                        ]
                    for values in combinations:
                        path = "/" + template % values
                        match = resolve(path)
                        assert match.func == pattern.callback, (path, pattern)
                        paths.append(path)
    return paths


# The buyer workspace's namespace is "workspace" (its URL names predate the supplier's).
AREAS = {
    "admin": ("admin",),
    "workspace": ("workspace", "buyer", "supplier", "committee", "opening"),
}


def test_the_routes_are_found() -> None:
    # Guards the enumeration itself: the admin's pages of users and memberships are among them,
    # in each language, and so are both workspaces.
    for language in LANGUAGES:
        for path in (
            f"/{language}/admin/",
            f"/{language}/admin/accounts/",
            f"/{language}/admin/accounts/user/",
            f"/{language}/admin/accounts/user/1/change/",
            f"/{language}/admin/accounts/user/1/password/",
            f"/{language}/admin/accounts/membership/add/",
            f"/{language}/admin/organizations/apikey/1/delete/",
        ):
            assert path in routes(*AREAS["admin"]), path
        for path in (f"/{language}/buyer/", f"/{language}/supplier/profile/"):
            assert path in routes(*AREAS["workspace"]), path
    assert len(routes(*AREAS["admin"])) > 400
    assert len(routes(*AREAS["workspace"])) > 80


@pytest.fixture(params=["staff", "official"])
def without_authenticator(request: pytest.FixtureRequest, client: Client) -> Client:
    """A signed-in superuser of the staff, or a buyer official, with no authenticator."""
    if request.param == "staff":
        user = factories.UserFactory(is_staff=True, is_superuser=True)
    else:
        user = person("buyer_official")
    client.force_login(user)
    return client


@pytest.mark.parametrize("area", sorted(AREAS))
def test_every_page_sends_to_the_set_up_first(without_authenticator: Client, area: str) -> None:
    client = without_authenticator
    for path in routes(*AREAS[area]):
        expected = path_of("mfa_activate_totp", translation.get_language_from_path(path) or "en")
        for method in (client.get, client.post):
            response = method(path)
            assert (response.status_code, response.get("Location")) == (302, expected), (
                method.__name__,
                path,
            )


def test_no_role_is_granted_and_no_superuser_made_without_mfa(client: Client) -> None:
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    target = factories.UserFactory(full_name="Ana Rojas")
    buyer = factories.BuyerFactory()
    client.force_login(staff)

    grant = client.post(
        "/en/admin/accounts/membership/add/",
        {"user": target.pk, "organization": buyer.pk, "role": "buyer_official"},
    )
    promote = client.post(
        f"/en/admin/accounts/user/{target.pk}/change/",
        {
            "email": target.email,
            "full_name": target.full_name,
            "language": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )

    mfa_url = path_of("mfa_activate_totp", "en")
    assert (grant.status_code, grant["Location"]) == (302, mfa_url)
    assert (promote.status_code, promote["Location"]) == (302, mfa_url)
    target.refresh_from_db()
    assert (target.is_staff, target.is_superuser) == (False, False)
    assert not Membership.objects.filter(user=target).exists()
    assert not AuditEvent.objects.exists()


def test_the_set_up_itself_can_be_completed(client: Client) -> None:
    official: User = person("buyer_official")
    client.force_login(official)
    response = client.get(path_of("mfa_activate_totp", "es"))
    # allauth asks for the password again first; that page is let through too.
    assert response.status_code == 302
    assert response["Location"].startswith(path_of("account_reauthenticate", "es"))
    response = client.post(response["Location"], {"password": "correct horse battery"})
    assert (response.status_code, response["Location"]) == (302, path_of("mfa_activate_totp", "es"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()
