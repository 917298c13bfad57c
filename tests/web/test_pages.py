"""The portal's shared pages: every page renders in English and Spanish with one title and one
h1; the workspace landing; the language switcher; the error pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from pregon.tenders.models import Tender
from pregon.web.views import rate_limited
from tests import factories

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def title_of(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match, "no <title>"
    return " ".join(match.group(1).split())


@pytest.fixture
def tenders(buyer: Any) -> dict[str, Tender]:
    return {
        "open": factories.TenderOpenFactory(buyer=buyer, title="Compra de sillas"),
        "closed": factories.TenderClosedFactory(buyer=buyer, title="Compra de mesas"),
        "cancelled": factories.TenderCancelledFactory(buyer=buyer, title="Compra de lámparas"),
    }


# Each public page: a name, how to build its address, and whether it needs a signed-in person.
PUBLIC_PAGES: list[tuple[str, Callable[[str, dict[str, Any]], str]]] = [
    ("home", lambda lang, w: url("web:home", lang)),
    ("tender list", lambda lang, w: url("tenders:list", lang)),
    ("tender list page 1", lambda lang, w: url("tenders:list", lang) + "?status=active"),
    ("open tender", lambda lang, w: url("tenders:detail", lang, pk=w["open"].pk)),
    ("closed tender", lambda lang, w: url("tenders:detail", lang, pk=w["closed"].pk)),
    ("cancelled tender", lambda lang, w: url("tenders:detail", lang, pk=w["cancelled"].pk)),
    ("buyer", lambda lang, w: url("organizations:detail", lang, pk=w["open"].buyer_id)),
    ("supplier", lambda lang, w: url("organizations:detail", lang, pk=w["supplier"].pk)),
    ("registration", lambda lang, w: url("organizations:register", lang)),
    ("registered", lambda lang, w: url("organizations:registered", lang)),
    ("sign in", lambda lang, w: url("account_login", lang)),
    ("password reset", lambda lang, w: url("account_reset_password", lang)),
    ("password reset sent", lambda lang, w: url("account_reset_password_done", lang)),
    ("password reset bad key", lambda lang, w: "/" + lang + "/accounts/password/reset/key/1-x/"),
    ("sign up (closed)", lambda lang, w: url("account_signup", lang)),
    ("e-mail confirmation, bad key", lambda lang, w: "/" + lang + "/accounts/confirm-email/x/"),
    ("e-mail verification sent", lambda lang, w: url("account_email_verification_sent", lang)),
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_public_page_renders_with_one_title_and_one_h1(
    client: Client, tenders: dict[str, Tender], supplier: Any, language: str
) -> None:
    world: dict[str, Any] = tenders | {"supplier": supplier}
    titles = {}
    for name, build in PUBLIC_PAGES:
        response = client.get(build(language, world))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, name
        assert html.count("<h1") == 1, name
        assert 'class="usa-skipnav"' in html, name
        titles[name] = title_of(html)
    # Pages differ in title (the filtered list shares the list's).
    distinct = set(titles.values())
    assert len(distinct) == len(titles) - 1, titles


@pytest.mark.parametrize("language", ["en", "es"])
def test_signed_in_pages_render(
    client: Client, supplier_user: Any, tenders: dict[str, Tender], language: str
) -> None:
    client.force_login(supplier_user)
    for address in (
        url("web:home", language),
        url("tenders:detail", language, pk=tenders["open"].pk),
        url("account_logout", language),
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        html = response.content.decode()
        assert html.count("<h1") == 1, address
        assert f'<html lang="{language}">' in html


def test_the_header_offers_sign_in_or_the_workspace(client: Client, supplier_user: Any) -> None:
    html = client.get(url("web:home")).content.decode()
    assert f'href="{url("account_login")}"' in html
    assert f'href="{url("organizations:register")}"' in html
    assert f'href="{url("web:dashboard")}"' not in html
    client.force_login(supplier_user)
    html = client.get(url("web:home")).content.decode()
    assert f'href="{url("web:dashboard")}"' in html
    assert f'action="{url("account_logout")}"' in html
    assert "My workspace" in html
    assert "Sign out" in html


def test_home_shows_open_tenders_closing_soonest(client: Client, buyer: Any) -> None:
    # Same deadline: the earlier made comes first.
    first = factories.TenderOpenFactory(buyer=buyer, title="Primera en cerrar")
    second = factories.TenderOpenFactory(buyer=buyer, title="Segunda en cerrar")
    factories.TenderClosedFactory(buyer=buyer, title="Ya cerrada")
    factories.TenderDraftFactory(buyer=buyer, title="Borrador")
    response = client.get(url("web:home"))
    assert [t.pk for t in response.context["opportunities"]] == [first.pk, second.pk]
    html = response.content.decode()
    assert html.index("Primera en cerrar") < html.index("Segunda en cerrar")
    assert re.search(r"closes in 2[01] days", html)  # 21 only across a daylight-saving change
    assert "Ya cerrada" not in html
    assert "Borrador" not in html
    assert f'action="{url("tenders:list")}"' in html
    assert f'href="{url("organizations:register")}"' in html


# ---------------------------------------------------------------------------------------------
# the workspace landing


def test_dashboard_sends_each_role_to_its_workspace(client: Client, buyer: Any) -> None:
    cases = [
        (factories.member(buyer, "buyer_official"), url("workspace:home")),
        (factories.member(buyer, "committee_member"), url("workspace:home")),
        (factories.member(factories.SupplierFactory(), "supplier_user"), url("supplier:home")),
        (factories.member(factories.OversightFactory(), "auditor"), url("audit:audit")),
        (factories.UserFactory(), url("web:home")),
    ]
    for user, expected in cases:
        client.force_login(user)
        response = client.get(url("web:dashboard"))
        assert (response.status_code, response["Location"]) == (302, expected), user


def test_dashboard_needs_sign_in(client: Client) -> None:
    response = client.get(url("web:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("account_login"))


# ---------------------------------------------------------------------------------------------
# the language switcher and the error pages


@pytest.mark.parametrize(
    ("next_path", "expected"),
    [
        ("/en/tenders/?method=open&status=active", "/es/tenders/?method=open&status=active"),
        ("/en/", "/es/"),
        ("/en/organizations/register/", "/es/organizations/register/"),
    ],
)
def test_the_language_switcher_keeps_the_page(
    client: Client, next_path: str, expected: str
) -> None:
    response = client.post("/i18n/setlang/", {"language": "es", "next": next_path})
    assert response.status_code == 302
    assert response["Location"] == expected


def test_the_switcher_returns_to_the_current_page(client: Client, tenders: Any) -> None:
    address = url("tenders:detail", pk=tenders["open"].pk)
    html = client.get(address).content.decode()
    assert f'<input id="language-next" name="next" type="hidden" value="{address}">' in html
    response = client.post("/i18n/setlang/", {"language": "fr", "next": address})
    assert response["Location"] == url("tenders:detail", "fr", pk=tenders["open"].pk)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_404_page(client: Client, language: str) -> None:
    response = client.get(f"/{language}/tenders/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert html.count("<h1") == 1
    if language == "en":
        assert "<title>Page not found · Pregón</title>" in html


def test_the_403_page(client: Client, buyer: Any) -> None:
    # A supplier user in the buyer workspace is refused by the workspace's permission check.
    client.force_login(factories.member(factories.SupplierFactory(), "supplier_user"))
    response = client.get(url("workspace:home"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Access refused" in html
    assert html.count("<h1") == 1


def test_the_500_page_stands_alone() -> None:
    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert html.count("<h1") == 1


def test_the_rate_limited_view_answers_429() -> None:
    request = RequestFactory().get("/en/")
    request.user = factories.UserFactory.build()
    response = rate_limited(request)
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
