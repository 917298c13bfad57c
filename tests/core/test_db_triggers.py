"""The database refuses to change append-only rows, whoever asks (pregon.core.db_triggers).

Raw SQL through ``connection.cursor()``, behind the application's back, on every table of an
append-only model (the cases of test_append_only, which checks that they are all of them):
UPDATE and DELETE on SQLite and PostgreSQL, TRUNCATE and TRUNCATE … CASCADE on PostgreSQL.
Each refusal names the table and the operation, and leaves the table as it was.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import IntegrityError, connection, models, transaction

from pregon.bids.models import BidDeclaration
from pregon.core import db_triggers
from pregon.core.models import AuditEvent
from pregon.ledger.models import Leaf, LogHead
from pregon.publication.models import Release
from tests import factories
from tests.core.test_append_only import CASES, Case

pytestmark = pytest.mark.django_db

AUDIT = "the audit log is append-only"
LOG = "the transparency log is append-only"
RELEASES = "published releases are append-only"
# What the database says, per table: the triggers' messages are not the models' (which are
# translatable sentences); they name the operation and the table as well.
SEALED = "sealed documents, shares handed in and opened bids are append-only"
DATABASE_MESSAGES = {
    "core_auditevent": AUDIT,
    "publication_release": RELEASES,
    "bids_biddocument": SEALED,
    "bids_sharehandin": SEALED,
    "bids_openedbid": SEALED,
    "bids_biddeclaration": "the self-declaration of a bid never changes",
}


def _database_message(model: type[models.Model]) -> str:
    return DATABASE_MESSAGES.get(model._meta.db_table, LOG)


def _table(model: type[models.Model]) -> list[dict[str, Any]]:
    return list(model._base_manager.order_by("pk").values())


def _where(row: models.Model) -> tuple[str, list[Any]]:
    """A WHERE clause that selects ``row`` by its primary key (composite for log nodes)."""
    fields = row._meta.pk_fields
    clause = " AND ".join(f'"{field.column}" = %s' for field in fields)
    # As the database stores them (a bid's UUID is text on SQLite).
    return clause, [
        field.get_db_prep_value(getattr(row, field.attname), connection) for field in fields
    ]


def _stored(case: Case) -> models.Model:
    case.build().save()
    return case.model._base_manager.get()


def _refused(statement: str, params: list[Any] | None = None) -> str:
    """Run ``statement`` in a savepoint; it must raise IntegrityError. Returns the message.

    PostgreSQL adds the trigger function's context on further lines: only the first one is
    the message.
    """
    with pytest.raises(IntegrityError) as info, transaction.atomic(), connection.cursor() as cur:
        cur.execute(statement, params)
    return str(info.value).splitlines()[0]


def _accepted(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def postgresql() -> Iterator[None]:
    """PostgreSQL only, with the foreign-key checks of the test's own inserts already run."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "TRUNCATE is PostgreSQL's; on SQLite, DELETE without WHERE runs the row triggers"
        )
    _run_deferred_checks()
    yield


