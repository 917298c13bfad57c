"""PostgreSQL full text: the production back end.

Migration 0002 creates, on PostgreSQL only: the `unaccent` and `pg_trgm` extensions; one text
search configuration per language (`pregon_en`, `pregon_es`, `pregon_pt`, `pregon_fr`, and
`pregon_none` without stemming), each the built-in one with `unaccent` before its stemmer, so
accents are folded before stemming as on SQLite; a GIN index on `SearchDocument.vector`; and a
GIN trigram index on `title_folded`.

`vector` holds the title (weight A) and the searched text (weight B) in the document's own
configuration; a query is parsed in each language's configuration and matched against the
documents of that language (`ts_rank_cd` ranks them). Misspellings: `word_similarity` of the
folded query against the folded title (pg_trgm).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from pregon.search.backends.base import SCORE, SIMILAR_CANDIDATES
from pregon.search.models import SearchDocument
from pregon.search.text import FUZZY_THRESHOLD, LANGUAGES, fold

_ALL_LANGUAGES = (*LANGUAGES, "")


def config(language: str) -> str:
    """The text search configuration of a document language."""
    return f"pregon_{language or 'none'}"


def _per_language(template: str, text: str) -> tuple[str, list[str]]:
    """`template` (with `{config}` and one `%s`) OR-ed over the languages, for documents of each."""
    parts = []
    params: list[str] = []
    for language in _ALL_LANGUAGES:
        parts.append(f"(language = %s AND {template.format(config=config(language))})")
        params += [language, text]
    return " OR ".join(parts), params


class PostgresBackend:
    """The `SearchBackend` of PostgreSQL (see the module's docstring)."""

    vendor = "postgresql"

    def index(self, document: SearchDocument) -> None:
        # Only a configuration name of ours is put in the SQL text; the texts are parameters.
        name = config(document.language)
        with connection.cursor() as cursor:
            sql = (
                f"UPDATE {SearchDocument._meta.db_table} SET vector ="  # noqa: S608
                f" setweight(to_tsvector('{name}', %s), 'A')"
                f" || setweight(to_tsvector('{name}', %s), 'B') WHERE id = %s"
            )
            cursor.execute(sql, [document.title, document.body, document.pk])

    def clear(self) -> None:
        SearchDocument.objects.update(vector=None)

    def match(self, documents: QuerySet[SearchDocument], text: str) -> QuerySet[SearchDocument]:
        if not text.strip():
            return documents.none()
        where, params = _per_language("vector @@ plainto_tsquery('{config}', %s)", text)
        score = (
            "CASE "
            + " ".join(
                f"WHEN language = %s THEN ts_rank_cd(vector, plainto_tsquery('{config(language)}', %s))"
                for language in _ALL_LANGUAGES
            )
            + " ELSE 0 END"
        )
        score_params = [value for language in _ALL_LANGUAGES for value in (language, text)]
        # The SQL texts name only our configurations; the words are parameters.
        matched = RawSQL(where, params, output_field=BooleanField())  # noqa: S611
        ranked = RawSQL(score, score_params, output_field=FloatField())  # noqa: S611
        return documents.filter(matched).annotate(**{SCORE: ranked})

    def similar(self, documents: QuerySet[SearchDocument], text: str) -> QuerySet[SearchDocument]:
        folded = fold(text).strip()
        if not folded:
            return documents.none()
        score = RawSQL("word_similarity(%s, title_folded)", [folded], output_field=FloatField())
        candidates = (
            documents.annotate(**{SCORE: score})
            .filter(**{f"{SCORE}__gte": FUZZY_THRESHOLD})
            .order_by(f"-{SCORE}")
            .values_list("pk", flat=True)[:SIMILAR_CANDIDATES]
        )
        return documents.filter(pk__in=list(candidates)).annotate(**{SCORE: score})
