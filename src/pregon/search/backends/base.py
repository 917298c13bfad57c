"""The one interface both full-text back ends implement (SQLite FTS5, PostgreSQL full text).

A back end keeps its full-text structures beside `SearchDocument` rows (same ids) and answers
two questions about a query text: which documents match, ranked (`match`), and, when none do,
which titles are close to it letter by letter (`similar`, trigrams). Facets are ordinary
column filters on `SearchDocument` and are applied by the selectors, the same on both.
"""

from __future__ import annotations

from typing import Protocol

from django.db.models import QuerySet

from pregon.search.models import SearchDocument

#: The annotation `match` and `similar` add: higher is better.
SCORE = "score"
#: How many trigram candidates `similar` looks at before ranking them.
SIMILAR_CANDIDATES = 200


class SearchBackend(Protocol):
    """A full-text back end (see the module's docstring)."""

    vendor: str

    def index(self, document: SearchDocument) -> None:
        """Write (or rewrite) the full-text entry of `document`, saved just before."""

    def clear(self) -> None:
        """Remove every full-text entry (before a reindex)."""

    def match(self, documents: QuerySet[SearchDocument], text: str) -> QuerySet[SearchDocument]:
        """`documents` that match `text` in their own language, annotated with `score`."""

    def similar(self, documents: QuerySet[SearchDocument], text: str) -> QuerySet[SearchDocument]:
        """`documents` whose title is similar to `text` (misspellings), annotated with `score`."""
