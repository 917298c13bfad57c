"""The full-text structures of the facet tokens and of the vocabulary of misspellings.

SQLite: `search_fts` is made again as `(title, body, facets)` with `detail=column` (the facet
values as tokens: equality filters are full-text terms; no positions, as no query uses them);
a trigger deletes a document's entry with its row; `search_trigram` (the titles' trigrams) gives
way to `search_word_trigram`, the trigrams of the vocabulary (`SearchWord`), filled by a trigger
as words are added.
PostgreSQL: the trigram index moves from the titles to the vocabulary's words.

The index is emptied: run `pregon search reindex` after this migration (`make run` does).
"""

from django.db import migrations

SQLITE_FORWARD = [
    "DROP TABLE search_trigram",
    "DROP TABLE search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, facets, tokenize = 'unicode61 remove_diacritics 2', detail = column)",
    # A document's entry goes with it, however it is deleted (a cascade, a queryset).
    "CREATE TRIGGER search_fts_document_delete AFTER DELETE ON search_searchdocument BEGIN"
    " DELETE FROM search_fts WHERE rowid = old.id; END",
    "CREATE VIRTUAL TABLE search_word_trigram USING fts5("
    "word, content = '', tokenize = 'trigram', detail = none)",
    "CREATE TRIGGER search_word_trigram_insert AFTER INSERT ON search_searchword BEGIN"
    " INSERT INTO search_word_trigram (rowid, word) VALUES (new.id, '  ' || new.word || ' ');"
    " END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER search_fts_document_delete",
    "DROP TRIGGER search_word_trigram_insert",
    "DROP TABLE search_word_trigram",
    "DROP TABLE search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, lang, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_trigram USING fts5(title, tokenize = 'trigram')",
]
PG_FORWARD = [
    "DROP INDEX IF EXISTS search_document_title_trgm",
    "CREATE INDEX search_word_trgm ON search_searchword USING gin (word gin_trgm_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS search_word_trgm",
    "CREATE INDEX search_document_title_trgm ON search_searchdocument"
    " USING gin (title_folded gin_trgm_ops)",
]


def _run(schema_editor, sqlite, postgresql):
    vendor = schema_editor.connection.vendor
    statements = sqlite if vendor == "sqlite" else postgresql if vendor == "postgresql" else []
    for statement in statements:
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    # What was indexed lacks the references and the facet tokens: empty, to be reindexed.
    apps.get_model("search", "SearchCode").objects.all().delete()
    apps.get_model("search", "SearchDocument").objects.all().delete()
    _run(schema_editor, SQLITE_FORWARD, PG_FORWARD)


def backward(apps, schema_editor):
    apps.get_model("search", "SearchWord").objects.all().delete()
    _run(schema_editor, SQLITE_BACKWARD, PG_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_reference_vocabulary")]

    operations = [migrations.RunPython(forward, backward)]
