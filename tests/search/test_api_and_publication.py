"""`/api/v1/search`, the index kept by publication, and saved searches (owner only)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pregon.core.errors import NotFound, ValidationFailed
from pregon.search.models import SavedSearch, SearchDocument
from pregon.search.selectors import saved_searches_of
from pregon.search.services import saved_search_create, saved_search_delete
from tests.factories import TenderCancelledFactory, TenderOpenFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_api_searches_with_the_same_filters(client: Client, publish_record: Any) -> None:
    publish_record(
        ocid="ocds-a", title="Hospital <b>de</b> Talca", items=[("x", "CPV", "45210000")]
    )
    publish_record(ocid="ocds-b", title="Hospital de Lima", country="Perú", region="Lima")
    response = client.get("/api/v1/search", {"q": "hospitales", "country": "cl"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["fuzzy"] is False
    assert [item["ocid"] for item in body["items"]] == ["ocds-a"]
    assert body["items"][0]["title_html"] == "<mark>Hospital</mark> &lt;b&gt;de&lt;/b&gt; Talca"
    assert body["facets"]["classification"] == [{"value": "45000000", "count": 1, "label": "CPV"}]
    response = client.get("/api/v1/search", {"classification": "45000000", "limit": 1})
    assert [item["ocid"] for item in response.json()["items"]] == ["ocds-a"]


def test_the_api_refuses_bad_filters(client: Client) -> None:
    assert client.get("/api/v1/search", {"order": "random"}).status_code == 422
    assert client.get("/api/v1/search", {"limit": 1000}).status_code == 422


def test_the_api_reads_closing_moments_in_utc(client: Client, publish_record: Any) -> None:
    publish_record(ocid="ocds-a", title="Hospital de Talca")
    # An offset PostgreSQL does not take, and moments beyond year 9999 once in UTC.
    far_offset = client.get("/api/v1/search", {"closing_after": "2000-01-01T00:00:00-21:29"})
    beyond = client.get("/api/v1/search", {"closing_before": "9999-12-31T23:59:59-12:00"})
    before_one = client.get("/api/v1/search", {"closing_after": "0001-01-01T00:00:00+14:00"})

    assert far_offset.status_code == 200
    assert (beyond.status_code, before_one.status_code) == (422, 422)


def test_publishing_and_cancelling_a_tender_updates_the_index() -> None:
    tender = TenderOpenFactory(title="Reparación del hospital de Osorno")
    document = SearchDocument.objects.get(ocid=tender.ocid)
    assert (document.status, document.language, document.country) == ("active", "es", "CL")
    cancelled = TenderCancelledFactory(title="Ambulancias")
    assert SearchDocument.objects.get(ocid=cancelled.ocid).status == "cancelled"


def test_saved_searches_belong_to_their_owner() -> None:
    owner, other = UserFactory(), UserFactory()
    saved = saved_search_create(owner=owner, name=" Hospitales ", query="?q=hospital&country=CL")
    assert (saved.name, saved.query) == ("Hospitales", "q=hospital&country=CL")
    with pytest.raises(ValidationFailed):
        saved_search_create(owner=owner, name="Hospitales", query="q=x")
    with pytest.raises(ValidationFailed):
        saved_search_create(owner=owner, name="  ", query="q=x")
    assert list(saved_searches_of(owner_id=other.pk)) == []
    with pytest.raises(NotFound):
        saved_search_delete(owner=other, pk=saved.pk)
    assert SavedSearch.objects.filter(pk=saved.pk).exists()
    saved_search_delete(owner=owner, pk=saved.pk)
    assert not SavedSearch.objects.exists()
