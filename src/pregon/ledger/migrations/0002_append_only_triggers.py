"""Database triggers that refuse UPDATE and DELETE on the log's insert-only tables.

Vendor-conditional: PostgreSQL gets PL/pgSQL trigger functions, SQLite RAISE(ABORT) triggers;
other databases get none (the application-level refusals still hold). The head row may only
grow. TRUNCATE is refused from migration 0003 on.
"""

from django.db import migrations

from pregon.core import db_triggers

LOG = db_triggers.AppendOnlyTables(
    name="ledger",
    message="the transparency log is append-only",
    tables=(
        "ledger_leaf",
        "ledger_node",
        "ledger_signedcheckpoint",
        "ledger_issuedcosignature",
        "ledger_receivedcosignature",
    ),
)
HEAD = db_triggers.OnlyGrows(
    name="ledger_head",
    message="the transparency log is append-only: the log head can only grow",
    table="ledger_loghead",
    column="size",
    key="id",
)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(
            db_triggers.installer(LOG, HEAD), db_triggers.remover(LOG, HEAD), elidable=False
        )
    ]
