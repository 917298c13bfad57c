"""SQLite FTS5: the embedded back end.

Two FTS5 tables, created by migration 0002 on SQLite only, keyed by the document's id (rowid):

* `search_fts(title, body, lang)`, tokenizer `unicode61 remove_diacritics 2`, holding the
  words already folded and stemmed in the document's language by `text.stems` (FTS5 has only
  an English stemmer built in). A query is stemmed in each language and matched against the
  documents of that language only: `(lang : "es" AND ({title body} : ...)) OR ...`. Ranked by
  `bm25`, a title word worth ten body words.
* `search_trigram(title)`, tokenizer `trigram`, over the folded titles: the candidates for a
  misspelled query share trigrams with it; they are then ranked by the same word similarity
  PostgreSQL's pg_trgm computes (`text.word_similarity`).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, FloatField, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from pregon.search.backends.base import SCORE, SIMILAR_CANDIDATES
from pregon.search.models import SearchDocument
from pregon.search.text import FUZZY_THRESHOLD, LANGUAGES, stems, trigrams, word_similarity, words

#: Every language a document can have, "" being "no stemmer".
_ALL_LANGUAGES = (*LANGUAGES, "")


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_query(text: str) -> str:
    """The FTS5 query of `text`: its stems in each language, against that language's documents."""
    clauses = []
    for language in _ALL_LANGUAGES:
        terms = list(dict.fromkeys(stems(text, language)))
        if not terms:
            continue
        wanted = " AND ".join(_quoted(term) for term in terms)
        clauses.append(f"(lang : {_quoted(language or 'none')} AND {{title body}} : ({wanted}))")
    return " OR ".join(clauses)


class SqliteFts5Backend:
    """The `SearchBackend` of SQLite (see the module's docstring)."""

    vendor = "sqlite"

    def index(self, document: SearchDocument) -> None:
        language = document.language
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document.pk])
            cursor.execute("DELETE FROM search_trigram WHERE rowid = %s", [document.pk])
            cursor.execute(
                "INSERT INTO search_fts (rowid, title, body, lang) VALUES (%s, %s, %s, %s)",
                [
                    document.pk,
                    " ".join(stems(document.title, language)),
                    " ".join(stems(document.body, language)),
                    language or "none",
                ],
            )
            cursor.execute(
                "INSERT INTO search_trigram (rowid, title) VALUES (%s, %s)",
                [document.pk, document.title_folded],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
            cursor.execute("DELETE FROM search_trigram")

    def match(self, documents: QuerySet[SearchDocument], text: str) -> QuerySet[SearchDocument]:
        query = fts_query(text)
        if not query:
            return documents.none()
        return documents.filter(
            pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [query])
        ).annotate(
            **{
                SCORE: RawSQL(
                    "(SELECT -bm25(search_fts, 10.0, 1.0, 0.0) FROM search_fts"
                    " WHERE search_fts MATCH %s AND search_fts.rowid = id)",
                    [query],
                    output_field=FloatField(),
                )
            }
        )

    def similar(self, documents: QuerySet[SearchDocument], text: str) -> QuerySet[SearchDocument]:
        grams = sorted({gram for word in words(text) for gram in trigrams(word) if gram.strip()})
        # The trigram tokenizer indexes three characters of the text, without pg_trgm's padding.
        grams = [gram for gram in grams if " " not in gram]
        if not grams:
            return documents.none()
        query = " OR ".join(_quoted(gram) for gram in grams)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, title FROM search_trigram WHERE search_trigram MATCH %s"
                " ORDER BY bm25(search_trigram) LIMIT %s",
                [query, SIMILAR_CANDIDATES],
            )
            candidates = cursor.fetchall()
        scores = {
            rowid: score
            for rowid, title in candidates
            if (score := word_similarity(text, title)) >= FUZZY_THRESHOLD
        }
        if not scores:
            return documents.none()
        return documents.filter(pk__in=list(scores)).annotate(
            **{
                SCORE: Case(
                    *(When(pk=pk, then=Value(score)) for pk, score in scores.items()),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            }
        )
