"""Reads of the search: one query with its facets, ranked, highlighted and paginated.

`search_run` is what the API and the portal pages call, so they answer the same. The words and
the filters go to the database's back end (`backends/`), which answers a page, the count
(exact up to `backends.base.COUNT_LIMIT`) and the sample of results whose facets are counted
(`FACET_SAMPLE`). When the words match nothing, each is corrected to the nearest words of the
indexed texts (trigrams) and the search runs again; the answer says so (`fuzzy`). A reference
(the buyer's, or the ocid) finds its process first.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

from pregon.publication.models import Record
from pregon.search.backends import backend
from pregon.search.backends.base import FACET_SAMPLE, Find, Found
from pregon.search.documents import code_significant
from pregon.search.models import SavedSearch, SearchCode, SearchDocument
from pregon.search.text import highlight, reference_key, words

#: The largest page a caller may ask for.
MAX_PER_PAGE = 100
#: The facets counted in every answer (the classification facet counts top-level groups).
FACETS = (
    "buyer",
    "country",
    "region",
    "method",
    "category",
    "status",
    "language",
    "classification",
)
_FACET_COLUMNS = {
    "buyer": "buyer_id",
    "country": "country",
    "region": "region",
    "method": "method",
    "category": "category",
    "status": "status",
    "language": "language",
}
ORDERS = ("relevance", "closing", "newest", "value")
#: The most documents one reference finds (references are one process's, mostly).
REFERENCE_LIMIT = 20
#: The score of a document found by its reference (above any found by its words).
REFERENCE_SCORE = 2.0


@dataclass(frozen=True, kw_only=True)
class SearchQuery:
    """What is searched: words and facet filters (every field optional)."""

    text: str = ""
    classification: str = ""
    scheme: str = ""
    buyer: str = ""
    country: str = ""
    region: str = ""
    method: str = ""
    category: str = ""
    status: str = ""
    language: str = ""
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    reserved_msme: bool | None = None
    closing_after: dt.datetime | None = None
    closing_before: dt.datetime | None = None
    order: str = "relevance"
    offset: int = 0
    limit: int = 20
    #: When set, the status facet counts OCDS `active` processes whose deadline is past this
    #: moment apart, as `closed` (the portal's "Closed (deadline passed)").
    closed_after: dt.datetime | None = None


@dataclass(frozen=True, kw_only=True)
class SearchHit:
    """One result: the document and its texts with the matched words in `<mark>`."""

    document: SearchDocument
    score: float
    title_html: str
    snippet_html: str


@dataclass(frozen=True, kw_only=True)
class FacetCount:
    value: str
    count: int
    label: str = ""


@dataclass(kw_only=True)
class SearchResults:
    query: SearchQuery
    hits: list[SearchHit]
    #: How many results there are: exact when `total_exact`, else at least this many (the count
    #: stops at `COUNT_LIMIT`).
    total: int
    fuzzy: bool = False
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    total_exact: bool = True
    #: How many results the facets were counted among: all of them when it is `total` (and
    #: `total_exact`), else the `FACET_SAMPLE` most recently indexed.
    facets_counted: int = 0


def _filtered(query: SearchQuery) -> QuerySet[SearchDocument]:
    """The documents that pass the facet filters (not the words)."""
    documents = SearchDocument.objects.defer("vector")
    for name, column in _FACET_COLUMNS.items():
        value = getattr(query, name)
        if value:
            documents = documents.filter(**{column: value})
    if query.classification:
        codes = SearchCode.objects.filter(prefix=code_significant(query.classification))
        if query.scheme:
            codes = codes.filter(scheme=query.scheme)
        documents = documents.filter(pk__in=codes.values("document_id"))
    if query.value_min is not None:
        documents = documents.filter(value_amount__gte=query.value_min)
    if query.value_max is not None:
        documents = documents.filter(value_amount__lte=query.value_max)
    if query.reserved_msme is not None:
        documents = documents.filter(reserved_msme=query.reserved_msme)
    if query.closing_after is not None:
        documents = documents.filter(closing_at__gte=query.closing_after)
    if query.closing_before is not None:
        documents = documents.filter(closing_at__lte=query.closing_before)
    return documents


def _finding(
    query: SearchQuery, documents: QuerySet[SearchDocument], groups: list[list[str]]
) -> Find:
    return Find(
        words=groups,
        documents=documents,
        equal={name: getattr(query, name) for name in _FACET_COLUMNS if getattr(query, name)},
        classification=code_significant(query.classification) if query.classification else "",
        scheme=query.scheme if query.classification else "",
        reserved_msme=query.reserved_msme,
        value_min=query.value_min,
        value_max=query.value_max,
        closing_after=query.closing_after,
        closing_before=query.closing_before,
        order=query.order,
        offset=max(0, query.offset),
        limit=max(1, min(query.limit, MAX_PER_PAGE)),
    )


def _by_reference(documents: QuerySet[SearchDocument], text: str) -> list[int]:
    """The documents (within the filters) whose reference or ocid is `text`, newest first."""
    key = reference_key(text)
    if not key:
        return []
    found = documents.filter(Q(reference_key=key) | Q(ocid=text)).order_by("-pk")
    return list(found.values_list("pk", flat=True)[:REFERENCE_LIMIT])


def _with_references(find: Find, references: list[int]) -> Found:
    """The back end's answer with the documents found by their reference ahead of it."""
    ahead = set(references)
    found = backend().find(
        replace(
            find, offset=max(0, find.offset - len(references)), limit=find.limit + len(references)
        )
    )
    rest = [pk for pk in found.ids if pk not in ahead]
    ids = (references[find.offset :] + rest)[: find.limit]
    scores = {pk: REFERENCE_SCORE if pk in ahead else found.scores.get(pk, 0.0) for pk in ids}
    also = [pk for pk in references if pk not in found.sample]
    return Found(
        ids=ids,
        scores=scores,
        total=found.total + len(also),
        total_exact=found.total_exact,
        sample=[*also, *found.sample],
    )


