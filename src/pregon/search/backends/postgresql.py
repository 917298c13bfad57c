"""PostgreSQL full text: the production back end.

The migrations create, on PostgreSQL only: the `unaccent` and `pg_trgm` extensions; one text
search configuration per language (`pregon_en`, `pregon_es`, `pregon_pt`, `pregon_fr`, and
`pregon_none` without stemming), each the built-in one with `unaccent` before its stemmer, so
accents are folded before stemming as on SQLite; a GIN index on `SearchDocument.vector` (its
pending list kept small: a search reads it whole); and a GIN trigram index on the vocabulary's
words (`SearchWord.word`).

`vector` (`VECTOR_SQL`, without positions: no query uses them) holds, in the document's own
configuration, the words of the title and the searched text; one lexeme per word of the title,
`zt` and the word's lexeme in hexadecimal; and the SQLite back end's facet tokens
(`base.document_tokens`: one per facet value, every classification prefix, "za" that every
document has). A query word matches any of its stems in the four languages, and a facet filter
is one more lexeme, so words and equality filters are one GIN query:
`'zc434c' & ('hospital' | 'hospit')`; "every word in the title" is the same with the title
lexemes (`'zc434c' & ('zt…' | 'zt…')`), a plain GIN query too (a weight-restricted one would
recheck every match's vector). The value and closing date ranges are the documents' columns.

A search is one statement (`_Search.run`), plus one to parse the words this process has not
met before (`_parsed`, cached) and, rarely, one for a page beyond the rows it read. It reads the
matches from the GIN index's bitmap (never by a sequential scan: `enable_seqscan` is off for that
statement), up to `few_limit` + 1 (more than `COUNT_LIMIT`, which the
count needs; PostgreSQL reads each match's row even to count it). When they are all there, the
count, the newest `FACET_SAMPLE` and the page are sorted from them; else the id index is walked
from the newest match to the `FACET_SAMPLE`th, where the page is found too (the newest title
matches, then the others), and an order by date or value walks its own index. No score is
computed over the matches (see `base`). Misspellings: the vocabulary's words whose pg_trgm
`word_similarity` with the query word reaches the threshold (the `%>` operator, with the
trigram index; one statement for every word of a query), the only use of trigrams.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Case, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from pregon.search.backends.base import (
    ALL_LANGUAGES,
    BODY_SCORE,
    COUNT_LIMIT,
    FACET_SAMPLE,
    SCORE,
    SIMILAR_CANDIDATES,
    TITLE_SCORE,
    Find,
    Found,
    correctable,
    find_relational,
    nearest,
    query_tokens,
)
from pregon.search.models import SearchCode, SearchDocument, SearchWord
from pregon.search.text import FUZZY_THRESHOLD, facet_token, words

_TABLE = SearchDocument._meta.db_table
_WORDS = SearchWord._meta.db_table
_CODES = SearchCode._meta.db_table
#: The configuration of the document `d`'s language.
_CONFIG = (
    "(CASE d.language WHEN 'en' THEN 'pregon_en' WHEN 'es' THEN 'pregon_es'"
    " WHEN 'pt' THEN 'pregon_pt' WHEN 'fr' THEN 'pregon_fr' ELSE 'pregon_none' END)::regconfig"
)
#: The facet columns in `base.FACET_LETTERS`' letters (`document_tokens`, computed in SQL).
_FACET_COLUMNS = (
    ("b", "buyer_id"),
    ("r", "region"),
    ("c", "country"),
    ("m", "method"),
    ("k", "category"),
    ("s", "status"),
    ("l", "language"),
)
#: The title lexeme of a word's lexeme (and, as `_hex`, of a facet value): letter, hexadecimal.
_TITLE = "t"


def _hex(value: str) -> str:
    return f"encode(convert_to({value}, 'UTF8'), 'hex')"


#: The vector of the row `d` of the documents' table: its words (no positions), the lexemes of
#: its title's words, its facet tokens (`base.document_tokens`, the same as SQLite's).
VECTOR_SQL = (
    f"strip(to_tsvector({_CONFIG}, d.title) || to_tsvector({_CONFIG}, d.body))"  # noqa: S608
    " || array_to_tsvector(array_remove(ARRAY['za', "
    + ", ".join(
        f"CASE WHEN d.{column} <> '' THEN 'z{letter}' || {_hex('d.' + column)} END"
        for letter, column in _FACET_COLUMNS
    )
    + ", CASE WHEN d.reserved_msme THEN 'zv31' ELSE 'zv30' END], NULL)"  # noqa: S608
    f" || ARRAY(SELECT 'z{_TITLE}' || {_hex('lexeme')} FROM"
    f" unnest(tsvector_to_array(to_tsvector({_CONFIG}, d.title))) AS lexeme)"
    f" || ARRAY(SELECT token FROM {_CODES} AS code CROSS JOIN LATERAL (VALUES"
    f" ('zq' || {_hex('code.prefix')}), ('zx' || {_hex("code.scheme || ' ' || code.prefix")}))"
    " AS tokens (token) WHERE code.document_id = d.id))"
)
#: The orders other than relevance (ties broken by the id), on the documents' table and on the
#: few matches read into `few`.
_ORDER_SQL = {
    "closing": "closing_at, id",
    "newest": "date DESC, id DESC",
    "value": "value_amount DESC, id",
}
#: How many parsed words the process keeps (a word's lexemes never change: the configurations
#: are the migrations').
_PARSED_KEPT = 10_000
#: How much more reading one row costs when walking the id index than when reading the rows of
#: the GIN index's bitmap (`few_limit`): about the same, a heap row either way.
_WALK_COST = 1


def config(language: str) -> str:
    """The text search configuration of a document language."""
    return f"pregon_{language or 'none'}"


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


class PostgresBackend:
    """The `SearchBackend` of PostgreSQL (see the module's docstring)."""

    vendor = "postgresql"

    def __init__(self) -> None:
        # Each word's lexemes in each of ALL_LANGUAGES (empty: a stop word of that language).
        self._lexemes: dict[str, tuple[tuple[str, ...], ...]] = {}
        # The planner's estimate of the number of documents, as the last search read it.
        self._documents = 0.0

    # -- writing

    def index(self, document: SearchDocument) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {_TABLE} AS d SET vector = {VECTOR_SQL} WHERE d.id = %s",  # noqa: S608
                [document.pk],
            )

    def index_many(self, documents: Sequence[SearchDocument]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {_TABLE} AS d SET vector = {VECTOR_SQL} WHERE d.id = ANY(%s)",  # noqa: S608
                [[document.pk for document in documents]],
            )

    def clear(self) -> None:
        SearchDocument.objects.update(vector=None)

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            # New entries wait in the GIN index's pending list, which every search reads whole.
            cursor.execute("SELECT gin_clean_pending_list('search_document_vector')")
            for model in (SearchDocument, SearchCode, SearchWord):
                cursor.execute(f"ANALYZE {model._meta.db_table}")

    # -- reading

    def _parsed(self, words: Sequence[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
        """Each word's lexemes in each language's configuration (one statement for the words
        not met before)."""
        new = [word for word in dict.fromkeys(words) if word not in self._lexemes]
        if new:
            columns = ", ".join(
                f"tsvector_to_array(to_tsvector('{config(language)}', %s))"
                for _word in new
                for language in ALL_LANGUAGES
            )
            with connection.cursor() as cursor:
                # Only our configurations' names are in the SQL; the words are parameters.
                cursor.execute(
                    f"SELECT {columns}", [word for word in new for _language in ALL_LANGUAGES]
                )
                row = cursor.fetchone()
            if len(self._lexemes) + len(new) > _PARSED_KEPT:
                self._lexemes.clear()
            size = len(ALL_LANGUAGES)
            for number, word in enumerate(new):
                self._lexemes[word] = tuple(
                    tuple(lexemes) for lexemes in row[number * size : (number + 1) * size]
                )
        return {word: self._lexemes[word] for word in words}

    def tsqueries(self, tokens: Sequence[str], groups: Sequence[Sequence[str]]) -> tuple[str, str]:
        """The texts of the `tsquery` values of a search: every facet token and, for each
        group (a query word's alternatives), one of its words in any language's stem; and the
        same in the title. Lexemes are put together without repeats (the planner estimates
        "a | a | a" as three times "a"). A word that is a stop word in one of the languages is
        left out, as PostgreSQL leaves it out of that language's vectors (SQLite keeps every
        word): ("", "") when every word is one."""
        parsed = self._parsed([word for group in groups for word in group])
        anywhere = [_quoted(token) for token in tokens]
        in_title = list(anywhere)
        kept = 0
        for group in groups:
            found = [lexemes for word in group for lexemes in parsed[word]]
            if not all(found):
                continue
            kept += 1
            for parts, title in ((anywhere, False), (in_title, True)):
                alternatives = {
                    "("
                    + " & ".join(
                        _quoted(facet_token(_TITLE, lexeme) if title else lexeme)
                        for lexeme in lexemes
                    )
                    + ")": None
                    for lexemes in found
                }
                parts.append("(" + " | ".join(alternatives) + ")")
        if groups and not kept:
            return "", ""
        return " & ".join(anywhere), " & ".join(in_title)

    def find(self, find: Find) -> Found:
        tokens = query_tokens(find)
        if not tokens and not find.words:
            return find_relational(find, find.documents, None)
        anywhere, in_title = self.tsqueries(tokens, find.words)
        if not anywhere:
            return Found(ids=[], scores={}, total=0, total_exact=True, sample=[])
        search = _Search(find, anywhere, in_title if find.words else "", self._documents)
        found, self._documents = search.run()
        return found

    def corrections(self, words: Sequence[str]) -> list[list[str]]:
        looked_up = [word for word in dict.fromkeys(words) if correctable(word)]
        candidates: dict[str, list[str]] = {word: [] for word in looked_up}
        if looked_up:
            each = (
                f"(SELECT %s, word FROM {_WORDS} WHERE word %%> %s"  # noqa: S608
                " ORDER BY word_similarity(%s, word) DESC LIMIT %s)"
            )
            with connection.cursor() as cursor:
                # The operator's threshold for this statement's transaction (a little lower:
                # `nearest` keeps those reaching FUZZY_THRESHOLD, computed the same on both back
                # ends), sent with it as one (see `_Search.run`).
                cursor.execute(
                    "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true); "
                    + " UNION ALL ".join([each] * len(looked_up)),
                    [
                        str(FUZZY_THRESHOLD - 0.01),
                        *(
                            value
                            for word in looked_up
                            for value in (word, word, word, SIMILAR_CANDIDATES)
                        ),
                    ],
                )
                cursor.nextset()
                for word, candidate in cursor.fetchall():
                    candidates[word].append(candidate)
        return [nearest(word, candidates[word]) if word in candidates else [word] for word in words]

    # -- as QuerySets

    def _matching(
        self, documents: QuerySet[SearchDocument], groups: list[list[str]]
    ) -> QuerySet[SearchDocument]:
        anywhere, in_title = self.tsqueries([], groups) if groups and all(groups) else ("", "")
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


def _condition(query: str) -> Q:
    return Q(RawSQL("vector @@ %s::tsquery", [query], output_field=BooleanField()))


def few_limit(documents: float) -> int:
    """Up to how many matches reading them all is quicker than walking the id index to the
    newest `FACET_SAMPLE` in a table of about `documents` rows: reading m matches costs m rows,
    walking costs about FACET_SAMPLE * documents / m rows of `_WALK_COST` each (its row read
    and its vector checked). Never under `COUNT_LIMIT`, which the count needs read anyway."""
    return max(COUNT_LIMIT, int(math.sqrt(FACET_SAMPLE * _WALK_COST * max(documents, 0))))


#: The largest LIMIT PostgreSQL takes.
_BIGINT_MAX = 2**63 - 1


class _Search:
    """The statement of one search (see the module's docstring) and the reading of its rows."""

    def __init__(self, find: Find, anywhere: str, in_title: str, documents: float) -> None:
        self.find = find
        self.anywhere = anywhere
        self.in_title = in_title
        # Within PostgreSQL's bigint: an offset near its top (the API allows it) plus the limit.
        self.end = min(find.offset + find.limit, _BIGINT_MAX)
        self.relevance = find.order == "relevance" and bool(in_title)
        self.few_limit = few_limit(documents)
        #: How many of the newest matches are read when there are many.
        self.newest = max(FACET_SAMPLE, self.end)
        self.ranges = ""
        self.ranges_params: list[Any] = []
        if find.has_ranges:
            query = find.ranges.query
            ranges, params = query.get_compiler(connection=connection).compile(query.where)
            self.ranges = " AND " + ranges.replace(f'"{_TABLE}".', "d.")
            self.ranges_params = list(params)
        self.where = "d.vector @@ %s::tsquery" + self.ranges
        self.params = [anywhere, *self.ranges_params]

    def run(self) -> tuple[Found, float]:
        """The answer, and the planner's estimate of the number of documents."""
        find = self.find
        title, title_params = "false", []
        if self.in_title:
            title, title_params = "d.vector @@ %s::tsquery", [self.in_title]
        order = _ORDER_SQL.get(find.order, _ORDER_SQL["closing"])
        page_order = "t DESC, id DESC" if self.relevance else order
        few = f"(SELECT n FROM counted) <= {self.few_limit}"  # noqa: S608
        # `few`: the matches, up to one more than few_limit (one scan of the GIN index's
        # bitmap); when they are all there, the count, the sample and the page come from them.
        # Else `newest` walks the id index from the newest match (and the other orders theirs).
        # Only our table, columns, orders and numbers are in the text; the values are parameters.
        sql = f"""
            WITH few AS MATERIALIZED (
                SELECT d.id, {title} AS t, d.closing_at, d.date, d.value_amount
                FROM {_TABLE} AS d WHERE {self.where} LIMIT {max(self.few_limit, COUNT_LIMIT) + 1}
            ),
            counted AS (SELECT count(*) AS n FROM few),
            newest AS MATERIALIZED (
                SELECT d.id, {title} AS t FROM {_TABLE} AS d
                WHERE NOT {few} AND {self.where}
                ORDER BY d.id DESC LIMIT {self.newest}
            )
            SELECT 0, n, {few}, (
                SELECT reltuples FROM pg_class WHERE oid = '{_TABLE}'::regclass
            ) FROM counted
            UNION ALL
            SELECT 1, id, t, 0 FROM (
                SELECT id, t FROM few WHERE {few} ORDER BY id DESC LIMIT {FACET_SAMPLE}
            ) AS sample
            UNION ALL
            SELECT 1, id, t, 0 FROM newest
            UNION ALL
            SELECT 2, id, t, row_number() OVER () FROM (
                SELECT id, t FROM few WHERE {few} ORDER BY {page_order} OFFSET %s LIMIT %s
            ) AS page
        """  # noqa: S608
        params = [
            *title_params,
            *self.params,
            *title_params,
            *self.params,
            find.offset,
            find.limit,
        ]
        if not self.relevance:
            sql += f"""
                UNION ALL
                SELECT 2, id, false, row_number() OVER () FROM (
                    SELECT d.id FROM {_TABLE} AS d WHERE NOT {few} AND {self.where}
                    ORDER BY {", ".join("d." + part for part in order.split(", "))}
                    OFFSET %s LIMIT %s
                ) AS page
            """  # noqa: S608
            params += [*self.params, find.offset, find.limit]
        with transaction.atomic(), connection.cursor() as cursor:
            # The matches of a common word are read from the GIN index's bitmap, never by a
            # sequential scan that stops at few_limit + 1 matches: the planner prices the two
            # alike, but the scan checks every row it meets (3 times slower for `hospital`,
            # 38% of the documents). The setting is for this statement only (SET LOCAL, in a
            # transaction of its own or a savepoint, put back before the next statement).
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
        documents = next(float(size) for kind, _n, _few, size in rows if kind == 0)
        return self._found(rows), documents

    def _found(self, rows: list[tuple[int, int, bool, Any]]) -> Found:
        total, read_all = next((value, few) for kind, value, few, _size in rows if kind == 0)
        matches = [(pk, title) for kind, pk, title, _number in rows if kind == 1]
        page = sorted((number, pk, title) for kind, pk, title, number in rows if kind == 2)
        sample = [pk for pk, _title in matches[:FACET_SAMPLE]]
        if read_all or not self.relevance:
            # Every match was read (their page sorted with them), or an order of their rows.
            ids = [pk for _number, pk, _title in page]
            titles = {pk for _number, pk, title in page if title}
        else:
            ids, titles = self._newest_page(matches)
        scores = {
            pk: (TITLE_SCORE if pk in titles else BODY_SCORE) if self.relevance else 0.0
            for pk in ids
        }
        return Found(
            ids=ids,
            scores=scores,
            total=min(total, COUNT_LIMIT),
            total_exact=total <= COUNT_LIMIT,
            sample=sample,
        )

    def _newest_page(self, matches: list[tuple[int, bool]]) -> tuple[list[int], set[int]]:
        """The page of a search by relevance with many matches, from the newest ones read (its
        title matches, then the others, each newest first): the newest matches are the first
        of either kind, so only a page beyond them is read again."""
        find = self.find
        if not matches:
            return [], set()
        first = [pk for pk, title in matches if title][: self.end]
        oldest = matches[-1][0]
        # Fewer rows than asked for: the walk met every match, none is older.
        every = len(matches) < self.newest
        if len(first) < self.end and not every:
            first += self._older(self.in_title, oldest, self.end - len(first))
        ids = first[find.offset :]
        if len(first) < self.end:
            skip = max(0, find.offset - len(first))
            wanted = find.limit - len(ids)
            rest = [pk for pk, title in matches if not title]
            if len(rest) < skip + wanted and not every:
                rest += self._older(
                    f"({self.anywhere}) & !({self.in_title})", oldest, skip + wanted - len(rest)
                )
            ids += rest[skip : skip + wanted]
        return ids, set(first)

    def _older(self, query: str, before: int, limit: int) -> list[int]:
        """The newest `limit` ids below `before` matching `query` and the ranges."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.id FROM {_TABLE} AS d WHERE d.vector @@ %s::tsquery{self.ranges}"  # noqa: S608
                " AND d.id < %s ORDER BY d.id DESC LIMIT %s",
                [query, *self.ranges_params, before, limit],
            )
            return [row[0] for row in cursor.fetchall()]
