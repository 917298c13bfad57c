"""Database triggers that keep append-only tables append-only against every client.

The models refuse to change their rows in the application (``pregon.core.append_only``); the
triggers built here refuse it in the database, whoever connects: a psql session, a script, a
compromised process. Only someone allowed to change the schema (drop or disable a trigger) gets
past them, and for the transparency log the signed checkpoints and the witnesses still show the
change.

Three kinds of guard, each with the statements that install it and those that remove it (a
migration's forward and reverse):

* ``AppendOnlyTables``: row triggers refusing UPDATE and DELETE, on PostgreSQL and SQLite;
* ``OnlyGrows``: a one-row counter whose value only grows (the transparency log's head);
* ``NoTruncate``: PostgreSQL statement triggers refusing TRUNCATE, which row triggers do not
  see (``TRUNCATE … CASCADE`` included: the triggers of every table it reaches fire). SQLite has
  no TRUNCATE: its ``DELETE`` without ``WHERE`` runs the row triggers.

Other databases get no statements (the application's refusals still hold). Refusals are
``integrity_constraint_violation`` on PostgreSQL and ``RAISE(ABORT)`` on SQLite, both an
``IntegrityError`` in Django, reading ``"<message>: <operation> on <table> refused"``.

The migrations that install triggers call these builders: the SQL a builder returns for a given
guard must never change, or a fresh database would get triggers other than the ones an existing
database has. A different trigger is a new guard in a new migration.

``lifted`` gets past the triggers for erasing a whole throw-away database (``pregon demo
--reset``, the test suite's flush); nothing in the application uses it on real data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

_ERRCODE = "USING ERRCODE = 'integrity_constraint_violation'"


def _check_identifiers(*names: str) -> None:
    # The names are written into SQL as they are: refuse anything that could break out of the
    # quotes around them.
    for name in names:
        if not name or not name.replace("_", "").isalnum():
            raise ValueError(f"not a plain SQL identifier: {name!r}")


def _check_message(message: str) -> None:
    if "'" in message or "\\" in message:
        raise ValueError(f"a trigger message may not contain quotes: {message!r}")


class Guard(Protocol):
    """What a migration installs: statements to create the triggers and statements to drop them."""

    def create_statements(self, vendor: str) -> list[str]:
        """The statements that install the guard on ``vendor`` ("postgresql" or "sqlite")."""
        ...

    def drop_statements(self, vendor: str) -> list[str]:
        """The statements that remove it."""
        ...


@dataclass(frozen=True)
class AppendOnlyTables:
    """Tables whose rows are inserted once and then only read: UPDATE and DELETE are refused.

    ``name`` names the PostgreSQL function (``<name>_refuse_change()``) that ``NoTruncate`` can
    reuse; ``message`` says what is append-only ("the audit log is append-only").

    ``detachable`` are nullable foreign keys declared ``on_delete=SET_NULL``: removing the row
    they point to clears them with an UPDATE, which is let through when it sets them to NULL
    and changes nothing else. Then ``fixed`` lists every other column of the table, all of
    which such an UPDATE must leave as they are. Tables with detachable columns are compared
    column by column, so a column added later must come with a new guard that names it.
    """

    name: str
    message: str
    tables: tuple[str, ...]
    detachable: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_identifiers(self.name, *self.tables, *self.detachable, *self.fixed)
        _check_message(self.message)
        if bool(self.detachable) != bool(self.fixed):
            raise ValueError("detachable columns need the list of the fixed ones, and only they")

    @property
    def function(self) -> str:
        """The PostgreSQL trigger function that refuses the change."""
        return f"{self.name}_refuse_change"

    def create_statements(self, vendor: str) -> list[str]:
        """The statements that install the triggers on ``vendor``."""
        if vendor == "postgresql":
            statements = [self._postgresql_function()]
            statements += [
                f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION {self.function}()"
                for table in self.tables
            ]
            return statements
        if vendor == "sqlite":
            statements = []
            for table in self.tables:
                for operation in ("UPDATE", "DELETE"):
                    when = ""
                    if operation == "UPDATE" and self.detachable:
                        when = f"WHEN NOT ({self._only_detaches('IS')}) "
                    statements.append(
                        f'CREATE TRIGGER "{table}_append_only_{operation.lower()}" '
                        f'BEFORE {operation} ON "{table}" {when}'
                        f"BEGIN SELECT RAISE(ABORT, "
                        f"'{self.message}: {operation} on {table} refused'); END"
                    )
            return statements
        return []

    def drop_statements(self, vendor: str) -> list[str]:
        """The statements that remove the triggers (and, on PostgreSQL, the function)."""
        if vendor == "postgresql":
            statements = [
                f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"'
                for table in self.tables
            ]
            statements.append(f"DROP FUNCTION IF EXISTS {self.function}()")
            return statements
        if vendor == "sqlite":
            return [
                f'DROP TRIGGER IF EXISTS "{table}_append_only_{operation}"'
                for table in self.tables
                for operation in ("update", "delete")
            ]
        return []

    def _only_detaches(self, same: str) -> str:
        """The condition under which an UPDATE only clears detachable columns.

        ``same`` is the database's null-safe equality (``IS`` on SQLite, ``IS NOT DISTINCT
        FROM`` on PostgreSQL).
        """
        conditions = [f'NEW."{column}" {same} OLD."{column}"' for column in self.fixed]
        conditions += [
            f'(NEW."{column}" IS NULL OR NEW."{column}" {same} OLD."{column}")'
            for column in self.detachable
        ]
        return " AND ".join(conditions)

    def _postgresql_function(self) -> str:
        if not self.detachable:
            return f"""
    CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{self.message}: % on % refused', TG_OP, TG_TABLE_NAME
            {_ERRCODE};
    END;
    $$ LANGUAGE plpgsql
    """
        # Two IFs, not one AND: NEW and OLD are only read on an UPDATE.
        return f"""
    CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF {self._only_detaches("IS NOT DISTINCT FROM")} THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION '{self.message}: % on % refused', TG_OP, TG_TABLE_NAME
            {_ERRCODE};
    END;
    $$ LANGUAGE plpgsql
    """


@dataclass(frozen=True)
class OnlyGrows:
    """A one-row table whose ``column`` only grows and whose ``key`` never changes; no DELETE.

    ``name`` names the PostgreSQL function (``<name>_only_grows()``); ``message`` is the whole
    refusal.
    """

    name: str
    message: str
    table: str
    column: str
    key: str

    def __post_init__(self) -> None:
        _check_identifiers(self.name, self.table, self.column, self.key)
        _check_message(self.message)

    def create_statements(self, vendor: str) -> list[str]:
        """The statements that install the triggers on ``vendor``."""
        shrinks = f"NEW.{self.column} < OLD.{self.column} OR NEW.{self.key} <> OLD.{self.key}"
        if vendor == "postgresql":
            return [
                f"""
    CREATE OR REPLACE FUNCTION {self.name}_only_grows() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' OR {shrinks} THEN
            RAISE EXCEPTION '{self.message}'
                {_ERRCODE};
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
                f'CREATE TRIGGER "{self.table}_only_grows" BEFORE UPDATE OR DELETE '
                f'ON "{self.table}" FOR EACH ROW EXECUTE FUNCTION {self.name}_only_grows()',
            ]
        if vendor == "sqlite":
            return [
                f'CREATE TRIGGER "{self.table}_only_grows_update" BEFORE UPDATE ON "{self.table}" '
                f"WHEN {shrinks} "
                f"BEGIN SELECT RAISE(ABORT, '{self.message}'); END",
                f'CREATE TRIGGER "{self.table}_only_grows_delete" BEFORE DELETE ON "{self.table}" '
                f"BEGIN SELECT RAISE(ABORT, '{self.message}'); END",
            ]
        return []

    def drop_statements(self, vendor: str) -> list[str]:
        """The statements that remove the triggers (and, on PostgreSQL, the function)."""
        if vendor == "postgresql":
            return [
                f'DROP TRIGGER IF EXISTS "{self.table}_only_grows" ON "{self.table}"',
                f"DROP FUNCTION IF EXISTS {self.name}_only_grows()",
            ]
        if vendor == "sqlite":
            return [
                f'DROP TRIGGER IF EXISTS "{self.table}_only_grows_update"',
                f'DROP TRIGGER IF EXISTS "{self.table}_only_grows_delete"',
            ]
        return []


