"""PostgreSQL refuses TRUNCATE on every table of the log, ``TRUNCATE … CASCADE`` included.

Row triggers (migration 0002) do not see TRUNCATE. These statement triggers reuse 0002's
``ledger_refuse_change()``. SQLite has no TRUNCATE: nothing to install there.
"""

from django.db import migrations

from pregon.core import db_triggers

NO_TRUNCATE = db_triggers.NoTruncate(
    function="ledger_refuse_change",
    tables=(
        "ledger_leaf",
        "ledger_node",
        "ledger_signedcheckpoint",
        "ledger_issuedcosignature",
        "ledger_receivedcosignature",
        "ledger_loghead",
    ),
)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_append_only_triggers")]

    operations = [
        migrations.RunPython(
            db_triggers.installer(NO_TRUNCATE), db_triggers.remover(NO_TRUNCATE), elidable=False
        )
    ]
