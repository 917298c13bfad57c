"""Who a document's lots reserved for MSMEs are reserved for (sizes, "cooperative"), read by the
alerts' "reserved for my scale". Documents indexed before are left empty (any MSME subscriber
fits them) until `pregon search reindex`.

SQLite adds the column by rebuilding the table, which drops its triggers: the one that deletes a
document's full-text entry with its row is made again.
"""

from django.db import migrations, models

SQLITE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS search_fts_document_delete AFTER DELETE ON "
    "search_searchdocument BEGIN DELETE FROM search_fts WHERE rowid = old.id; END"
)


def trigger_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_postgresql_facet_lexemes")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="reserved_for",
            field=models.CharField(
                blank=True, default="", max_length=64, verbose_name="reserved for"
            ),
        ),
        migrations.RunPython(trigger_again, trigger_again),
    ]
