"""Public pages kept whole for visitors who are not signed in (core/page_cache.py, ADR 0021).

A second visit to the list, a search, a tender page or the home page is answered from the
`pages` cache without a query, until something is published (the next visit renders it again)
or the page's next deadline passes. Signed-in people, visitors with a session and anything
but a plain 200 are never served from it or kept in it.
"""

from __future__ import annotations

import datetime as dt
import gzip
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from pregon.core import clock
from pregon.core.actor import Actor
from pregon.tenders import services
from pregon.tenders.models import Tender
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "X-Page-Cache"


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def public_pages(tender: Tender) -> dict[str, str]:
    return {
        "list": url("tenders:list") + "?status=active&country=CL",
        "search": url("tenders:list", "es") + "?q=computadores",
        "tender": url("tenders:detail", "pt-br", pk=tender.pk),
        "home": url("web:home", "fr"),
    }


@pytest.fixture
def tender(buyer: Any) -> Tender:
    return factories.TenderOpenFactory(buyer=buyer, title="Computadores portátiles")


def test_each_public_page_is_kept_whole_and_served_again_without_a_query(
    client: Client, tender: Tender, django_assert_num_queries: Any
) -> None:
    for name, address in public_pages(tender).items():
        first = client.get(address)
        assert first.status_code == 200, name
        assert first[HEADER] == "miss", name
        with django_assert_num_queries(0):
            again = client.get(address)
        assert again[HEADER] == "hit", name
        assert again.content == first.content, name
        assert again["Content-Type"] == first["Content-Type"], name
        # What the middleware adds to every answer, it adds to a kept one too.
        assert again["Content-Security-Policy"] == first["Content-Security-Policy"], name
        assert again["Content-Language"] == first["Content-Language"], name
        assert again["X-Frame-Options"] == "DENY", name


def test_a_public_page_holds_no_csrf_token_and_sets_no_cookie(
    client: Client, tender: Tender
) -> None:
    """What makes it the same for every visitor: the language switcher has no token (its view
    is exempt), so no anonymous page does."""
    for name, address in public_pages(tender).items():
        response = client.get(address)
        assert "csrfmiddlewaretoken" not in response.content.decode(), name
        assert not response.cookies, name


def test_the_language_switcher_works_without_a_token() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/en/tenders/?q=agua"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/tenders/?q=agua"
    # A `next` elsewhere is not followed.
    elsewhere = client.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.test/"})
    assert elsewhere["Location"] == "/"


def test_each_language_and_query_is_a_page_of_its_own(client: Client, tender: Tender) -> None:
    spanish = client.get(url("tenders:list", "es"))
    english = client.get(url("tenders:list", "en"))
    assert (spanish[HEADER], english[HEADER]) == ("miss", "miss")
    assert 'lang="es"' in spanish.content.decode()
    assert 'lang="en"' in english.content.decode()
    assert client.get(url("tenders:list", "es") + "?q=agua")[HEADER] == "miss"
    # The results alone, as HTMX asks for them, are not the whole page.
    partial = client.get(url("tenders:list", "es"), headers={"HX-Request": "true"})
    assert partial[HEADER] == "miss"
    assert "<html" not in partial.content.decode()
    assert client.get(url("tenders:list", "es"))[HEADER] == "hit"


def test_a_signed_in_person_gets_the_page_rendered_for_them(
    client: Client, tender: Tender, supplier_user: Any
) -> None:
    address = url("tenders:detail", pk=tender.pk)
    assert client.get(address)[HEADER] == "miss"
    client.force_login(supplier_user)
    for _visit in range(2):
        response = client.get(address)
        assert response[HEADER] == "pass"
        assert "Sign out" in response.content.decode()


def test_a_visitor_with_a_session_or_messages_is_not_served_from_the_cache(
    client: Client, tender: Tender
) -> None:
    address = url("web:home")
    client.get(address)
    client.cookies["sessionid"] = "anything"
    assert client.get(address)[HEADER] == "pass"
    del client.cookies["sessionid"]
    client.cookies["messages"] = "anything"
    assert client.get(address)[HEADER] == "pass"


