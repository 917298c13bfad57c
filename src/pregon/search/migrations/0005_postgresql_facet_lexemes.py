"""PostgreSQL: the facet values and the title's words as lexemes of the vector.

Each document's `vector` becomes, without positions or weights (no query uses them):

* the words of its title and searched text, as before (its language's configuration);
* one lexeme per word of the title, `zt` and the word's lexeme in hexadecimal, so "every word in
  the title" is a plain GIN query (a weight-restricted one rechecks every match's vector);
* one lexeme per facet value, the SQLite back end's facet tokens (`text.facet_token`: "z", a
  letter, the value in hexadecimal; "za" that every document has), so the equality filters and
  the words are one GIN query.

The vectors are rewritten here from the documents' columns and classification codes: no
reindex is needed. The GIN index's pending list is kept small (a search reads it whole) and
emptied; `optimize` empties it after a bulk load. SQLite: nothing changes.
"""

from django.db import migrations

# The vector of the row `d` of search_searchdocument: what the PostgreSQL back end's `VECTOR_SQL`
# was when this migration was written (a migration keeps its own copy).
_CONFIG = (
    "(CASE d.language WHEN 'en' THEN 'pregon_en' WHEN 'es' THEN 'pregon_es'"
    " WHEN 'pt' THEN 'pregon_pt' WHEN 'fr' THEN 'pregon_fr' ELSE 'pregon_none' END)::regconfig"
)
_FACETS = (
    ("b", "buyer_id"),
    ("r", "region"),
    ("c", "country"),
    ("m", "method"),
    ("k", "category"),
    ("s", "status"),
    ("l", "language"),
)


def _hex(value: str) -> str:
    return f"encode(convert_to({value}, 'UTF8'), 'hex')"


VECTOR_SQL = (
    f"strip(to_tsvector({_CONFIG}, d.title) || to_tsvector({_CONFIG}, d.body))"
    " || array_to_tsvector(array_remove(ARRAY['za', "
    + ", ".join(
        f"CASE WHEN d.{column} <> '' THEN 'z{letter}' || {_hex('d.' + column)} END"
        for letter, column in _FACETS
    )
    + ", CASE WHEN d.reserved_msme THEN 'zv31' ELSE 'zv30' END], NULL)"
    f" || ARRAY(SELECT 'zt' || {_hex('lexeme')} FROM"
    f" unnest(tsvector_to_array(to_tsvector({_CONFIG}, d.title))) AS lexeme)"
    " || ARRAY(SELECT token FROM search_searchcode AS code CROSS JOIN LATERAL (VALUES"
    f" ('zq' || {_hex('code.prefix')}), ('zx' || {_hex("code.scheme || ' ' || code.prefix")}))"
    " AS tokens (token) WHERE code.document_id = d.id))"
)
_OLD_VECTOR_SQL = f"setweight(to_tsvector({_CONFIG}, d.title), 'A') || setweight(to_tsvector({_CONFIG}, d.body), 'B')"


def _rewrite(schema_editor, vector_sql: str, pending_limit: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # Every vector changes: the index is built again after them (quicker than updated).
    schema_editor.execute("DROP INDEX search_document_vector")
    schema_editor.execute(
        f"UPDATE search_searchdocument AS d SET vector = {vector_sql} WHERE vector IS NOT NULL"
    )
    schema_editor.execute(
        "CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)"
        f" WITH (gin_pending_list_limit = {pending_limit})"
    )


def forward(apps, schema_editor):
    _rewrite(schema_editor, VECTOR_SQL, "512")


def backward(apps, schema_editor):
    _rewrite(schema_editor, _OLD_VECTOR_SQL, "4096")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_facets_and_vocabulary_index")]

    operations = [migrations.RunPython(forward, backward)]
