"""Database triggers that keep published releases append-only against every client.

UPDATE and DELETE are refused on both databases, TRUNCATE on PostgreSQL. Records, the feed
sequence and the bulk-file state are updated in place and have none.
"""

from django.db import migrations

from pregon.core import db_triggers

RELEASES = db_triggers.AppendOnlyTables(
    name="publication_release",
    message="published releases are append-only",
    tables=("publication_release",),
)
NO_TRUNCATE = db_triggers.NoTruncate(function=RELEASES.function, tables=RELEASES.tables)


class Migration(migrations.Migration):
    dependencies = [("publication", "0001_releases_records_feed")]

    operations = [
        migrations.RunPython(
            db_triggers.installer(RELEASES, NO_TRUNCATE),
            db_triggers.remover(RELEASES, NO_TRUNCATE),
            elidable=False,
        )
    ]
