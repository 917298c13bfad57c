"""Database triggers that keep the log append-only against every client, not only this code.

The application already refuses to change logged rows (``pregon.ledger.models``); these
triggers refuse UPDATE and DELETE on the insert-only tables, and any change to the log head
other than growing it, whoever connects: a psql session, a script, a compromised process.
Only someone allowed to change the schema (drop a trigger) can get past them, and then the
signed checkpoints and the witnesses still show the change.

The SQL is used by migration ``0002_append_only_triggers``: change it only together with a new
migration that replaces the triggers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

APPEND_ONLY_TABLES: Final = (
    "ledger_leaf",
    "ledger_node",
    "ledger_signedcheckpoint",
    "ledger_issuedcosignature",
    "ledger_receivedcosignature",
)
HEAD_TABLE: Final = "ledger_loghead"
MESSAGE: Final = "the transparency log is append-only"

_POSTGRESQL_FUNCTIONS = [
    f"""
    CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE OR REPLACE FUNCTION ledger_head_only_grows() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR NEW.size < OLD.size OR NEW.id <> OLD.id THEN
            RAISE EXCEPTION '{MESSAGE}: the log head can only grow'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
]


def _trigger_names() -> list[tuple[str, str]]:
    """(trigger name, table) pairs, the same on both databases."""
    names = [(f"{table}_append_only", table) for table in APPEND_ONLY_TABLES]
    names.append((f"{HEAD_TABLE}_only_grows", HEAD_TABLE))
    return names


def create_statements(vendor: str) -> list[str]:
    """The statements that install the triggers on ``vendor`` ("postgresql" or "sqlite")."""
    if vendor == "postgresql":
        statements = list(_POSTGRESQL_FUNCTIONS)
        for table in APPEND_ONLY_TABLES:
            statements.append(
                f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
            )
        statements.append(
            f'CREATE TRIGGER "{HEAD_TABLE}_only_grows" BEFORE UPDATE OR DELETE ON "{HEAD_TABLE}" '
            "FOR EACH ROW EXECUTE FUNCTION ledger_head_only_grows()"
        )
        return statements
    if vendor == "sqlite":
        statements = []
        for table in APPEND_ONLY_TABLES:
            for operation in ("UPDATE", "DELETE"):
                statements.append(
                    f'CREATE TRIGGER "{table}_append_only_{operation.lower()}" '
                    f'BEFORE {operation} ON "{table}" '
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {operation} on {table} refused'); END"
                )
        statements.append(
            f'CREATE TRIGGER "{HEAD_TABLE}_only_grows_update" BEFORE UPDATE ON "{HEAD_TABLE}" '
            "WHEN NEW.size < OLD.size OR NEW.id <> OLD.id "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: the log head can only grow'); END"
        )
        statements.append(
            f'CREATE TRIGGER "{HEAD_TABLE}_only_grows_delete" BEFORE DELETE ON "{HEAD_TABLE}" '
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: the log head can only grow'); END"
        )
        return statements
    return []


def drop_statements(vendor: str) -> list[str]:
    """The statements that remove the triggers (the migration's reverse)."""
    if vendor == "postgresql":
        statements = [
            f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"' for name, table in _trigger_names()
        ]
        statements += [
            "DROP FUNCTION IF EXISTS ledger_refuse_change()",
            "DROP FUNCTION IF EXISTS ledger_head_only_grows()",
        ]
        return statements
    if vendor == "sqlite":
        statements = [
            f'DROP TRIGGER IF EXISTS "{table}_append_only_{operation}"'
            for table in APPEND_ONLY_TABLES
            for operation in ("update", "delete")
        ]
        statements += [
            f'DROP TRIGGER IF EXISTS "{HEAD_TABLE}_only_grows_update"',
            f'DROP TRIGGER IF EXISTS "{HEAD_TABLE}_only_grows_delete"',
        ]
        return statements
    return []


def install(connection: Any) -> None:
    """Create the triggers on ``connection`` (a Django database connection)."""
    with connection.cursor() as cursor:
        for statement in create_statements(connection.vendor):
            cursor.execute(statement)


def remove(connection: Any) -> None:
    """Drop the triggers on ``connection``; a schema change, for migrations and test teardown."""
    with connection.cursor() as cursor:
        for statement in drop_statements(connection.vendor):
            cursor.execute(statement)


@contextmanager
def lifted(connection: Any) -> Iterator[None]:
    """Drop the triggers for the block and create them again after: for erasing a whole database.

    Only a schema change gets past the triggers, and this is one: ``pregon demo --reset`` and
    the test suite's database flush use it on throw-away databases. Nothing in the application
    uses it on a real log.
    """
    remove(connection)
    try:
        yield
    finally:
        install(connection)
