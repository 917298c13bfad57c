"""PostgreSQL full text: the production back end.

The migrations create, on PostgreSQL only: the `unaccent` and `pg_trgm` extensions; one text
search configuration per language (`pregon_en`, `pregon_es`, `pregon_pt`, `pregon_fr`, and
`pregon_none` without stemming), each the built-in one with `unaccent` before its stemmer, so
accents are folded before stemming as on SQLite; a GIN index on `SearchDocument.vector`; and a
GIN trigram index on the vocabulary's words (`SearchWord.word`).

`vector` holds the title (weight A) and the searched text (weight B) in the document's own
configuration. A query word matches any of its stems in the four languages: the query is
`(w1 in en || w1 in es || ...) && (w2 in en || ...)`, built once as a `tsquery` value and then
matched with the GIN index; "every word in the title" is the same query restricted to weight A.
The facet filters are the documents' columns (B-tree indexes, combined by the planner with the
GIN index), and the rest is `base.find_relational`. Misspellings: the vocabulary's words whose
pg_trgm `word_similarity` with the query word reaches the threshold (the `%>` operator, with the
trigram index).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import BooleanField, Case, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from pregon.search.backends.base import (
    ALL_LANGUAGES,
    BODY_SCORE,
    SCORE,
    SIMILAR_CANDIDATES,
    TITLE_SCORE,
    Find,
    Found,
    correctable,
    find_relational,
    nearest,
)
from pregon.search.models import SearchCode, SearchDocument, SearchWord
from pregon.search.text import FUZZY_THRESHOLD, words

_TABLE = SearchDocument._meta.db_table
_WORDS = SearchWord._meta.db_table


def config(language: str) -> str:
    """The text search configuration of a document language."""
    return f"pregon_{language or 'none'}"


def _vector_sql(language: str) -> str:
    # Only a configuration name of ours is put in the SQL text; the texts are columns.
    name = config(language)
    return f"setweight(to_tsvector('{name}', title), 'A') || setweight(to_tsvector('{name}', body), 'B')"


def tsqueries(groups: Sequence[Sequence[str]]) -> tuple[str, str]:
    """The texts of the `tsquery` values of `groups` (each query word's alternatives): for every
    group, one of its words in any language's stem; and the same in the title (weight A).

    Each word is parsed in each language's configuration in one statement, and the lexemes are
    put together here without repeats (the planner estimates "a | a | a" as three times "a").
    A word that is a stop word in one of the languages is left out, as PostgreSQL leaves it out
    of that language's vectors (SQLite keeps every word)."""
    pairs = [
        (index, weight, word, language)
        for index, group in enumerate(groups)
        for weight in ("", "A")
        for word in group
        for language in ALL_LANGUAGES
    ]
    if not pairs:
        return "", ""
    columns = ", ".join(
        f"to_tsquery('{config(language)}', %s)::text" for _index, _weight, _word, language in pairs
    )
    with connection.cursor() as cursor:
        # Only our configurations' names are in the SQL; the words are parameters (letters and
        # digits only: text.words).
        cursor.execute(
            f"SELECT {columns}",
            [f"{word}:{weight}" if weight else word for _index, weight, word, _language in pairs],
        )
        parsed = cursor.fetchone()
    alternatives: dict[tuple[int, str], dict[str, None]] = {}
    stop_words: set[int] = set()
    for (index, weight, _word, _language), text in zip(pairs, parsed, strict=True):
        if text:
            alternatives.setdefault((index, weight), {})[f"({text})"] = None
        else:
            # A stop word of one language is not in that language's vectors: not required.
            stop_words.add(index)
    queries = []
    for weight in ("", "A"):
        parts = [
            "(" + " | ".join(found) + ")"
            for (index, each), found in alternatives.items()
            if each == weight and index not in stop_words
        ]
        queries.append(" & ".join(parts))
    return queries[0], queries[1]


def _condition(query: str) -> Q:
    return Q(RawSQL("vector @@ %s::tsquery", [query], output_field=BooleanField()))


class PostgresBackend:
    """The `SearchBackend` of PostgreSQL (see the module's docstring)."""

    vendor = "postgresql"

    def index(self, document: SearchDocument) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {_TABLE} SET vector = {_vector_sql(document.language)}"  # noqa: S608
                " WHERE id = %s",
                [document.pk],
            )

    def index_many(self, documents: Sequence[SearchDocument]) -> None:
        by_language: dict[str, list[int]] = {}
        for document in documents:
            by_language.setdefault(document.language, []).append(document.pk)
        with connection.cursor() as cursor:
            for language, ids in by_language.items():
                cursor.execute(
                    f"UPDATE {_TABLE} SET vector = {_vector_sql(language)}"  # noqa: S608
                    " WHERE id = ANY(%s)",
                    [ids],
                )

    def clear(self) -> None:
        SearchDocument.objects.update(vector=None)

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            for model in (SearchDocument, SearchCode, SearchWord):
                cursor.execute(f"ANALYZE {model._meta.db_table}")

    def find(self, find: Find) -> Found:
        if not find.words:
            return find_relational(find, find.documents, None)
        anywhere, in_title = tsqueries(find.words)
        matched = find.documents.filter(_condition(anywhere))
        return find_relational(find, matched, _condition(in_title))

    def corrections(self, words: Sequence[str]) -> list[list[str]]:
        found = []
        with transaction.atomic(), connection.cursor() as cursor:
            # The operator's threshold, for this transaction only (a little lower: `nearest`
            # keeps those reaching FUZZY_THRESHOLD, computed the same on both back ends).
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(FUZZY_THRESHOLD - 0.01)],
            )
            for word in words:
                if not correctable(word):
                    found.append([word])
                    continue
                cursor.execute(
                    f"SELECT word FROM {_WORDS} WHERE word %%> %s"  # noqa: S608
                    " ORDER BY word_similarity(%s, word) DESC LIMIT %s",
                    [word, word, SIMILAR_CANDIDATES],
                )
                found.append(nearest(word, [row[0] for row in cursor.fetchall()]))
        return found

    def _matching(
        self, documents: QuerySet[SearchDocument], groups: list[list[str]]
    ) -> QuerySet[SearchDocument]:
        anywhere, in_title = tsqueries(groups) if groups and all(groups) else ("", "")
        if not anywhere:
            return documents.none()
        return documents.filter(_condition(anywhere)).annotate(
            **{
                SCORE: Case(
                    When(_condition(in_title), then=Value(TITLE_SCORE)),
                    default=Value(BODY_SCORE),
                    output_field=FloatField(),
                )
            }
        )

    def match(self, documents: QuerySet[SearchDocument], text: str) -> QuerySet[SearchDocument]:
        return self._matching(documents, [[word] for word in words(text)])

    def similar(self, documents: QuerySet[SearchDocument], text: str) -> QuerySet[SearchDocument]:
        corrected = self.corrections(words(text))
        return self._matching(documents, corrected if all(corrected) else [])