@dataclass(frozen=True)
class NoTruncate:
    """PostgreSQL statement triggers refusing TRUNCATE on ``tables``, with ``function``.

    ``function`` is an ``AppendOnlyTables.function`` installed before (it refuses whatever
    fires it, naming the operation and the table).
    """

    function: str
    tables: tuple[str, ...]

    def __post_init__(self) -> None:
        _check_identifiers(self.function, *self.tables)

    def create_statements(self, vendor: str) -> list[str]:
        """The statements that install the triggers (PostgreSQL only: SQLite has no TRUNCATE)."""
        if vendor != "postgresql":
            return []
        return [
            f'CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {self.function}()"
            for table in self.tables
        ]

    def drop_statements(self, vendor: str) -> list[str]:
        """The statements that remove them."""
        if vendor != "postgresql":
            return []
        return [
            f'DROP TRIGGER IF EXISTS "{table}_no_truncate" ON "{table}"' for table in self.tables
        ]


Migrate = Callable[[Any, Any], None]


def installer(*guards: Guard) -> Migrate:
    """A ``RunPython`` forward function that installs ``guards`` in order."""

    def install(apps: Any, schema_editor: Any) -> None:
        for guard in guards:
            for statement in guard.create_statements(schema_editor.connection.vendor):
                schema_editor.execute(statement, params=None)

    return install


