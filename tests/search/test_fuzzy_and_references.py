"""References, misspelled words (the vocabulary), the ranking's tiers, and the bounded counts,
on whichever database the suite runs on (SQLite FTS5 or PostgreSQL full text)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pregon.search.backends import backend, base, postgresql, sqlite_fts5
from pregon.search.documents import document_from_release
from pregon.search.models import SearchCode, SearchDocument, SearchWord
from pregon.search.selectors import SearchQuery, search_run
from pregon.search.services import IndexEntry, search_documents_add, search_reindex
from tests.search.conftest import compiled_release

pytestmark = pytest.mark.django_db


def ocids(**kwargs: Any) -> list[str]:
    return [hit.document.ocid for hit in search_run(SearchQuery(**kwargs)).hits]


# ---------------------------------------------------------------------------------------------
# references


@pytest.mark.parametrize("typed", ["MIDH-GOB-2026-08", "midh gob 2026 08", " Midh/Gob/2026/08 "])
def test_a_reference_finds_its_tender_first(publish_record: Any, typed: str) -> None:
    publish_record(ocid="ocds-ref", title="Compra de insumos", reference="MIDH-GOB-2026-08")
    # Newer, and with every word of the reference in its title: still after the reference.
    publish_record(ocid="ocds-words", title="Informe MIDH GOB 2026 08", reference="X-1")
    publish_record(ocid="ocds-other", title="Compra de insumos", reference="MIDH-GOB-2026-09")
    results = search_run(SearchQuery(text=typed))
    assert [hit.document.ocid for hit in results.hits] == ["ocds-ref", "ocds-words"]
    assert results.total == 2
    assert results.fuzzy is False
    assert results.hits[0].score > results.hits[1].score
    assert SearchDocument.objects.get(ocid="ocds-ref").reference == "MIDH-GOB-2026-08"


def test_an_ocid_finds_its_process_within_the_filters(publish_record: Any) -> None:
    publish_record(ocid="ocds-abc-1", title="Compra", category="works")
    publish_record(ocid="ocds-abc-2", title="Compra")
    assert ocids(text="ocds-abc-1") == ["ocds-abc-1"]
    assert ocids(text="ocds-abc-1", category="works") == ["ocds-abc-1"]
    assert ocids(text="ocds-abc-1", category="goods") == []


def test_references_come_first_on_every_page(publish_record: Any) -> None:
    publish_record(ocid="ocds-r", title="Reparación", reference="LIC-7")
    for number in range(3):
        publish_record(ocid=f"ocds-w{number}", title="Informe lic 7")
    assert ocids(text="LIC-7", limit=2) == ["ocds-r", "ocds-w2"]
    assert ocids(text="LIC-7", limit=2, offset=2) == ["ocds-w1", "ocds-w0"]
    assert search_run(SearchQuery(text="LIC-7")).total == 4


# ---------------------------------------------------------------------------------------------
# misspelled words: the vocabulary of the titles and descriptions


def test_a_misspelled_word_finds_the_words_it_is_close_to(publish_record: Any) -> None:
    publish_record(ocid="ocds-pt", title="Suministros hospitalares para Manaus", language="pt")
    publish_record(ocid="ocds-es", title="Aseo", description="Limpieza del hospital regional")
    publish_record(ocid="ocds-no", title="Servicio de aseo", description="Oficinas centrales")
    results = search_run(SearchQuery(text="hopsital"))
    assert sorted(hit.document.ocid for hit in results.hits) == ["ocds-es", "ocds-pt"]
    assert results.fuzzy is True
    by_ocid = {hit.document.ocid: hit for hit in results.hits}
    assert "<mark>hospitalares</mark>" in by_ocid["ocds-pt"].title_html
    assert "<mark>hospital</mark>" in by_ocid["ocds-es"].snippet_html
    # Ranked: every (corrected) word in the title first.
    assert results.hits[0].document.ocid == "ocds-pt"


def test_each_word_is_corrected_on_its_own(publish_record: Any) -> None:
    publish_record(ocid="ocds-t", title="Construcción del hospital de Talca")
    publish_record(ocid="ocds-h", title="Hospital de Valdivia")
    assert ocids(text="hospital de talca") == ["ocds-t"]
    assert search_run(SearchQuery(text="hospital de talca")).fuzzy is False
    assert ocids(text="hospital talcca") == ["ocds-t"]
    assert ocids(text="hospitl valdivia") == ["ocds-h"]
    assert search_run(SearchQuery(text="hospital zzqxw")).total == 0


def test_corrections_are_the_nearest_words_of_the_vocabulary(publish_record: Any) -> None:
    publish_record(title="Hospital", description="Hospitales, hostal y capital; casa")
    corrections = backend().corrections(["hopsital", "zzqxw", "de", "2026"])
    # pg_trgm's word similarity: hospital 0.38, hostal and capital 0.33, hospitales 0.31.
    assert corrections[0] == ["hospital", "capital", "hostal", "hospitales"]
    assert corrections[1] == []
    # Too short, or not letters: kept as they are.
    assert corrections[2:] == [["de"], ["2026"]]


def test_the_vocabulary_holds_each_word_once_per_language(publish_record: Any) -> None:
    publish_record(ocid="ocds-1", title="Hospital de Talca", language="es")
    publish_record(ocid="ocds-2", title="Hospital regional 2026", language="es")
    publish_record(ocid="ocds-3", title="Hospital", language="pt")
    vocabulary = set(SearchWord.objects.values_list("language", "word"))
    assert vocabulary == {
        ("es", "hospital"),
        ("es", "talca"),
        ("es", "regional"),
        ("es", "ministerio"),
        ("es", "salud"),
        ("pt", "hospital"),
        ("pt", "ministerio"),
        ("pt", "salud"),
    }
    search_reindex()
    assert set(SearchWord.objects.values_list("language", "word")) == vocabulary


# ---------------------------------------------------------------------------------------------
# ranking, pages and orders


def test_title_matches_come_first_then_the_newest(publish_record: Any) -> None:
    publish_record(ocid="ocds-t1", title="Hospital de Talca")
    publish_record(ocid="ocds-b1", title="Obra", description="Para el hospital")
    publish_record(ocid="ocds-t2", title="Hospital de Osorno")
    publish_record(ocid="ocds-b2", title="Aseo", description="Del hospital")
    assert ocids(text="hospital") == ["ocds-t2", "ocds-t1", "ocds-b2", "ocds-b1"]
    pages = [ocids(text="hospital", limit=3, offset=offset) for offset in (0, 3)]
    assert pages == [["ocds-t2", "ocds-t1", "ocds-b2"], ["ocds-b1"]]
    assert ocids(text="hospital", limit=1, offset=2) == ["ocds-b2"]
    scores = [hit.score for hit in search_run(SearchQuery(text="hospital")).hits]
    assert scores == [base.TITLE_SCORE] * 2 + [base.BODY_SCORE] * 2


def test_words_in_another_order_than_relevance(publish_record: Any) -> None:
    for number, closing in enumerate(["2026-07-01", "2026-05-01", "2026-06-01"]):
        publish_record(
            ocid=f"ocds-{number}", title="Hospital", closing=f"{closing}T00:00:00Z", amount=number
        )
    publish_record(ocid="ocds-x", title="Escuela", closing="2026-01-01T00:00:00Z")
    assert ocids(text="hospital", order="closing") == ["ocds-1", "ocds-2", "ocds-0"]
    assert ocids(text="hospital", order="value") == ["ocds-2", "ocds-1", "ocds-0"]
    assert ocids(text="hospital", order="closing", offset=1, limit=1) == ["ocds-2"]


def test_words_with_punctuation_are_plain_words(publish_record: Any) -> None:
    publish_record(ocid="ocds-u", title="Equipo foo_bar")
    assert ocids(text="foo_bar") == ["ocds-u"]
    assert ocids(text="bar‿foo") == ["ocds-u"]


# ---------------------------------------------------------------------------------------------
# counts and facets stop at a bound


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (base, sqlite_fts5, postgresql):
        monkeypatch.setattr(module, "COUNT_LIMIT", 3)
        monkeypatch.setattr(module, "FACET_SAMPLE", 2)
    from pregon.search import selectors  # noqa: PLC0415 (the module whose constant is patched)

    monkeypatch.setattr(selectors, "FACET_SAMPLE", 2)


@pytest.mark.parametrize("words", ["hospital", ""])
def test_counts_stop_at_the_limit_and_facets_count_the_newest(
    publish_record: Any, small_limits: None, words: str
) -> None:
    for number in range(5):
        publish_record(
            ocid=f"ocds-{number}", title="Hospital", category=["goods", "works"][number % 2]
        )
    results = search_run(SearchQuery(text=words, country="CL", limit=2))
    assert (results.total, results.total_exact) == (3, False)
    assert len(results.hits) == 2
    assert results.facets_counted == 2
    # The two most recently indexed: ocds-4 (goods) and ocds-3 (works).
    assert sorted((f.value, f.count) for f in results.facets["category"]) == [
        ("goods", 1),
        ("works", 1),
    ]
    exact = search_run(SearchQuery(text=words, category="works"))
    assert (exact.total, exact.total_exact, exact.facets_counted) == (2, True, 2)
    assert [(f.value, f.count) for f in exact.facets["category"]] == [("works", 2)]


def test_a_bulk_load_indexes_like_publishing() -> None:
    releases = [
        compiled_release(
            ocid=f"ocds-bulk-{number}",
            title=f"Adquisición de jeringas {number}",
            items=[("Jeringas", "CPV", "33141310")],
        )
        for number in range(3)
    ]
    entries = [
        IndexEntry(data=data, last_seq=number, date=timezone.now() - dt.timedelta(days=number))
        for number, release in enumerate(releases)
        if (data := document_from_release(release)) is not None
    ]
    documents = search_documents_add(entries)
    assert len(documents) == 3
    assert SearchCode.objects.filter(document=documents[0], prefix="3314").exists()
    assert sorted(ocids(text="jeringa", classification="33140000")) == [
        "ocds-bulk-0",
        "ocds-bulk-1",
        "ocds-bulk-2",
    ]
    assert ocids(text="jerignas")[:1] == ["ocds-bulk-2"]


def test_the_api_says_whether_the_count_is_exact(
    client: Client, publish_record: Any, small_limits: None
) -> None:
    for number in range(4):
        publish_record(ocid=f"ocds-{number}", title="Hospital", reference=f"REF-{number}")
    body = client.get("/api/v1/search", {"q": "hospital"}).json()
    assert (body["count"], body["count_exact"], body["facets_counted"]) == (3, False, 2)
    body = client.get("/api/v1/search", {"q": "ref 2"}).json()
    assert [item["ocid"] for item in body["items"]] == ["ocds-2"]
    assert (body["count"], body["count_exact"], body["fuzzy"]) == (1, True, False)


def test_the_portal_says_more_than_the_count(
    client: Client, publish_record: Any, small_limits: None
) -> None:
    for number in range(4):
        publish_record(ocid=f"ocds-{number}", title="Hospital")
    html = client.get("/en/tenders/", {"q": "hospital"}).content.decode()
    assert "More than 3 tenders found" in html
    html = client.get("/en/tenders/", {"q": "hospital", "language": "es"}).content.decode()
    assert "More than 3 tenders found" in html
    publish_record(ocid="ocds-one", title="Escuela")
    assert "1 tender found" in client.get("/en/tenders/", {"q": "escuela"}).content.decode()
