"""Database triggers that keep what was sealed as it was sealed, against every client.

* ``bids_bid``: DELETE is refused; an UPDATE is let through only when it leaves the envelope,
  the commitment, the submission's leaf, receipt and time, the supplier, the person, the
  idempotency key and the bid it replaces as they are, writes the withdrawal's time, leaf,
  receipt and key at most once, and moves the status only away from "submitted" (the
  transitions of ``choices.TRANSITIONS``: no bid ever comes back).
* ``bids_biddocument``, ``bids_sharehandin``, ``bids_openedbid``: append-only (UPDATE and
  DELETE refused), like the audit log.
* TRUNCATE of these four tables is refused on PostgreSQL.

The SQL is written out here, as the migration installs it: it must never change (a different
guard is a new migration), and the columns are those of migration 0001.
"""

from dataclasses import dataclass

from django.db import migrations

from pregon.core import db_triggers

_MESSAGE = "a sealed bid never changes"
_ERRCODE = "USING ERRCODE = 'integrity_constraint_violation'"
_FIXED = (
    "id",
    "tender_id",
    "supplier_id",
    "submitted_by_id",
    "idempotency_key",
    "envelope",
    "commitment",
    "leaf_index",
    "receipt",
    "received_at",
    "replaces_id",
)
# Empty (NULL, or '' for texts) until the withdrawal writes them, then fixed.
_ONCE = (
    ("withdrawn_at", "NULL"),
    ("withdraw_leaf_index", "NULL"),
    ("withdraw_idempotency_key", "''"),
    ("withdraw_receipt", "''"),
)


def _allowed_update(same: str) -> str:
    """The condition an UPDATE of a bid must meet (``same``: the null-safe equality)."""
    conditions = [f'NEW."{column}" {same} OLD."{column}"' for column in _FIXED]
    for column, empty in _ONCE:
        old_empty = f'OLD."{column}" IS NULL' if empty == "NULL" else f'OLD."{column}" = {empty}'
        conditions.append(f'({old_empty} OR NEW."{column}" {same} OLD."{column}")')
    conditions.append(f"(OLD.\"status\" = 'submitted' OR NEW.\"status\" {same} OLD.\"status\")")
    return " AND ".join(conditions)


@dataclass(frozen=True)
class SealedBidGuard:
    """The triggers of ``bids_bid`` (a ``pregon.core.db_triggers.Guard``)."""

    function: str = "bids_bid_refuse_change"

    def create_statements(self, vendor: str) -> list[str]:
        """The statements that install the triggers on ``vendor``."""
        if vendor == "postgresql":
            return [
                f"""
    CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF {_allowed_update("IS NOT DISTINCT FROM")} THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION '{_MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME
            {_ERRCODE};
    END;
    $$ LANGUAGE plpgsql
    """,
                'CREATE TRIGGER "bids_bid_sealed" BEFORE UPDATE OR DELETE ON "bids_bid" '
                f"FOR EACH ROW EXECUTE FUNCTION {self.function}()",
            ]
        if vendor == "sqlite":
            return [
                'CREATE TRIGGER "bids_bid_sealed_update" BEFORE UPDATE ON "bids_bid" '
                f"WHEN NOT ({_allowed_update('IS')}) "
                f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}: UPDATE on bids_bid refused'); END",
                'CREATE TRIGGER "bids_bid_sealed_delete" BEFORE DELETE ON "bids_bid" '
                f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}: DELETE on bids_bid refused'); END",
            ]
        return []

    def drop_statements(self, vendor: str) -> list[str]:
        """The statements that remove them."""
        if vendor == "postgresql":
            return [
                'DROP TRIGGER IF EXISTS "bids_bid_sealed" ON "bids_bid"',
                f"DROP FUNCTION IF EXISTS {self.function}()",
            ]
        if vendor == "sqlite":
            return [
                'DROP TRIGGER IF EXISTS "bids_bid_sealed_update"',
                'DROP TRIGGER IF EXISTS "bids_bid_sealed_delete"',
            ]
        return []


BID = SealedBidGuard()
APPEND_ONLY = db_triggers.AppendOnlyTables(
    name="bids",
    message="sealed documents, shares handed in and opened bids are append-only",
    tables=("bids_biddocument", "bids_sharehandin", "bids_openedbid"),
)
NO_TRUNCATE_BID = db_triggers.NoTruncate(function=BID.function, tables=("bids_bid",))
NO_TRUNCATE = db_triggers.NoTruncate(function=APPEND_ONLY.function, tables=APPEND_ONLY.tables)
GUARDS = (BID, APPEND_ONLY, NO_TRUNCATE_BID, NO_TRUNCATE)


class Migration(migrations.Migration):
    dependencies = [("bids", "0001_initial")]

    operations = [
        migrations.RunPython(
            db_triggers.installer(*GUARDS), db_triggers.remover(*GUARDS), elidable=False
        )
    ]
