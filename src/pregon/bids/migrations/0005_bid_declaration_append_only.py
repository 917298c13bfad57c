"""Database triggers that keep the self-declaration signed with each bid as it was signed,
against every client.

UPDATE and DELETE of ``bids_biddeclaration`` are refused on both databases, TRUNCATE on
PostgreSQL. One UPDATE is let through: clearing ``declared_by_id`` and nothing else, which is
what removing the person does (``on_delete=SET_NULL``); ``declared_by_label`` still names who
signed. The bid is never removed (``PROTECT``, and its own triggers), so ``bid_id`` never
changes. The columns are those of migration 0004: a column added later needs a new migration
that replaces these triggers.
"""

from django.db import migrations

from pregon.core import db_triggers

DECLARATION = db_triggers.AppendOnlyTables(
    name="bids_biddeclaration",
    message="the self-declaration of a bid never changes",
    tables=("bids_biddeclaration",),
    detachable=("declared_by_id",),
    fixed=("bid_id", "version", "declared_by_label", "declared_at"),
)
NO_TRUNCATE = db_triggers.NoTruncate(function=DECLARATION.function, tables=DECLARATION.tables)


class Migration(migrations.Migration):
    dependencies = [("bids", "0004_bid_self_declaration")]

    operations = [
        migrations.RunPython(
            db_triggers.installer(DECLARATION, NO_TRUNCATE),
            db_triggers.remover(DECLARATION, NO_TRUNCATE),
            elidable=False,
        )
    ]
