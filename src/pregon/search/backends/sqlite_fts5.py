"""SQLite FTS5: the embedded back end.

Two FTS5 tables, created by the migrations on SQLite only:

* `search_fts(title, body, facets)`, keyed by the document's id (rowid), tokenizer
  `unicode61 remove_diacritics 2`, `detail=column`. `title` and `body` hold the words already
  folded and stemmed in the document's language by `text.stems` (FTS5 has only an English
  stemmer built in). `facets` holds one token per facet value of the document
  (`text.facet_token`: language, country, region, buyer, method, category, status, reserved,
  every classification prefix with and without its scheme, and "za" that every document has),
  so an equality filter is one more term of the full-text query: the posting lists are
  intersected by FTS5 instead of each match being looked up in a B-tree. Ranges (value,
  closing date) are checked on the documents' rows. A query word matches any of its stems in
  the four languages: `{title body} : ("hospital" OR "hospit") AND facets : zc434c`.
* `search_word_trigram(word)`, tokenizer `trigram`, contentless: the trigrams of the
  vocabulary's words (`SearchWord`), padded as pg_trgm pads them; a trigger on
  `search_searchword` fills it. A misspelled word's candidates share trigrams with it; they are
  then chosen by pg_trgm's word similarity (`text.trigram_word_similarity`).

Every query reads the posting lists in descending rowid order and stops at what it needs: the
page, `COUNT_LIMIT` + 1 results for the count, `FACET_SAMPLE` for the facets. Only an order by
date or value over more than `FACET_SAMPLE` results with words reads every match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Case, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from pregon.search.backends.base import (
    BODY_SCORE,
    COUNT_LIMIT,
    FACET_SAMPLE,
    SCORE,
    SIMILAR_CANDIDATES,
    TITLE_SCORE,
    Find,
    Found,
    correctable,
    document_tokens,
    find_relational,
    nearest,
    ordered,
    query_tokens,
    stem_groups,
)
from pregon.search.models import SearchCode, SearchDocument, SearchWord
from pregon.search.text import padded_trigrams, stems, words

_TABLE = SearchDocument._meta.db_table
_WORDS = SearchWord._meta.db_table
#: The SQL order of each order other than relevance (ties broken by the id).
_ORDER_SQL = {
    "closing": f"{_TABLE}.closing_at, {_TABLE}.id",
    "newest": f"{_TABLE}.date DESC, {_TABLE}.id DESC",
    "value": f"{_TABLE}.value_amount DESC, {_TABLE}.id",
}


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_expression(tokens: Sequence[str], groups: Sequence[Sequence[str]], columns: str) -> str:
    """The FTS5 query: every facet token, and for each query word one of its stems in
    `columns` ("{title body}" or "{title}")."""
    parts = [f"facets : {_quoted(token)}" for token in tokens]
    parts += [f"{columns} : ({' OR '.join(_quoted(term) for term in group)})" for group in groups]
    return " AND ".join(parts)


def fts_query(text: str) -> str:
    """The FTS5 query of the words of `text` (each in any of its stems)."""
    return fts_expression([], stem_groups([[word] for word in words(text)]), "{title body}")


class SqliteFts5Backend:
    """The `SearchBackend` of SQLite (see the module's docstring)."""

    vendor = "sqlite"

    # -- writing

    def _row(self, document: SearchDocument, codes: Iterable[tuple[str, str]]) -> list[Any]:
        language = document.language
        return [
            document.pk,
            " ".join(stems(document.title, language)),
            " ".join(stems(document.body, language)),
            " ".join(document_tokens(document, codes)),
        ]

    def index(self, document: SearchDocument) -> None:
        codes = SearchCode.objects.filter(document=document).values_list("scheme", "prefix")
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document.pk])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, body, facets) VALUES (%s, %s, %s, %s)",
                self._row(document, list(codes)),
            )

    def index_many(self, documents: Sequence[SearchDocument]) -> None:
        codes: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for pk, scheme, prefix in SearchCode.objects.filter(
            document_id__in=[document.pk for document in documents]
        ).values_list("document_id", "scheme", "prefix"):
            codes[pk].append((scheme, prefix))
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, body, facets) VALUES (%s, %s, %s, %s)",
                [self._row(document, codes[document.pk]) for document in documents],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
            cursor.execute(
                "INSERT INTO search_word_trigram (search_word_trigram) VALUES ('delete-all')"
            )

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
            cursor.execute(
                "INSERT INTO search_word_trigram (search_word_trigram) VALUES ('optimize')"
            )
            cursor.execute("ANALYZE")

    # -- reading

    def _from(self, find: Find) -> tuple[str, list[Any]]:
        """The FROM and WHERE of the matches, with their parameters after the MATCH's."""
        if not find.has_ranges:
            return "FROM search_fts WHERE search_fts MATCH %s", []
        query = find.ranges.query
        where, params = query.get_compiler(connection=connection).compile(query.where)
        return (
            f"FROM search_fts CROSS JOIN {_TABLE} ON {_TABLE}.id = search_fts.rowid"
            f" WHERE search_fts MATCH %s AND {where}",
            list(params),
        )

    def _ids(self, expression: str, find: Find, limit: int, offset: int = 0) -> list[int]:
        """The ids of the matches of `expression`, the most recently indexed first."""
        if limit <= 0:
            return []
        source, params = self._from(find)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT search_fts.rowid {source} ORDER BY search_fts.rowid DESC"
                " LIMIT %s OFFSET %s",
                [expression, *params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def _count(self, expression: str, find: Find) -> int:
        """How many matches `expression` has, counted up to `COUNT_LIMIT` + 1 (in SQL: reading
        ten thousand ids into Python would cost several times more)."""
        source, params = self._from(find)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 {source} LIMIT %s)",  # noqa: S608
                [expression, *params, COUNT_LIMIT + 1],
            )
            return int(cursor.fetchone()[0])

    def _ordered_ids(self, expression: str, find: Find) -> list[int]:
        """A page of the matches of `expression` in an order of their rows (every match read)."""
        source, params = self._from(find)
        if not find.has_ranges:
            source = (
                f"FROM search_fts CROSS JOIN {_TABLE} ON {_TABLE}.id = search_fts.rowid"
                " WHERE search_fts MATCH %s"
            )
        order = _ORDER_SQL.get(find.order, _ORDER_SQL["closing"])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT search_fts.rowid {source} ORDER BY {order} LIMIT %s OFFSET %s",
                [expression, *params, find.limit, find.offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def find(self, find: Find) -> Found:
        tokens = query_tokens(find)
        groups = stem_groups(find.words)
        if not tokens and not groups:
            return find_relational(find, find.documents, None)
        expression = fts_expression(tokens, groups, "{title body}")
        total = self._count(expression, find)
        complete = total <= COUNT_LIMIT
        sample = self._ids(expression, find, FACET_SAMPLE)
        scores: dict[int, float] = {}
        end = find.offset + find.limit
        if find.order == "relevance" and groups:
            in_title = fts_expression(tokens, groups, "{title}")
            first = self._ids(in_title, find, end)
            ids = first[find.offset :]
            scores = dict.fromkeys(first, TITLE_SCORE)
            if len(first) < end:
                # Every title match was read: the others follow them, newest first.
                skip = max(0, find.offset - len(first))
                wanted = find.limit - len(ids)
                if total <= FACET_SAMPLE:
                    # The sample is every result.
                    seen = set(first)
                    more = [pk for pk in sample if pk not in seen][skip : skip + wanted]
                else:
                    more = self._ids(f"({expression}) NOT ({in_title})", find, wanted, skip)
                ids += more
                scores |= dict.fromkeys(more, BODY_SCORE)
        elif total <= FACET_SAMPLE or groups:
            ids = self._ordered_ids(expression, find)
        else:
            # Facet values only, and many results: the B-tree index of the order is walked.
            page = ordered(find.documents.order_by(), find.order).values_list("pk", flat=True)
            ids = list(page[find.offset : end])
        return Found(
            ids=ids,
            scores={pk: scores.get(pk, 0.0) for pk in ids},
            total=min(total, COUNT_LIMIT),
            total_exact=complete,
            sample=sample,
        )

    def corrections(self, words: Sequence[str]) -> list[list[str]]:
        found = []
        for word in words:
            if not correctable(word):
                found.append([word])
                continue
            grams = " OR ".join(_quoted(gram) for gram in sorted(set(padded_trigrams(word))))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT word FROM {_WORDS} WHERE id IN (SELECT rowid FROM"  # noqa: S608
                    " search_word_trigram WHERE search_word_trigram MATCH %s"
                    " ORDER BY rank LIMIT %s)",
                    [grams, SIMILAR_CANDIDATES],
                )
                candidates = [row[0] for row in cursor.fetchall()]
            found.append(nearest(word, candidates))
        return found

    # -- as QuerySets

    def _condition(self, groups: Sequence[Sequence[str]], columns: str) -> Q:
        expression = fts_expression([], groups, columns)
        return Q(
            pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [expression])
        )

    def _matching(
        self, documents: QuerySet[SearchDocument], groups: list[list[str]]
    ) -> QuerySet[SearchDocument]:
        if not groups or not all(groups):
            return documents.none()
        return documents.filter(self._condition(groups, "{title body}")).annotate(
            **{
                SCORE: Case(
                    When(self._condition(groups, "{title}"), then=Value(TITLE_SCORE)),
                    default=Value(BODY_SCORE),
                    output_field=FloatField(),
                )
            }
        )

    def match(self, documents: QuerySet[SearchDocument], text: str) -> QuerySet[SearchDocument]:
        return self._matching(documents, stem_groups([[word] for word in words(text)]))

    def similar(self, documents: QuerySet[SearchDocument], text: str) -> QuerySet[SearchDocument]:
        corrected = self.corrections(words(text))
        return self._matching(documents, stem_groups(corrected) if all(corrected) else [])
