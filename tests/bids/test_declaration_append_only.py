"""The self-declaration signed with a bid stays as it was signed (migration 0005 of bids): raw
SQL, behind the application's back, may neither rewrite nor remove it, on SQLite and PostgreSQL.
The one change let through is the one removing the person who signed makes: clearing
`declared_by` alone (the label still names them). The model's own refusals, TRUNCATE and the
migration's reverse are the shared cases of tests/core (test_append_only, test_db_triggers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from pregon.bids.models import BidDeclaration
from pregon.core.actor import Actor
from pregon.tenders.models import Tender
from tests import factories
from tests.bids.conftest import submit, supplier_actor_of
from tests.core.test_append_only import CASES

pytestmark = pytest.mark.django_db

MESSAGE = "the self-declaration of a bid never changes"
DECLARATION = next(case for case in CASES if case.model is BidDeclaration)


def _table() -> list[dict[str, Any]]:
    return list(BidDeclaration._base_manager.order_by("pk").values())


def _db(field: str, value: Any) -> Any:
    """`value` as the database stores it in the column of `field`."""
    return BidDeclaration._meta.get_field(field).get_db_prep_save(value, connection)


def _refused(operation: str, statement: str, params: list[Any]) -> None:
    """`statement` raises the trigger's refusal of `operation` and changes nothing."""
    before = _table()
    with pytest.raises(IntegrityError) as info, transaction.atomic(), connection.cursor() as cur:
        cur.execute(statement, params)
    # PostgreSQL adds the trigger function's context on further lines.
    assert str(info.value).splitlines()[0] == (
        f"{MESSAGE}: {operation} on bids_biddeclaration refused"
    )
    assert _table() == before


@pytest.fixture
def declared(supplier_actor: Actor, tender: Tender) -> BidDeclaration:
    """The declaration of a bid submitted through the service."""
    return BidDeclaration.objects.get(bid=submit(supplier_actor, tender).bid)


def test_every_column_of_a_declaration_is_refused_a_new_value(
    declared: BidDeclaration, tender: Tender
) -> None:
    other = submit(supplier_actor_of(), tender, key="bid-2").bid
    changes = {
        "bid": other.pk,
        "version": "2027-01",
        "declared_by": factories.UserFactory().pk,
        "declared_by_label": "someone else",
        "declared_at": declared.declared_at - dt.timedelta(days=1),
    }
    # Every column of the model, not a list kept by hand.
    assert {f.name for f in BidDeclaration._meta.concrete_fields} == set(changes)
    where = [_db("bid", declared.pk)]
    for name, value in changes.items():
        column = BidDeclaration._meta.get_field(name).column
        _refused(
            "UPDATE",
            f'UPDATE bids_biddeclaration SET "{column}" = %s WHERE bid_id = %s',
            [_db(name, value), *where],
        )


def test_a_declaration_is_never_deleted(declared: BidDeclaration) -> None:
    _refused(
        "DELETE", "DELETE FROM bids_biddeclaration WHERE bid_id = %s", [_db("bid", declared.pk)]
    )
    _refused("DELETE", "DELETE FROM bids_biddeclaration", [])
    assert BidDeclaration.objects.filter(pk=declared.pk).exists()


def test_the_signer_is_cleared_only_alone(declared: BidDeclaration) -> None:
    where = [_db("bid", declared.pk)]
    _refused(
        "UPDATE",
        "UPDATE bids_biddeclaration SET declared_by_id = NULL, declared_by_label = 'x' "
        "WHERE bid_id = %s",
        where,
    )
    before = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE bids_biddeclaration SET declared_by_id = NULL WHERE bid_id = %s", where
        )
    assert _table() == [before[0] | {"declared_by_id": None}]


def test_removing_the_person_who_signed_still_works() -> None:
    # Whoever submits a bid has audit rows, which keep them (PROTECT): the shared case's row,
    # signed by a person without any, is what removing a person does to a declaration.
    signer = factories.UserFactory()
    row = DECLARATION.build()
    row.declared_by = signer  # type: ignore[attr-defined]
    row.save()
    before = _table()
    assert before[0]["declared_by_id"] == signer.pk

    signer.delete()

    assert _table() == [before[0] | {"declared_by_id": None}]
