"""The portal's search (the public tender list, the home page's box) and saved searches:
the pages and `/api/v1/searches/saved`."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from pregon.core.actor import Actor
from pregon.organizations.services import api_key_issue
from pregon.search.models import SavedSearch
from pregon.search.services import saved_search_create
from tests import factories

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def tenders(buyer: Any) -> dict[str, Any]:
    return {
        "hospital": factories.TenderOpenFactory(
            buyer=buyer, title="Construcción del hospital <regional>", category="works"
        ),
        "computers": factories.TenderOpenFactory(buyer=buyer, title="Computadores portátiles"),
    }


def test_the_home_page_search_box_submits_to_the_search(client: Client) -> None:
    html = client.get("/en/").content.decode()
    assert 'action="/en/tenders/"' in html
    assert '<input class="usa-input" id="home-search" type="search" name="q"' in html


def test_stemmed_words_are_highlighted_and_escaped(client: Client, tenders: Any) -> None:
    response = client.get(url("tenders:list"), {"q": "hospitales"})
    assert [row.tender for row in response.context["page"].object_list] == [tenders["hospital"]]
    html = response.content.decode()
    assert "Construcción del <mark>hospital</mark> &lt;regional&gt;" in html
    assert "<regional>" not in html
    assert response.context["form"]["order"].value() is None  # relevance: words given


def test_a_misspelled_word_finds_the_title_it_looks_like(client: Client, tenders: Any) -> None:
    response = client.get(url("tenders:list"), {"q": "hopsital"})
    assert [row.tender for row in response.context["page"].object_list] == [tenders["hospital"]]
    assert "these have words that look like them" in response.content.decode()


def test_facet_selects_show_the_counts_and_filter(client: Client, tenders: Any) -> None:
    html = client.get(url("tenders:list")).content.decode()
    assert '<option value="goods">Goods (1)</option>' in html
    assert '<option value="works">Works (1)</option>' in html
    assert '<option value="active">Open for bids (2)</option>' in html
    response = client.get(url("tenders:list"), {"category": "works"})
    assert [row.tender for row in response.context["page"].object_list] == [tenders["hospital"]]
    html = response.content.decode()
    assert '<option value="works" selected>Works (1)</option>' in html
    assert "Goods (" not in html
    # The words box keeps the facet: a new search stays within it.
    assert '<input type="hidden" name="category" value="works">' in html


def test_the_closed_status_counts_apart_from_the_open(client: Client, buyer: Any) -> None:
    factories.TenderOpenFactory(buyer=buyer)
    factories.TenderClosedFactory(buyer=buyer)
    html = client.get(url("tenders:list")).content.decode()
    assert '<option value="active">Open for bids (1)</option>' in html
    assert '<option value="closed">Closed (deadline passed) (1)</option>' in html


# ---------------------------------------------------------------------------------------------
# saved searches: the pages


def test_anonymous_visitors_are_asked_to_sign_in_to_save(client: Client, tenders: Any) -> None:
    html = client.get(url("tenders:list"), {"q": "hospital"}).content.decode()
    assert "Sign in to save this search." in html
    assert 'action="/en/searches/save/"' not in html
    response = client.post(url("web:saved_search_save"), {"name": "x", "query": "q=x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    assert not SavedSearch.objects.exists()
    assert client.get(url("web:saved_searches")).status_code == 302


def test_save_list_run_and_delete_a_search(client: Client, tenders: Any) -> None:
    user = factories.UserFactory()
    client.force_login(user)
    html = client.get(url("tenders:list"), {"q": "hospital", "category": "works", "page": "1"})
    assert '<input type="hidden" name="query" value="q=hospital&amp;category=works">' in (
        html.content.decode()
    )
    response = client.post(
        url("web:saved_search_save"), {"name": "Obras", "query": "q=hospital&category=works"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/searches/"
    saved = SavedSearch.objects.get()
    assert (saved.owner, saved.name, saved.query) == (user, "Obras", "q=hospital&category=works")
    html = client.get(url("web:saved_searches")).content.decode()
    assert "Search saved as “Obras”." in html
    assert (
        '<a class="usa-link text-bold" href="/en/tenders/?q=hospital&amp;category=works">' in html
    )
    ran = client.get("/en/tenders/?q=hospital&category=works")
    assert [row.tender for row in ran.context["page"].object_list] == [tenders["hospital"]]
    # A second search of the same name is refused with the reason, back on the results.
    response = client.post(
        url("web:saved_search_save"), {"name": "Obras", "query": "q=hospital"}, follow=True
    )
    assert "You already have a saved search named “Obras”." in response.content.decode()
    assert SavedSearch.objects.count() == 1
    response = client.post(url("web:saved_search_delete", pk=saved.pk))
    assert response.status_code == 302
    assert not SavedSearch.objects.exists()


def test_only_the_owner_sees_and_deletes_a_saved_search(client: Client) -> None:
    owner, other = factories.UserFactory(), factories.UserFactory()
    saved = saved_search_create(owner=owner, name="Mi búsqueda", query="q=agua")
    client.force_login(other)
    assert "Mi búsqueda" not in client.get(url("web:saved_searches")).content.decode()
    assert client.post(url("web:saved_search_delete", pk=saved.pk)).status_code == 404
    assert client.get(url("web:saved_search_delete", pk=saved.pk)).status_code == 405
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_deleting_needs_the_csrf_token(owner_client: Any) -> None:
    client, saved = owner_client
    client = Client(enforce_csrf_checks=True)
    client.force_login(saved.owner)
    assert client.post(url("web:saved_search_delete", pk=saved.pk)).status_code == 403
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


@pytest.fixture
def owner_client(client: Client) -> tuple[Client, SavedSearch]:
    owner = factories.UserFactory()
    client.force_login(owner)
    return client, saved_search_create(owner=owner, name="Agua", query="q=agua")


# ---------------------------------------------------------------------------------------------
# saved searches: the API


def test_the_api_lists_creates_and_deletes_one_s_own(client: Client) -> None:
    owner, other = factories.UserFactory(), factories.UserFactory()
    saved_search_create(owner=other, name="Ajena", query="q=x")
    client.force_login(owner)
    response = client.post(
        "/api/v1/searches/saved",
        {"name": "Hospitales", "query": "q=hospital&country=CL"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["name"], created["query"]) == ("Hospitales", "q=hospital&country=CL")
    listed = client.get("/api/v1/searches/saved").json()
    assert [entry["name"] for entry in listed] == ["Hospitales"]
    duplicate = client.post(
        "/api/v1/searches/saved",
        {"name": "Hospitales", "query": ""},
        content_type="application/json",
    )
    assert duplicate.status_code == 422
    foreign = SavedSearch.objects.get(name="Ajena")
    assert client.delete(f"/api/v1/searches/saved/{foreign.pk}").status_code == 404
    assert client.delete(f"/api/v1/searches/saved/{created['id']}").status_code == 204
    assert list(SavedSearch.objects.values_list("name", flat=True)) == ["Ajena"]


def test_the_api_refuses_anonymous_callers_and_organization_keys(
    client: Client, buyer: Any
) -> None:
    message = "Saved searches belong to a person: sign in to keep them."
    response = client.get("/api/v1/searches/saved")
    assert (response.status_code, response.json()["detail"]) == (401, message)
    official = factories.member(buyer, "buyer_official")
    _, token = api_key_issue(
        actor=Actor(user=official, organization=buyer),
        organization=buyer,
        name="Integración",
        scopes=["tenders:read"],
    )
    response = client.get("/api/v1/searches/saved", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (response.status_code, response.json()["detail"]) == (401, message)


def test_a_person_of_several_organizations_needs_no_organization_header(
    client: Client, buyer: Any, supplier: Any
) -> None:
    person = factories.member(buyer, "buyer_official")
    factories.member(supplier, "supplier_user", email="otra@example.org").delete()
    supplier.memberships.create(user=person, role="supplier_user")
    client.force_login(person)
    assert client.get("/api/v1/searches/saved").json() == []


def test_the_api_session_write_needs_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(factories.UserFactory())
    response = client.post("/api/v1/searches/saved", {"name": "x"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert not SavedSearch.objects.exists()
