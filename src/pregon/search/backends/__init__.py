"""The full-text back end of the current database (see `base.SearchBackend`)."""

from __future__ import annotations

from django.db import connection

from pregon.search.backends.base import SearchBackend
from pregon.search.backends.postgresql import PostgresBackend
from pregon.search.backends.sqlite_fts5 import SqliteFts5Backend

_BACKENDS: dict[str, SearchBackend] = {
    "sqlite": SqliteFts5Backend(),
    "postgresql": PostgresBackend(),
}


def backend() -> SearchBackend:
    """The back end for the default database's vendor."""
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise RuntimeError(f"search has no back end for {connection.vendor}") from None
