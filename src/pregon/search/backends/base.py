"""The one interface both full-text back ends implement (SQLite FTS5, PostgreSQL full text),
and what they share: how a search is asked of them (`Find`), what they answer (`Found`), and
the relational part every back end can run with the ORM (`find_relational`).

A back end keeps its full-text structures beside `SearchDocument` rows (same ids) and a trigram
index of the vocabulary (`SearchWord`). It answers:

* `find`: one page of a search (words, facet filters, order), the number of results (exact up
  to `COUNT_LIMIT`, beyond which it is a lower bound) and the sample of results whose facets
  are counted (the `FACET_SAMPLE` most recently indexed; all of them when there are no more);
* `corrections`: for each word of a query, the words of the vocabulary it may be a misspelling
  of (trigram word similarity, as pg_trgm computes it);
* `match` / `similar`: the same as QuerySets (all matches, annotated with `score`).

The ranking is the same on both: the results with every word in the title first, then the
others, the most recently indexed first within each (`TITLE_SCORE`, `BODY_SCORE`). It costs
the same whatever the number of matches, which a ranking function (bm25, ts_rank_cd) scored
over every match does not: on a million processes a common word matches a hundred thousand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import BigIntegerField, ExpressionWrapper, F, Q, QuerySet

from pregon.search.models import SearchDocument
from pregon.search.text import (
    FUZZY_THRESHOLD,
    LANGUAGES,
    VOCABULARY_WORD,
    facet_token,
    stem,
    trigram_word_similarity,
)

#: The annotation `match` and `similar` add: higher is better.
SCORE = "score"
#: The scores of the two tiers of the ranking: every word in the title, or not.
TITLE_SCORE = 1.0
BODY_SCORE = 0.5
#: How many trigram candidates of the vocabulary are looked at for one misspelled word.
SIMILAR_CANDIDATES = 200
#: How many words of the vocabulary one misspelled word may stand for.
CORRECTIONS = 6
#: Results are counted exactly up to this number; beyond it the count says "at least".
COUNT_LIMIT = 10_000
#: Facets are counted among at most this many results (the most recently indexed).
FACET_SAMPLE = 1_000
#: Every language a document can have, "" being "no stemmer".
ALL_LANGUAGES = (*LANGUAGES, "")
#: The facet filters as (token letter, SearchDocument field), the most selective first (FTS5
#: walks the first term's posting list and seeks in the others').
FACET_LETTERS = (
    ("b", "buyer"),
    ("r", "region"),
    ("c", "country"),
    ("m", "method"),
    ("k", "category"),
    ("s", "status"),
    ("l", "language"),
)


@dataclass(frozen=True, kw_only=True)
class Find:
    """One search as a back end runs it.

    `words` holds, for each word of the query, the folded words it stands for (itself, or its
    corrections); a result has, for every query word, one of them (in any language's stem).
    `documents` are the documents that pass the facet filters (a QuerySet); `equal` and the
    ranges say the same filters again for a back end that evaluates them its own way.
    """

    words: list[list[str]]
    documents: QuerySet[SearchDocument]
    equal: dict[str, str] = field(default_factory=dict)
    classification: str = ""
    scheme: str = ""
    reserved_msme: bool | None = None
    value_min: Decimal | None = None
    value_max: Decimal | None = None
    closing_after: dt.datetime | None = None
    closing_before: dt.datetime | None = None
    order: str = "relevance"
    offset: int = 0
    limit: int = 20

    @property
    def ranges(self) -> QuerySet[SearchDocument]:
        """The documents within the value and closing date ranges (no other filter)."""
        documents = SearchDocument.objects.all()
        if self.value_min is not None:
            documents = documents.filter(value_amount__gte=self.value_min)
        if self.value_max is not None:
            documents = documents.filter(value_amount__lte=self.value_max)
        if self.closing_after is not None:
            documents = documents.filter(closing_at__gte=self.closing_after)
        if self.closing_before is not None:
            documents = documents.filter(closing_at__lte=self.closing_before)
        return documents

    @property
    def has_ranges(self) -> bool:
        return any(
            value is not None
            for value in (self.value_min, self.value_max, self.closing_after, self.closing_before)
        )


@dataclass(kw_only=True)
class Found:
    """A back end's answer: the page (ids in order, with their scores), the count, the sample."""

    ids: list[int]
    scores: dict[int, float]
    total: int
    total_exact: bool
    sample: list[int]


class SearchBackend(Protocol):
    """A full-text back end (see the module's docstring)."""

    vendor: str

    def index(self, document: SearchDocument) -> None:
        """Write (or rewrite) the full-text entry of `document`, saved just before, with its
        classification codes, and add its words to the vocabulary."""

    def index_many(self, documents: Sequence[SearchDocument]) -> None:
        """`index` for new documents (never indexed before), in as few statements as can be."""

    def clear(self) -> None:
        """Remove every full-text entry and the vocabulary (before a reindex)."""

    def optimize(self) -> None:
        """After many documents were added: merge the index's segments and refresh the query
        planner's statistics."""

    def find(self, find: Find) -> Found:
        """One page of `find`, its count and its facet sample."""

    def corrections(self, words: Sequence[str]) -> list[list[str]]:
        """For each folded word, the vocabulary's words it may stand for, nearest first."""

    def match(self, documents: QuerySet[SearchDocument], text: str) -> QuerySet[SearchDocument]:
        """`documents` that match `text`, annotated with `score`."""

    def similar(self, documents: QuerySet[SearchDocument], text: str) -> QuerySet[SearchDocument]:
        """`documents` that match the corrections of `text`'s words, annotated with `score`."""


def document_tokens(document: SearchDocument, codes: Iterable[tuple[str, str]]) -> list[str]:
    """The facet tokens of a document with its (scheme, prefix) classification codes: "za"
    that every document has, one per facet value, the reservation, and every classification
    prefix with and without its scheme."""
    tokens = [facet_token("a", "")]
    values = {
        "buyer": document.buyer_id,
        "region": document.region,
        "country": document.country,
        "method": document.method,
        "category": document.category,
        "status": document.status,
        "language": document.language,
    }
    tokens += [facet_token(letter, values[name]) for letter, name in FACET_LETTERS if values[name]]
    tokens.append(facet_token("v", "1" if document.reserved_msme else "0"))
    for scheme, prefix in sorted(codes):
        tokens += [facet_token("q", prefix), facet_token("x", f"{scheme} {prefix}")]
    return list(dict.fromkeys(tokens))


def query_tokens(find: Find) -> list[str]:
    """The facet tokens a result of `find` must have, the most selective first."""
    tokens = [
        facet_token(letter, find.equal[name])
        for letter, name in FACET_LETTERS
        if find.equal.get(name)
    ]
    if find.classification:
        token = (
            facet_token("x", f"{find.scheme} {find.classification}")
            if find.scheme
            else facet_token("q", find.classification)
        )
        tokens.insert(2, token)
    if find.reserved_msme is not None:
        tokens.append(facet_token("v", "1" if find.reserved_msme else "0"))
    return tokens


def stem_groups(words: Sequence[Sequence[str]]) -> list[list[str]]:
    """For each query word's alternatives, their stems in every language (no repeats)."""
    return [
        list(dict.fromkeys(stem(word, language) for word in group for language in ALL_LANGUAGES))
        for group in words
    ]


def correctable(word: str) -> bool:
    """Whether a query word may be corrected (as the vocabulary keeps words)."""
    shortest, longest = VOCABULARY_WORD
    return shortest <= len(word) <= longest and word.isalpha()


def nearest(word: str, candidates: Sequence[str]) -> list[str]:
    """The `CORRECTIONS` candidates most similar to `word` (at least `FUZZY_THRESHOLD`), best
    first; the same choice on both back ends, whatever order their index gave the candidates."""
    scored = []
    for candidate in set(candidates):
        similarity = trigram_word_similarity(word, candidate)
        if similarity >= FUZZY_THRESHOLD:
            # Equal scores: the word of about the same length first, then alphabetical.
            scored.append((-similarity, abs(len(candidate) - len(word)), candidate))
    return [candidate for _score, _length, candidate in sorted(scored)[:CORRECTIONS]]


def find_relational(find: Find, matched: QuerySet[SearchDocument], in_title: Q | None) -> Found:
    """`find` run with the ORM on `matched` (the documents that pass the filters and the words).

    `in_title` is the condition "every word is in the title" (None when no words were given).
    Used by PostgreSQL, and by SQLite when a search has neither words nor facet values (filters
    by range, or nothing).
    """
    plain = matched.order_by()
    total = plain[: COUNT_LIMIT + 1].count()
    # Newest first. With few results, the planner is kept from walking the id index backwards
    # in the hope of meeting them early ("id + 0" is no index's order): reading them all and
    # sorting them is quicker. With many, walking the index meets them soon.
    newest: Any = "-pk"
    if total <= COUNT_LIMIT:
        newest = ExpressionWrapper(F("pk") + 0, output_field=BigIntegerField()).desc()
    sample = list(plain.order_by(newest).values_list("pk", flat=True)[:FACET_SAMPLE])
    end = find.offset + find.limit
    scores: dict[int, float] = {}
    if find.order == "relevance" and in_title is not None:
        first = list(plain.filter(in_title).order_by(newest).values_list("pk", flat=True)[:end])
        ids = first[find.offset :]
        scores = dict.fromkeys(first, TITLE_SCORE)
        if len(first) < end:
            rest = plain.exclude(in_title).order_by(newest).values_list("pk", flat=True)
            skip = max(0, find.offset - len(first))
            more = list(rest[skip : skip + find.limit - len(ids)])
            ids += more
            scores |= dict.fromkeys(more, BODY_SCORE)
    else:
        ids = list(ordered(plain, find.order).values_list("pk", flat=True)[find.offset : end])
    return Found(
        ids=ids,
        scores={pk: scores.get(pk, 0.0) for pk in ids},
        total=min(total, COUNT_LIMIT),
        total_exact=total <= COUNT_LIMIT,
        sample=sample,
    )


#: The orders other than relevance, as ORM orderings (ties broken by the id).
ORDERINGS = {
    "closing": ("closing_at", "pk"),
    "newest": ("-date", "-pk"),
    "value": ("-value_amount", "pk"),
}


def ordered(documents: QuerySet[SearchDocument], order: str) -> QuerySet[SearchDocument]:
    """`documents` in `order` ("relevance" without words is by closing date)."""
    return documents.order_by(*ORDERINGS.get(order, ORDERINGS["closing"]))