def remover(*guards: Guard) -> Migrate:
    """A ``RunPython`` reverse function that removes ``guards``, the last installed first."""

    def remove(apps: Any, schema_editor: Any) -> None:
        for guard in reversed(guards):
            for statement in guard.drop_statements(schema_editor.connection.vendor):
                schema_editor.execute(statement, params=None)

    return remove


def lift(connection: Any) -> list[str]:
    """Take away every trigger on the project's tables; return the statements that restore them.

    A schema change, and the only way past the triggers: on SQLite each trigger is dropped
    (its definition kept to create it again), on PostgreSQL each enabled one is disabled.
    ``connection`` is a Django database connection.
    """
    tables = set(connection.introspection.django_table_names(only_existing=True))
    restore: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
            )
            for name, table, definition in cursor.fetchall():
                if table in tables:
                    cursor.execute(f'DROP TRIGGER "{name}"')
                    restore.append(definition)
        elif connection.vendor == "postgresql":
            # Enabled user triggers only: foreign keys are internal triggers and stay.
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND pg_table_is_visible(c.oid) "
                "ORDER BY c.relname, t.tgname"
            )
            for table, name in cursor.fetchall():
                if table in tables:
                    cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{name}"')
                    restore.append(f'ALTER TABLE "{table}" ENABLE TRIGGER "{name}"')
    return restore


def restore(connection: Any, statements: list[str]) -> None:
    """Put back the triggers ``lift`` took away (``statements`` is what it returned)."""
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@contextmanager
def lifted(connection: Any) -> Iterator[None]:
    """Every trigger taken away for the block and put back after: for erasing a whole database.

    Only ``pregon demo --reset`` and the test suite's flush use it, on throw-away databases.
    Inside a transaction, other connections never see the tables unguarded: they wait for the
    lock that the schema change takes.
    """
    statements = lift(connection)
    try:
        yield
    finally:
        restore(connection, statements)