def _moment(value: dt.datetime | str) -> dt.datetime:
    """A date and time read by a plain cursor: SQLite's are UTC, written without a zone."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    assert moment is not None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _in(ids: list[int]) -> str:
    """An SQL list of ids (integers, read from the database: written in the query's text, as
    one parameter per id costs more than the query itself for a thousand of them)."""
    return ", ".join(map(str, map(int, ids))) or "NULL"


def _facets_of(sample: list[int], closed_after: dt.datetime | None) -> dict[str, list[FacetCount]]:
    """How many of the documents `sample` have each value of each facet, most frequent first."""
    names = list(_FACET_COLUMNS)
    columns = [_FACET_COLUMNS[name] for name in names]
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)}, buyer_name,"  # noqa: S608
            f" {'closing_at' if closed_after is not None else 'NULL'} FROM {table}"
            f" WHERE id IN ({_in(sample)})"
        )
        rows = cursor.fetchall()
        cursor.execute(
            f"SELECT scheme, prefix, count(DISTINCT document_id) AS n"  # noqa: S608
            f" FROM {SearchCode._meta.db_table} WHERE document_id IN ({_in(sample)})"
            " AND length(prefix) = 2 GROUP BY scheme, prefix"
        )
        groups = sorted(cursor.fetchall(), key=lambda row: (-row[2], row[0], row[1]))
    columns_of = list(zip(*rows, strict=True)) or [() for _column in [*columns, 1, 2]]
    by_name: dict[str, Counter[str]] = {}
    for name, values in zip(names, columns_of, strict=False):
        counter = Counter(values)
        counter.pop("", None)
        by_name[name] = counter
    buyers = dict(zip(columns_of[0], columns_of[-2], strict=True))
    status = names.index("status")
    closed = 0
    if closed_after is not None:
        closed = sum(
            1
            for row in rows
            if row[status] == "active" and row[-1] is not None and _moment(row[-1]) < closed_after
        )
    if closed:
        by_name["status"]["active"] -= closed
        by_name["status"]["closed"] = closed
        by_name["status"] = +by_name["status"]
    facets = {
        name: [
            FacetCount(
                value=value, count=count, label=buyers.get(value, "") if name == "buyer" else ""
            )
            for value, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        ]
        for name, counter in by_name.items()
    }
    facets["classification"] = [
        FacetCount(value=f"{prefix}000000", count=count, label=scheme)
        for scheme, prefix, count in groups
    ]
    return facets


def search_facets(
    documents: QuerySet[SearchDocument], *, closed_after: dt.datetime | None = None
) -> dict[str, list[FacetCount]]:
    """How many of `documents` have each value of each facet, most frequent first: all of them
    up to `FACET_SAMPLE`, else the `FACET_SAMPLE` most recently indexed.

    With `closed_after`, the `active` processes whose deadline passed by then count as `closed`.
    """
    sample = list(documents.order_by("-pk").values_list("pk", flat=True)[:FACET_SAMPLE])
    return _facets_of(sample, closed_after)


def search_run(query: SearchQuery, *, with_facets: bool = True) -> SearchResults:
    """The answer to `query`: a page of ranked, highlighted hits, the total, and the facets.

    Words are matched in any of the four languages' stems; when they match nothing, each is
    corrected to the vocabulary's nearest words and the search runs again (`fuzzy`). A text
    that is a process's reference or ocid finds that process first.
    """
    documents = _filtered(query)
    text = query.text.strip()
    query_words = words(text)
    find = _finding(query, documents, [[word] for word in query_words])
    fuzzy = False
    references = _by_reference(documents, text) if text else []
    if references:
        found = _with_references(find, references)
    elif text and not query_words:
        found = Found(ids=[], scores={}, total=0, total_exact=True, sample=[])
    else:
        found = backend().find(find)
        if found.total == 0 and query_words:
            corrected = backend().corrections(query_words)
            if all(corrected):
                find = replace(find, words=corrected)
                found = backend().find(find)
                fuzzy = True
    marked = " ".join(word for group in find.words for word in group) if fuzzy else text
    rows = SearchDocument.objects.defer("vector").in_bulk(found.ids)
    hits = [
        SearchHit(
            document=row,
            score=found.scores.get(pk, 0.0),
            title_html=highlight(row.title, query=marked, language=row.language),
            snippet_html=highlight(
                row.description or row.body, query=marked, language=row.language, snippet=True
            ),
        )
        for pk in found.ids
        if (row := rows.get(pk)) is not None
    ]
    return SearchResults(
        query=query,
        hits=hits,
        total=found.total,
        total_exact=found.total_exact,
        fuzzy=fuzzy,
        facets=_facets_of(found.sample, query.closed_after) if with_facets else {},
        facets_counted=len(found.sample) if with_facets else 0,
    )


def search_records_count() -> int:
    """How many published records there are (what a reindex reads)."""
    return Record.objects.count()


def saved_searches_of(*, owner_id: int) -> QuerySet[SavedSearch]:
    """A person's saved searches, by name."""
    return SavedSearch.objects.filter(owner_id=owner_id).order_by("name", "pk")
