"""The PostgreSQL back end's own ways (skipped on SQLite): its two ways of reading the matches
answer the same, and the migration writes the vectors as the back end does."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import connection

from pregon.search.backends import postgresql
from pregon.search.backends.base import BODY_SCORE, TITLE_SCORE
from pregon.search.selectors import SearchQuery, search_run

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's back end"),
]


def answer(**kwargs: Any) -> tuple[list[str], list[float], int, bool, int]:
    results = search_run(SearchQuery(**kwargs))
    return (
        [hit.document.ocid for hit in results.hits],
        [hit.score for hit in results.hits],
        results.total,
        results.total_exact,
        results.facets_counted,
    )


@pytest.fixture
def hospitals(publish_record: Any) -> None:
    """Nine processes with "hospital": in the title of four, only in the description of five,
    interleaved, two of them in Peru."""
    for number in range(1, 10):
        in_title = number % 2 == 0
        publish_record(
            ocid=f"ocds-h{number}",
            title="Hospital regional" if in_title else "Obra civil",
            description="Obra" if in_title else "Ampliación del hospital",
            country="Perú" if number in (3, 4) else "Chile",
        )
    publish_record(ocid="ocds-other", title="Servicio de aseo")


@pytest.mark.parametrize(
    "query",
    [
        {"text": "hospital"},
        {"text": "hospital", "offset": 2, "limit": 2},
        {"text": "hospital", "offset": 3, "limit": 3},
        {"text": "hospital", "offset": 6, "limit": 2},
        {"text": "hospital", "offset": 8, "limit": 5},
        {"text": "hospital", "country": "PE"},
        {"text": "hospital", "order": "closing", "limit": 3},
        {"country": "CL", "order": "newest", "offset": 1, "limit": 4},
    ],
)
def test_reading_every_match_and_walking_from_the_newest_answer_the_same(
    hospitals: None, monkeypatch: pytest.MonkeyPatch, query: dict[str, Any]
) -> None:
    # A sample of 3: the newest matches read hold only part of a page's title matches.
    monkeypatch.setattr(postgresql, "FACET_SAMPLE", 3)
    every_match = answer(**query)
    # Never "few" matches: the id index is walked from the newest.
    monkeypatch.setattr(postgresql, "few_limit", lambda documents: 0)
    assert answer(**query) == every_match


def test_title_matches_come_first_newest_first_when_walking(
    hospitals: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgresql, "FACET_SAMPLE", 3)
    monkeypatch.setattr(postgresql, "few_limit", lambda documents: 0)
    ocids, scores, total, exact, counted = answer(text="hospital")
    assert ocids == [f"ocds-h{n}" for n in (8, 6, 4, 2, 9, 7, 5, 3, 1)]
    assert scores == [TITLE_SCORE] * 4 + [BODY_SCORE] * 5
    assert (total, exact, counted) == (9, True, 3)


def test_the_migration_writes_the_vectors_as_the_back_end_does(hospitals: None) -> None:
    migration = importlib.import_module("pregon.search.migrations.0005_postgresql_facet_lexemes")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, vector::text FROM search_searchdocument ORDER BY id")
        indexed = cursor.fetchall()
        cursor.execute(
            "SELECT id, (" + migration.VECTOR_SQL + ")::text FROM search_searchdocument AS d"
            " ORDER BY id"
        )
        assert cursor.fetchall() == indexed
    assert "'zc434c'" in indexed[0][1]  # the facet tokens (country CL) are lexemes


def test_a_stop_word_alone_finds_nothing_and_is_left_out_beside_others(
    publish_record: Any,
) -> None:
    publish_record(ocid="ocds-a", title="Hospital de Talca")
    assert answer(text="de")[0] == []
    assert answer(text="hospital de")[0] == ["ocds-a"]


@pytest.mark.usefixtures("hospitals")
@pytest.mark.parametrize("order", ["relevance", "newest"])
def test_an_offset_at_the_top_of_the_apis_range_finds_nothing(order: str) -> None:
    # The API takes offsets up to 2**63 - 1; with the limit added they pass PostgreSQL's bigint.
    ocids, _scores, total, _exact, _counted = answer(
        text="hospital", order=order, offset=2**63 - 2, limit=20
    )
    assert ocids == []
    assert total == 9
