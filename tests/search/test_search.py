"""The search on whichever database the suite runs on (SQLite FTS5 or PostgreSQL full text)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from pregon.search.models import SearchDocument
from pregon.search.selectors import SearchQuery, search_run
from pregon.search.services import search_reindex

pytestmark = pytest.mark.django_db


def ocids(**kwargs: Any) -> list[str]:
    return [hit.document.ocid for hit in search_run(SearchQuery(**kwargs)).hits]


def test_the_back_end_is_the_databases() -> None:
    from pregon.search.backends import backend  # noqa: PLC0415 (the test names the vendor)

    assert backend().vendor == connection.vendor


@pytest.mark.parametrize(
    ("language", "indexed", "query"),
    [
        ("es", "Construcción de un hospital regional", "hospitales"),
        ("es", "Compra de computadores portátiles", "computador"),
        ("pt", "Construção de escola municipal", "construcao"),
        ("pt", "Aquisição de medicamentos", "medicamento"),
        ("fr", "Rénovation des hôpitaux de la région", "hôpital"),
        ("fr", "Fourniture de véhicules électriques", "vehicule electrique"),
        ("en", "Supply of running shoes for the army", "run shoe"),
        ("en", "Repairing bridges", "bridge repairs"),
    ],
)
def test_each_language_stems_and_folds_accents(
    publish_record: Any, language: str, indexed: str, query: str
) -> None:
    publish_record(ocid="ocds-lang-1", title=indexed, language=language)
    publish_record(ocid="ocds-lang-2", title="Servicio de aseo", language="es")
    results = search_run(SearchQuery(text=query))
    assert [hit.document.ocid for hit in results.hits] == ["ocds-lang-1"]
    assert results.fuzzy is False


def test_descriptions_items_and_buyer_names_are_searched(publish_record: Any) -> None:
    publish_record(ocid="ocds-d", title="Obra", description="Pavimentación de calles")
    publish_record(
        ocid="ocds-i", title="Compra", items=[("Jeringas desechables", "CPV", "33141310")]
    )
    publish_record(ocid="ocds-b", title="Aseo", buyer=("CL-2", "Municipalidad de Valparaíso"))
    assert ocids(text="pavimentacion") == ["ocds-d"]
    assert ocids(text="jeringa") == ["ocds-i"]
    assert ocids(text="valparaiso") == ["ocds-b"]


def test_a_title_match_ranks_above_a_body_match(publish_record: Any) -> None:
    publish_record(ocid="ocds-body", title="Obra civil", description="Incluye un hospital")
    publish_record(ocid="ocds-title", title="Hospital de Talca", description="Obra civil")
    assert ocids(text="hospital") == ["ocds-title", "ocds-body"]


def test_a_misspelled_query_still_finds_the_tender(publish_record: Any) -> None:
    publish_record(ocid="ocds-h", title="Construcción del hospital de Talca")
    publish_record(ocid="ocds-o", title="Servicio de aseo")
    results = search_run(SearchQuery(text="hopsital"))
    assert [hit.document.ocid for hit in results.hits] == ["ocds-h"]
    assert results.fuzzy is True
    assert "<mark>hospital</mark>" in results.hits[0].title_html
    assert search_run(SearchQuery(text="zzqxw")).total == 0


def test_highlighting_escapes_html(publish_record: Any) -> None:
    publish_record(title='Hospital <script>alert("x")</script> & clínica')
    hit = search_run(SearchQuery(text="hospital")).hits[0]
    assert hit.title_html == (
        "<mark>Hospital</mark> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; clínica"
    )


def test_query_syntax_is_plain_words(publish_record: Any) -> None:
    publish_record(ocid="ocds-q", title="Hospital")
    # FTS5 and tsquery operators in the words are words, never syntax errors.
    assert ocids(text='hospital" OR * NEAR( ) : & | !') in (["ocds-q"], [])
    assert search_run(SearchQuery(text='" * ( :')).total == 0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"classification": "45000000"}, ["ocds-a"]),
        ({"classification": "45210000-2"}, ["ocds-a"]),
        ({"classification": "45230000"}, []),
        ({"classification": "33000000", "scheme": "CPV"}, ["ocds-b"]),
        ({"classification": "33000000", "scheme": "UNSPSC"}, []),
        ({"buyer": "CL-9"}, ["ocds-b"]),
        ({"country": "PE"}, ["ocds-b"]),
        ({"region": "Lima"}, ["ocds-b"]),
        ({"method": "selective"}, ["ocds-b"]),
        ({"category": "works"}, ["ocds-a"]),
        ({"status": "cancelled"}, ["ocds-b"]),
        ({"language": "fr"}, ["ocds-b"]),
        ({"value_min": Decimal(5000)}, ["ocds-b"]),
        ({"value_max": Decimal(5000)}, ["ocds-a"]),
        ({"reserved_msme": True}, []),
        ({"reserved_msme": False}, ["ocds-a", "ocds-b"]),
        ({"closing_after": dt.datetime(2026, 6, 1, tzinfo=dt.UTC)}, ["ocds-b"]),
        ({"closing_before": dt.datetime(2026, 6, 1, tzinfo=dt.UTC)}, ["ocds-a"]),
    ],
)
def test_each_facet_filters(
    publish_record: Any, filters: dict[str, Any], expected: list[str]
) -> None:
    publish_record(
        ocid="ocds-a",
        title="Edificio",
        category="works",
        items=[("Obra", "CPV", "45210000-2")],
        amount=1000,
        closing="2026-05-01T12:00:00Z",
    )
    publish_record(
        ocid="ocds-b",
        title="Bâtiment",
        language="fr",
        buyer=("CL-9", "Ministère"),
        country="Perú",
        region="Lima",
        method="selective",
        status="cancelled",
        items=[("Seringues", "CPV", "33141310")],
        amount=9000,
        closing="2026-07-01T12:00:00Z",
    )
    assert sorted(ocids(**filters)) == expected


def test_facet_counts_follow_the_filters(publish_record: Any) -> None:
    publish_record(ocid="ocds-1", title="Hospital", items=[("Obra", "CPV", "45210000")])
    publish_record(
        ocid="ocds-2", title="Hospital", category="works", items=[("x", "CPV", "45000000")]
    )
    publish_record(ocid="ocds-3", title="Escuela", category="works")
    facets = search_run(SearchQuery(text="hospital")).facets
    assert [(f.value, f.count) for f in facets["category"]] == [("goods", 1), ("works", 1)]
    assert [(f.value, f.count, f.label) for f in facets["classification"]] == [
        ("45000000", 2, "CPV")
    ]
    assert [(f.value, f.count, f.label) for f in facets["buyer"]] == [
        ("CL-RUT-1", 2, "Ministerio de Salud")
    ]
    assert [(f.value, f.count) for f in facets["country"]] == [("CL", 2)]


def test_pagination_and_orders(publish_record: Any) -> None:
    for number in range(5):
        publish_record(
            ocid=f"ocds-{number}",
            title="Hospital",
            amount=number,
            closing=f"2026-05-0{number + 1}T00:00:00Z",
        )
    assert ocids(order="closing", offset=1, limit=2) == ["ocds-1", "ocds-2"]
    assert ocids(order="value", limit=2) == ["ocds-4", "ocds-3"]
    assert search_run(SearchQuery(text="hospital", limit=2)).total == 5


def test_a_record_without_a_tender_leaves_the_index(publish_record: Any) -> None:
    publish_record(ocid="ocds-x", title="Hospital")
    publish_record(ocid="ocds-x", title="")
    assert not SearchDocument.objects.filter(ocid="ocds-x").exists()
    assert search_run(SearchQuery(text="hospital")).total == 0


def test_reindex_rebuilds_from_the_records(publish_record: Any) -> None:
    publish_record(ocid="ocds-r1", title="Hospital")
    publish_record(ocid="ocds-r2", title="Escuela")
    SearchDocument.objects.all().delete()
    assert search_run(SearchQuery(text="hospital")).total == 0
    out = StringIO()
    call_command("search", "reindex", stdout=out)
    assert out.getvalue().splitlines() == [
        "indexed 2/2 records",
        "reindexed: 2 records, 2 documents",
    ]
    assert ocids(text="hospital") == ["ocds-r1"]
    assert search_reindex().documents == 2
    assert ocids(text="escuela") == ["ocds-r2"]


def test_reindex_if_stale_runs_only_when_a_record_is_not_indexed_at_its_latest_release(
    publish_record: Any,
) -> None:
    publish_record(ocid="ocds-s1", title="Hospital")
    out = StringIO()
    call_command("search", "reindex", "--if-stale", stdout=out)
    assert out.getvalue() == "The search index is up to date: nothing to reindex.\n"

    # a restored database: the index holds an older release of the record
    SearchDocument.objects.filter(ocid="ocds-s1").update(last_seq=0)
    out = StringIO()
    call_command("search", "reindex", "--if-stale", stdout=out)
    assert out.getvalue().splitlines()[-1] == "reindexed: 1 records, 1 documents"
    assert ocids(text="hospital") == ["ocds-s1"]
