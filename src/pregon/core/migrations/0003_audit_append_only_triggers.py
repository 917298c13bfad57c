"""Database triggers that keep the audit log append-only against every client.

UPDATE and DELETE are refused on both databases, TRUNCATE on PostgreSQL. One UPDATE is let
through: clearing ``organization_id`` and nothing else, which is what removing the organization
does (``on_delete=SET_NULL``). People are never removed (``actor`` is ``PROTECT``), so
``actor_id`` never changes. The columns are listed as they are in this migration: a column
added later needs a new migration that replaces these triggers.
"""

from django.db import migrations

from pregon.core import db_triggers

AUDIT = db_triggers.AppendOnlyTables(
    name="core_auditevent",
    message="the audit log is append-only",
    tables=("core_auditevent",),
    detachable=("organization_id",),
    fixed=(
        "id",
        "created_at",
        "actor_id",
        "actor_label",
        "channel",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "summary",
        "ip_address",
    ),
)
NO_TRUNCATE = db_triggers.NoTruncate(function=AUDIT.function, tables=AUDIT.tables)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_auditevent_channel_choices")]

    operations = [
        migrations.RunPython(
            db_triggers.installer(AUDIT, NO_TRUNCATE),
            db_triggers.remover(AUDIT, NO_TRUNCATE),
            elidable=False,
        )
    ]
