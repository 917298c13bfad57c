"""The full-text structures of each back end, created on its own database only.

SQLite: the FTS5 tables `search_fts` (stemmed words) and `search_trigram` (folded titles).
PostgreSQL: the `unaccent` and `pg_trgm` extensions, the text search configurations
`pregon_<language>`, a GIN index on the documents' vector and a trigram index on their titles.
See `pregon.search.backends`.
"""

from django.db import migrations

_PG_LANGUAGES = {"en": "english", "es": "spanish", "pt": "portuguese", "fr": "french"}

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, lang, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_trigram USING fts5(title, tokenize = 'trigram')",
]
SQLITE_BACKWARD = ["DROP TABLE search_trigram", "DROP TABLE search_fts"]


def _pg_forward() -> list[str]:
    statements = [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    ]
    for code, name in [*_PG_LANGUAGES.items(), ("none", "simple")]:
        dictionary = f"{name}_stem" if name != "simple" else "simple"
        statements += [
            f"CREATE TEXT SEARCH CONFIGURATION pregon_{code} (COPY = {name})",
            f"ALTER TEXT SEARCH CONFIGURATION pregon_{code} ALTER MAPPING FOR"
            f" hword, hword_part, word WITH unaccent, {dictionary}",
        ]
    statements += [
        "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)",
        "CREATE INDEX search_document_title_trgm ON search_searchdocument"
        " USING gin (title_folded gin_trgm_ops)",
    ]
    return statements


def _pg_backward() -> list[str]:
    statements = [
        "DROP INDEX IF EXISTS search_document_title_trgm",
        "DROP INDEX IF EXISTS search_document_vector",
    ]
    statements += [
        f"DROP TEXT SEARCH CONFIGURATION IF EXISTS pregon_{code}"
        for code in [*_PG_LANGUAGES, "none"]
    ]
    return statements


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = SQLITE_FORWARD if vendor == "sqlite" else _pg_forward() if vendor == "postgresql" else []
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = SQLITE_BACKWARD if vendor == "sqlite" else _pg_backward() if vendor == "postgresql" else []
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index")]

    operations = [migrations.RunPython(forward, backward)]