def _run_deferred_checks() -> None:
    """On PostgreSQL, run now the foreign-key checks deferred to the test transaction's commit.

    While they are pending, PostgreSQL refuses TRUNCATE and ALTER TABLE on the table ("pending
    trigger events") before asking any trigger; on committed data, as in real use, there are
    none.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# ---------------------------------------------------------------------------------------------
# every append-only table


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_raw_update_is_refused(case: Case) -> None:
    row = _stored(case)
    table = case.model._meta.db_table
    where, key = _where(row)
    column = case.model._meta.get_field(case.field).column
    value = case.model._meta.get_field(case.field).get_db_prep_save(case.value, connection)
    before = _table(case.model)

    message = _refused(f'UPDATE "{table}" SET "{column}" = %s WHERE {where}', [value, *key])

    assert message == f"{_database_message(case.model)}: UPDATE on {table} refused"
    assert _table(case.model) == before


@pytest.mark.parametrize("statement", ["DELETE FROM {table} WHERE {where}", "DELETE FROM {table}"])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_raw_delete_is_refused(case: Case, statement: str) -> None:
    row = _stored(case)
    table = case.model._meta.db_table
    where, key = _where(row)
    before = _table(case.model)

    message = _refused(
        statement.format(table=f'"{table}"', where=where), key if "WHERE" in statement else None
    )

    assert message == f"{_database_message(case.model)}: DELETE on {table} refused"
    assert _table(case.model) == before
    assert len(before) == 1


@pytest.mark.parametrize("statement", ["TRUNCATE {table}", "TRUNCATE {table} CASCADE"])
@pytest.mark.parametrize("case", CASES, ids=str)
@pytest.mark.usefixtures("postgresql")
def test_a_truncate_is_refused(case: Case, statement: str) -> None:
    _stored(case)
    table = case.model._meta.db_table
    before = _table(case.model)

    message = _refused(statement.format(table=f'"{table}"'))

    assert message == f"{_database_message(case.model)}: TRUNCATE on {table} refused"
    assert _table(case.model) == before


REFERRING = [case for case in CASES if any(f.many_to_one for f in case.model._meta.concrete_fields)]


@pytest.mark.parametrize("case", REFERRING, ids=str)
@pytest.mark.usefixtures("postgresql")
def test_a_truncate_cascading_from_a_referenced_table_is_refused(case: Case) -> None:
    # TRUNCATE of the table a row points to, CASCADE: PostgreSQL empties the append-only table
    # with it, and runs its TRUNCATE trigger.
    _stored(case)
    before = _table(case.model)
    for field in case.model._meta.concrete_fields:
        if not field.many_to_one:
            continue
        referenced = field.related_model._meta.db_table

        message = _refused(f'TRUNCATE "{referenced}" CASCADE')

        # The cascade may reach other append-only tables too (a sealed bid, say), whose
        # trigger may fire first, with its own message.
        assert re.fullmatch(r"[a-z ,-]+: TRUNCATE on [a-z_]+ refused", message), message
        assert _table(case.model) == before


# ---------------------------------------------------------------------------------------------
# the audit log: removing an organization clears the link to it, nothing else changes


def _cleared_on_delete(field: Any) -> bool:
    """Whether removing the row ``field`` points to clears it (``on_delete=SET_NULL``)."""
    return field.many_to_one and field.remote_field.on_delete is models.SET_NULL


LINKS = [field for field in AuditEvent._meta.concrete_fields if field.many_to_one]


@pytest.fixture
def two_events() -> tuple[AuditEvent, AuditEvent]:
    """Two audit rows that differ in every column, the first with no person or organization."""
    first = CASES[0].build()
    first.save()
    second = AuditEvent(
        created_at=first.created_at + dt.timedelta(days=1),
        actor=factories.UserFactory(),
        actor_label="someone@example.org",
        organization=factories.BuyerFactory(),
        channel="web",
        action="tender.publish",
        object_type="organizations.organization",
        object_id="2",
        object_repr="T-2",
        summary={"title": "changed"},
        ip_address="192.0.2.1",
    )
    second.save()
    return AuditEvent.objects.get(pk=first.pk), AuditEvent.objects.get(pk=second.pk)


@pytest.mark.parametrize(
    "column", [field.column for field in AuditEvent._meta.concrete_fields], ids=str
)
def test_no_column_of_an_audit_row_may_be_rewritten(
    two_events: tuple[AuditEvent, AuditEvent], column: str
) -> None:
    # Every column the model has, not a list kept by hand: a column the triggers do not name
    # would be one an UPDATE could change. Links included: the first row gets someone's.
    first, second = two_events
    field = next(f for f in AuditEvent._meta.concrete_fields if f.column == column)
    value = field.get_db_prep_save(getattr(second, field.attname), connection)
    assert getattr(first, field.attname) != getattr(second, field.attname)
    before = _table(AuditEvent)

    message = _refused(
        f'UPDATE core_auditevent SET "{column}" = %s WHERE id = %s', [value, first.pk]
    )

    assert message == f"{AUDIT}: UPDATE on core_auditevent refused"
    assert _table(AuditEvent) == before


@pytest.mark.parametrize("field", LINKS, ids=lambda field: field.column)
def test_a_link_is_cleared_only_as_removing_what_it_points_to_does(
    two_events: tuple[AuditEvent, AuditEvent], field: Any
) -> None:
    _first, second = two_events
    before = _table(AuditEvent)
    update = f'UPDATE core_auditevent SET "{field.column}" = NULL'

    message = _refused(f"{update}, action = 'x' WHERE id = %s", [second.pk])
    assert message == f"{AUDIT}: UPDATE on core_auditevent refused"
    assert _table(AuditEvent) == before

    if _cleared_on_delete(field):
        _accepted(f"{update} WHERE id = %s", [second.pk])
        assert _table(AuditEvent) == [before[0], before[1] | {field.attname: None}]
    else:
        # Never removed (PROTECT): nothing ever clears it.
        assert _refused(f"{update} WHERE id = %s", [second.pk]) == message
        assert _table(AuditEvent) == before


@pytest.mark.parametrize(
    "field", [field for field in LINKS if _cleared_on_delete(field)], ids=lambda f: f.column
)
def test_removing_what_an_audit_row_points_to_still_works_with_the_triggers(
    two_events: tuple[AuditEvent, AuditEvent], field: Any
) -> None:
    _first, second = two_events
    before = _table(AuditEvent)
    getattr(second, field.name).delete()
    assert _table(AuditEvent) == [before[0], before[1] | {field.attname: None}]


# ---------------------------------------------------------------------------------------------
# the migrations, and the way past the triggers


class _Editor:
    """What the migrations' RunPython functions use of a schema editor, inside the test's
    transaction (SQLite's real one refuses to open there)."""

    def __init__(self) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


# Each app's trigger migrations, in the order migrate applies them, and a model they guard.
MIGRATIONS = {
    "core": (["core.migrations.0003_audit_append_only_triggers"], AuditEvent),
    "publication": (["publication.migrations.0002_release_append_only_triggers"], Release),
    "ledger": (
        ["ledger.migrations.0002_append_only_triggers", "ledger.migrations.0003_truncate_triggers"],
        Leaf,
    ),
    "bids": (["bids.migrations.0005_bid_declaration_append_only"], BidDeclaration),
}


@pytest.mark.parametrize("app", MIGRATIONS)
def test_the_trigger_migrations_are_reversible(app: str) -> None:
    modules, model = MIGRATIONS[app]
    operations = [
        operation
        for module in modules
        for operation in importlib.import_module(f"pregon.{module}").Migration.operations
    ]
    case = next(case for case in CASES if case.model is model)
    table = model._meta.db_table
    message = f"{_database_message(model)}: DELETE on {table} refused"
    _stored(case)
    with transaction.atomic():
        for operation in reversed(operations):
            operation.reverse_code(None, _Editor())
        _accepted(f'DELETE FROM "{table}"')
        assert _table(model) == []

        for operation in operations:
            operation.code(None, _Editor())
        _stored(case)
        assert _refused(f'DELETE FROM "{table}"') == message
        assert len(_table(model)) == 1


def test_lifted_takes_every_trigger_away_for_the_block_only() -> None:
    for case in CASES:
        _stored(case)
    LogHead.objects.create(size=1)
    _run_deferred_checks()
    with transaction.atomic(), db_triggers.lifted(connection), connection.cursor() as cursor:
        cursor.execute("UPDATE publication_release SET data = '{}' WHERE seq = 1")
        cursor.execute("UPDATE ledger_loghead SET size = 0")
        for case in CASES:
            cursor.execute(f'DELETE FROM "{case.model._meta.db_table}"')
    assert [case.model._base_manager.count() for case in CASES] == [0] * len(CASES)
    assert _refused("DELETE FROM ledger_loghead") == f"{LOG}: the log head can only grow"
    Release(
        seq=2, release_id="r-2", ocid="o", date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        tag=[], data="{}", sha256="0" * 64, leaf_index=0,
    ).save()  # fmt: skip
    assert _refused("DELETE FROM publication_release") == (
        f"{RELEASES}: DELETE on publication_release refused"
    )


# ---------------------------------------------------------------------------------------------
# the statements


def test_the_statements_for_a_table_without_detachable_columns() -> None:
    guard = db_triggers.AppendOnlyTables(name="app_thing", message="things stay", tables=("t",))
    assert guard.create_statements("sqlite") == [
        'CREATE TRIGGER "t_append_only_update" BEFORE UPDATE ON "t" '
        "BEGIN SELECT RAISE(ABORT, 'things stay: UPDATE on t refused'); END",
        'CREATE TRIGGER "t_append_only_delete" BEFORE DELETE ON "t" '
        "BEGIN SELECT RAISE(ABORT, 'things stay: DELETE on t refused'); END",
    ]
    assert guard.create_statements("postgresql")[1:] == [
        'CREATE TRIGGER "t_append_only" BEFORE UPDATE OR DELETE ON "t" '
        "FOR EACH ROW EXECUTE FUNCTION app_thing_refuse_change()"
    ]
    assert guard.drop_statements("postgresql") == [
        'DROP TRIGGER IF EXISTS "t_append_only" ON "t"',
        "DROP FUNCTION IF EXISTS app_thing_refuse_change()",
    ]
    assert guard.create_statements("mysql") == guard.drop_statements("mysql") == []
    no_truncate = db_triggers.NoTruncate(function=guard.function, tables=("t",))
    assert no_truncate.create_statements("postgresql") == [
        'CREATE TRIGGER "t_no_truncate" BEFORE TRUNCATE ON "t" '
        "FOR EACH STATEMENT EXECUTE FUNCTION app_thing_refuse_change()"
    ]
    assert no_truncate.create_statements("sqlite") == no_truncate.drop_statements("sqlite") == []


def test_a_table_with_detachable_columns_compares_every_other_one() -> None:
    guard = db_triggers.AppendOnlyTables(
        name="x", message="kept", tables=("t",), detachable=("who_id",), fixed=("id", "what")
    )
    assert guard.create_statements("sqlite")[0] == (
        'CREATE TRIGGER "t_append_only_update" BEFORE UPDATE ON "t" WHEN NOT '
        '(NEW."id" IS OLD."id" AND NEW."what" IS OLD."what" AND '
        '(NEW."who_id" IS NULL OR NEW."who_id" IS OLD."who_id")) '
        "BEGIN SELECT RAISE(ABORT, 'kept: UPDATE on t refused'); END"
    )


DETACHABLE = "detachable columns need the list of the fixed ones, and only they"


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"message": "it's"}, 'a trigger message may not contain quotes: "it\'s"'),
        (
            {"tables": ('t"; DROP TABLE t; --',)},
            "not a plain SQL identifier: 't\"; DROP TABLE t; --'",
        ),
        ({"name": "x y"}, "not a plain SQL identifier: 'x y'"),
        ({"detachable": ("a",)}, DETACHABLE),
        ({"fixed": ("a",)}, DETACHABLE),
    ],
)
def test_a_guard_refuses_names_and_messages_that_would_not_stay_inside_their_quotes(
    arguments: dict[str, Any], error: str
) -> None:
    with pytest.raises(ValueError) as info:
        db_triggers.AppendOnlyTables(
            **({"name": "x", "message": "m", "tables": ("t",)} | arguments)
        )
    assert str(info.value) == error