def test_a_publication_shows_at_once_on_every_kept_list_and_home_page(
    client: Client, buyer: Any, tender: Tender, django_capture_on_commit_callbacks: Any
) -> None:
    listing, home = url("tenders:list", "es"), url("web:home", "es")
    for address in (listing, home):
        client.get(address)
        assert client.get(address)[HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        factories.TenderOpenFactory(buyer=buyer, title="Sillas para escuelas rurales")
    for address in (listing, home):
        response = client.get(address)
        assert response[HEADER] == "miss", address
        assert "Sillas para escuelas rurales" in response.content.decode(), address


def test_a_tender_s_publication_renders_its_own_page_again_not_the_others(
    client: Client,
    buyer: Any,
    tender: Tender,
    official_actor: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    other = factories.TenderOpenFactory(buyer=buyer, title="Mesas")
    own, others = url("tenders:detail", pk=tender.pk), url("tenders:detail", pk=other.pk)
    for address in (own, others):
        client.get(address)
    with django_capture_on_commit_callbacks(execute=True):
        services.tender_cancel(
            actor=official_actor,
            tender=tender,
            reason="El presupuesto fue reasignado por ley.",
        )
    response = client.get(own)
    assert response[HEADER] == "miss"
    assert "El presupuesto fue reasignado por ley." in response.content.decode()
    assert client.get(others)[HEADER] == "hit"


def test_a_page_rendered_inside_the_publishing_transaction_is_not_kept_past_it(
    client: Client, buyer: Any, tender: Tender
) -> None:
    """The generation moves at once, and again at the commit: what was rendered before the
    commit (which could not see the change) is not served after it."""
    address = url("tenders:list", "es")
    client.get(address)
    factories.TenderOpenFactory(buyer=buyer, title="Bancos")  # not committed in this test
    assert client.get(address)[HEADER] == "miss"


def test_a_tender_page_is_not_kept_past_its_next_deadline(client: Client, buyer: Any) -> None:
    tender = factories.TenderOpenFactory(buyer=buyer)
    address = url("tenders:detail", pk=tender.pk)
    before = tender.enquiry_end - dt.timedelta(minutes=1)
    with clock.at(before):
        assert client.get(address)[HEADER] == "miss"
        assert client.get(address)[HEADER] == "hit"
    with clock.at(tender.enquiry_end + dt.timedelta(seconds=1)):
        assert client.get(address)[HEADER] == "miss"


def test_pages_that_are_not_a_plain_answer_are_not_kept(client: Client, buyer: Any) -> None:
    draft = factories.TenderDraftFactory(buyer=buyer)
    missing = url("tenders:detail", pk=draft.pk)
    for _visit in range(2):
        response = client.get(missing)
        assert response.status_code == 404
        assert HEADER not in response
    # A refused filter is a page like any other: the form says what is wrong, in 200.
    refused = client.get(url("tenders:list") + "?value_min=abc")
    assert refused.status_code == 200


def test_the_cache_can_be_turned_off(client: Client, tender: Tender, settings: Any) -> None:
    settings.PREGON_PAGE_CACHE_SECONDS = 0
    address = url("web:home")
    assert [client.get(address)[HEADER] for _visit in range(2)] == ["pass", "pass"]


def test_the_tender_page_s_moment_is_read_on_the_platform_s_clock(
    client: Client, buyer: Any
) -> None:
    """A page kept while the demo or a test moves the platform's clock is not shown once its
    moment has passed on that clock, whatever the cache's own expiry."""
    tender = factories.TenderOpenFactory(buyer=buyer)
    address = url("tenders:detail", pk=tender.pk)
    assert client.get(address)[HEADER] == "miss"
    with clock.at(timezone.now() + dt.timedelta(days=60)):
        assert client.get(address)[HEADER] != "hit"


def test_a_kept_page_goes_out_as_a_rendered_one_would_compressed_or_not(
    client: Client, tender: Tender
) -> None:
    """Kept compressed, so a hit is not compressed again; a visitor who takes no gzip gets it
    plain. Either way it varies as a rendered page does (by cookie and by encoding)."""
    address = url("tenders:detail", pk=tender.pk)
    rendered = client.get(address)
    plain = client.get(address)
    compressed = client.get(address, headers={"Accept-Encoding": "gzip, br"})
    assert (plain[HEADER], compressed[HEADER]) == ("hit", "hit")
    assert plain.content == rendered.content
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == rendered.content
    assert int(compressed["Content-Length"]) == len(compressed.content)
    vary = {value.strip() for value in rendered["Vary"].split(",")}
    assert {"Cookie", "Accept-Encoding"} <= vary
    for kept in (plain, compressed):
        assert {value.strip() for value in kept["Vary"].split(",")} == vary


def test_pages_are_rendered_when_the_cache_cannot_be_reached(
    client: Client,
    tender: Tender,
    settings: Any,
    official_actor: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A help, not a dependency: with its Redis down the pages render, and publishing works."""
    settings.CACHES = settings.CACHES | {
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    address = url("tenders:detail", pk=tender.pk)
    for _visit in range(2):
        response = client.get(address)
        assert (response.status_code, response[HEADER]) == (200, "pass")
    with django_capture_on_commit_callbacks(execute=True):
        services.tender_cancel(
            actor=official_actor, tender=tender, reason="El presupuesto fue reasignado por ley."
        )
    assert "El presupuesto fue reasignado por ley." in client.get(address).content.decode()
