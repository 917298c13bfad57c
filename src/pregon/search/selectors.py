"""Reads of the search: one query with its facets, ranked, highlighted and paginated.

`search_run` is what the API and the portal pages call, so they answer the same. The text part
goes to the database's back end (`backends/`); the facets are column filters, the same on
both. When the words match nothing, the titles similar to them are offered (trigrams), and the
answer says so (`fuzzy`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet

from pregon.publication.models import Record
from pregon.search.backends import backend
from pregon.search.backends.base import SCORE
from pregon.search.documents import code_significant
from pregon.search.models import SavedSearch, SearchCode, SearchDocument
from pregon.search.text import highlight

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
    total: int
    fuzzy: bool = False
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)


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


def _ordered(
    documents: QuerySet[SearchDocument], order: str, ranked: bool
) -> QuerySet[SearchDocument]:
    if order == "relevance" and ranked:
        return documents.order_by(f"-{SCORE}", "closing_at", "pk")
    if order == "newest":
        return documents.order_by("-date", "-pk")
    if order == "value":
        return documents.order_by("-value_amount", "pk")
    return documents.order_by("closing_at", "pk")


def search_facets(
    documents: QuerySet[SearchDocument], *, closed_after: dt.datetime | None = None
) -> dict[str, list[FacetCount]]:
    """How many of `documents` have each value of each facet, most frequent first.

    With `closed_after`, the `active` processes whose deadline passed by then count as `closed`.
    """
    plain = documents.order_by().values("pk")
    base = SearchDocument.objects.filter(pk__in=plain)
    facets: dict[str, list[FacetCount]] = {}
    for name, column in _FACET_COLUMNS.items():
        rows = (
            base.exclude(**{column: ""})
            .values(column)
            .annotate(count=Count("pk"))
            .order_by("-count", column)
        )
        facets[name] = [FacetCount(value=row[column], count=row["count"]) for row in rows]
    names = dict(
        base.exclude(buyer_id="").values_list("buyer_id", "buyer_name").order_by("buyer_id")
    )
    facets["buyer"] = [
        FacetCount(value=entry.value, count=entry.count, label=names.get(entry.value, ""))
        for entry in facets["buyer"]
    ]
    if closed_after is not None:
        closed = base.filter(status="active", closing_at__lt=closed_after).count()
        statuses = {entry.value: entry.count for entry in facets["status"]}
        if closed:
            statuses["active"] -= closed
            statuses["closed"] = closed
        facets["status"] = sorted(
            (FacetCount(value=value, count=count) for value, count in statuses.items() if count),
            key=lambda entry: (-entry.count, entry.value),
        )
    groups = (
        SearchCode.objects.filter(document__in=plain, prefix__regex=r"^\d\d$")
        .values("scheme", "prefix")
        .annotate(count=Count("document", distinct=True))
        .order_by("-count", "scheme", "prefix")
    )
    facets["classification"] = [
        FacetCount(value=f"{row['prefix']}000000", count=row["count"], label=row["scheme"])
        for row in groups
    ]
    return facets


def search_run(query: SearchQuery, *, with_facets: bool = True) -> SearchResults:
    """The answer to `query`: a page of ranked, highlighted hits, the total, and the facets."""
    limit = max(1, min(query.limit, MAX_PER_PAGE))
    offset = max(0, query.offset)
    documents = _filtered(query)
    text = query.text.strip()
    fuzzy = False
    if text:
        matched = backend().match(documents, text)
        if not matched.exists():
            matched = backend().similar(documents, text)
            fuzzy = True
        documents = matched
    documents = _ordered(documents, query.order, ranked=SCORE in documents.query.annotations)
    total = documents.count()
    rows = list(documents[offset : offset + limit])
    hits = [
        SearchHit(
            document=row,
            score=float(getattr(row, SCORE, 0.0) or 0.0),
            title_html=highlight(row.title, query=text, language=row.language, fuzzy=fuzzy),
            snippet_html=highlight(
                row.description or row.body,
                query=text,
                language=row.language,
                fuzzy=fuzzy,
                snippet=True,
            ),
        )
        for row in rows
    ]
    return SearchResults(
        query=query,
        hits=hits,
        total=total,
        fuzzy=fuzzy,
        facets=(search_facets(documents, closed_after=query.closed_after) if with_facets else {}),
    )


def search_records_count() -> int:
    """How many published records there are (what a reindex reads)."""
    return Record.objects.count()


def saved_searches_of(*, owner_id: int) -> QuerySet[SavedSearch]:
    """A person's saved searches, by name."""
    return SavedSearch.objects.filter(owner_id=owner_id).order_by("name", "pk")
