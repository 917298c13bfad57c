"""The public pages run as many SQL queries with 30 tenders as with 3 (no query per row).

Each page is asked for once the database holds 3 published tenders (of 3 buyers, one with two
lots) and again once it holds 30 (of 10 buyers): the second visit must take exactly the
queries of the first. The pages kept whole (core/page_cache.py) and the home page's
opportunities are cached; the caches are emptied before each measured visit, so both visits
render the page.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from pregon.tenders.models import Item, Lot
from tests import factories

pytestmark = pytest.mark.django_db

LIST = "?status=active&category=goods&country=CL"
SEARCH = "?q=computadores"


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def pages(tender: Any) -> dict[str, str]:
    """The address of each page measured."""
    return {
        "list": url("tenders:list") + LIST,
        "search": url("tenders:list") + SEARCH,
        "tender": url("tenders:detail", pk=tender.pk),
        "home": url("web:home"),
    }


def shown(tender: Any, html: str) -> bool:
    """Whether a list shows the tender (by its reference: the search highlights titles)."""
    return f">{tender.reference}<" in html


def queries_of(client: Client, address: str) -> tuple[int, str]:
    """How many queries a visit to `address` takes, and the page (the site's cache emptied
    first). An unmeasured visit comes before: what a process keeps once it has asked (the
    stems of a query's words on PostgreSQL) is not the data's doing."""
    client.get(address)
    for alias in ("default", "pages"):
        caches[alias].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(captured.captured_queries), response.content.decode()


def test_each_page_takes_the_same_queries_with_ten_times_the_tenders(client: Client) -> None:
    buyers = [factories.BuyerFactory() for _ in range(10)]
    first: list[Any] = [factories.TenderOpenFactory(buyer=buyer) for buyer in buyers[:3]]
    # A tender with two lots of two items: its page reads them without a query per lot.
    two_lots: Any = first[0]
    lot = Lot.objects.create(tender=two_lots, number=2, title="Monitores")
    for description in ("Monitor de 24 pulgadas", "Monitor de 27 pulgadas"):
        Item.objects.create(
            lot=lot,
            description=description,
            classification_scheme="CPV",
            classification_code="30231300-0",
            quantity=5,
            unit="unidad",
        )
    small = {name: queries_of(client, address) for name, address in pages(two_lots).items()}
    for html in (small["list"][1], small["search"][1], small["home"][1]):
        assert all(shown(tender, html) for tender in first)

    more: list[Any] = [factories.TenderOpenFactory(buyer=buyers[n % 10]) for n in range(27)]
    large = {name: queries_of(client, address) for name, address in pages(two_lots).items()}

    assert {name: count for name, (count, _html) in large.items()} == {
        name: count for name, (count, _html) in small.items()
    }
    # The pages did show the larger world: 20 results a page, the eight closing soonest.
    for name in ("list", "search"):
        assert "30 tenders found" in large[name][1], name
        assert sum(shown(tender, large[name][1]) for tender in first + more) == 20, name
    assert sum(shown(tender, large["home"][1]) for tender in first + more) == 8
    assert "Monitor de 27 pulgadas" in large["tender"][1]


def test_a_publication_shows_on_the_cached_home_page_at_once(
    client: Client, buyer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    factories.TenderOpenFactory(buyer=buyer, title="Primera licitación")
    assert "Primera licitación" in client.get(url("web:home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        factories.TenderOpenFactory(buyer=buyer, title="Segunda licitación")
    html = client.get(url("web:home")).content.decode()
    assert "Segunda licitación" in html


def test_the_home_page_reads_its_opportunities_once_while_cached(
    client: Client, buyer: Any, django_assert_num_queries: Any
) -> None:
    """Not signed in, the page is kept whole: a second visit takes no query. Signed in, it is
    rendered for the person, and its opportunities are read once."""
    factories.TenderOpenFactory(buyer=buyer, title="Primera licitación")
    first, _html = queries_of(client, url("web:home"))
    assert first >= 1
    with django_assert_num_queries(0):
        html = client.get(url("web:home")).content.decode()
    assert "Primera licitación" in html

    client.force_login(factories.UserFactory())
    signed_in, _html = queries_of(client, url("web:home"))
    with django_assert_num_queries(signed_in - 1):
        html = client.get(url("web:home")).content.decode()
    assert "Primera licitación" in html
