"""A ``NodeStore`` on the ``ledger_node`` table: one query to read any proof, one to write a batch.

``MerkleLog`` asks for at most ``2 * log2 n`` nodes per root or proof and writes each batch of
appends at once, so the database sees one indexed ``SELECT`` per read and one multi-row
``INSERT`` per write (per 1,000 rows), whatever the size of the log.

The statements are written by hand rather than through the ORM, for two measured reasons (see
``benchmarks/ledger_db_bench.py``): ``bulk_create`` spends about 150 µs of Python per row
preparing values, which dominated appends; and on SQLite the ORM's composite-key lookup
``(level, index) IN ((…), …)`` is not served by the primary-key index and scans the table,
whereas an ``OR`` of equalities is (SQLite's "multi-index OR"; PostgreSQL's bitmap OR).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction

from pregon.tlog.errors import NodeStoreError
from pregon.tlog.merkle import HASH_SIZE, Node, NodeKey

# Rows per INSERT statement: well within SQLite's 32,766 and PostgreSQL's 65,535 bound values.
INSERT_CHUNK = 1000


def insert_rows(
    using: str, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert ``rows`` into ``table`` with multi-row ``INSERT`` statements, all or none.

    Inside the caller's transaction when there is one; several statements get a savepoint so a
    refusal (``IntegrityError``) leaves none of them behind.
    """
    if not rows:
        return
    connection = connections[using]
    quote = connection.ops.quote_name
    # Table and column names are this module's constants, quoted; every value is bound.
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "  # noqa: S608
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    chunks = [rows[start : start + INSERT_CHUNK] for start in range(0, len(rows), INSERT_CHUNK)]
    with transaction.atomic(using=using, savepoint=len(chunks) > 1), connection.cursor() as cursor:
        for chunk in chunks:
            params = [value for row in chunk for value in row]
            cursor.execute(head + ", ".join([placeholder] * len(chunk)), params)


class DatabaseNodeStore:
    """Perfect-subtree hashes in the ``ledger_node`` table, keyed by ``(level, index)``.

    Writes refuse a node that is already stored (``NodeStoreError``): appends are serialised
    under the log head's lock, so a duplicate can only mean a bug or tampering, and inside the
    caller's transaction the refusal undoes the whole batch.
    """

    table = "ledger_node"

    def __init__(self, using: str = DEFAULT_DB_ALIAS) -> None:
        """Use the database ``using`` (the default one unless told otherwise)."""
        self._using = using

    def get(self, level: int, index: int) -> bytes:
        """Return the hash of one node; raise ``KeyError`` when it is not stored."""
        return self.get_many([(level, index)])[0]

    def get_many(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """Return the hashes of ``keys`` in order, read with one query; ``KeyError`` if one is missing."""
        if not keys:
            return []
        wanted = list(dict.fromkeys(keys))
        connection = connections[self._using]
        quote = connection.ops.quote_name
        level, index = quote("level"), quote("index")
        condition = " OR ".join([f"({level} = %s AND {index} = %s)"] * len(wanted))
        table, value = quote(self.table), quote("hash")
        sql = f"SELECT {level}, {index}, {value} FROM {table} WHERE {condition}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for key in wanted for value in key])
            found = {(row[0], row[1]): bytes(row[2]) for row in cursor.fetchall()}
        missing = [key for key in wanted if key not in found]
        if missing:
            raise KeyError(missing[0])
        return [found[key] for key in keys]

    def put_many(self, nodes: Sequence[Node]) -> None:
        """Insert ``nodes``, all of them or none; refuse one that is already stored."""
        for level, index, value in nodes:
            if len(value) != HASH_SIZE or level < 0 or index < 0:
                msg = f"node ({level}, {index}) is not a valid {HASH_SIZE}-byte subtree hash"
                raise NodeStoreError(msg)
        try:
            insert_rows(self._using, self.table, ("level", "index", "hash"), nodes)
        except IntegrityError as error:
            msg = "a node of this batch is already stored: the log may only grow"
            raise NodeStoreError(msg) from error
