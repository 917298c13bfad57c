"""A committee member may declare, per bid, that they cannot decrypt their share of it (ADR 0015).

The declaration is a row of ``bids_sharehandin`` without a share: ``share`` becomes nullable,
``declaration`` holds the reason, and a check says a row holds exactly one of the two. The
unique (bid, member) of migration 0001 then keeps a member to one share or one declaration per
bid.

On SQLite, altering a column rebuilds the table, which drops its triggers: the append-only
triggers of ``bids_sharehandin`` (migration 0002) are put back after the rebuild, the same
statements (and, going backwards, again after the reverse rebuild). PostgreSQL keeps them
through ``ALTER TABLE``.
"""

from typing import Any

from django.db import migrations, models

from pregon.core import db_triggers

# The guard of migration 0002, for this one table: the same name and message, so the same SQL.
_SHARE_HAND_INS = db_triggers.AppendOnlyTables(
    name="bids",
    message="sealed documents, shares handed in and opened bids are append-only",
    tables=("bids_sharehandin",),
)


def _triggers_back(apps: Any, schema_editor: Any) -> None:
    """Install the table's append-only triggers again where the rebuild dropped them."""
    vendor = schema_editor.connection.vendor
    if vendor != "sqlite":
        return
    for statement in _SHARE_HAND_INS.drop_statements(vendor):
        schema_editor.execute(statement)
    for statement in _SHARE_HAND_INS.create_statements(vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("bids", "0002_sealed_bid_triggers"),
        ("tenders", "0003_opening_committee"),
    ]

    operations = [
        # Going backwards, this runs last: after the reverse rebuild.
        migrations.RunPython(migrations.RunPython.noop, _triggers_back, elidable=False),
        migrations.AddField(
            model_name="sharehandin",
            name="declaration",
            field=models.CharField(
                blank=True,
                choices=[
                    ("share_undecryptable", "my key does not open the share sealed to me"),
                    (
                        "share_mismatch",
                        "what my key decrypts is not the share whose SHA-256 the bid holds "
                        "for me",
                    ),
                ],
                default="",
                max_length=32,
                verbose_name="declared undecryptable",
            ),
        ),
        migrations.AlterField(
            model_name="sharehandin",
            name="share",
            field=models.BinaryField(blank=True, max_length=33, null=True, verbose_name="share"),
        ),
        migrations.AddConstraint(
            model_name="sharehandin",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("share__isnull", False), ("declaration", "")),
                    models.Q(
                        ("share__isnull", True),
                        ("declaration__in", ["share_undecryptable", "share_mismatch"]),
                    ),
                    _connector="OR",
                ),
                name="share_hand_in_share_or_declaration",
            ),
        ),
        migrations.RunPython(_triggers_back, migrations.RunPython.noop, elidable=False),
    ]
