"""The search index's database objects Django has no fields for, per database (idempotent).

Created by migration 0011_search_index; `ensure()` also runs after every `migrate` (post_migrate)
so databases built from the models alone (the test suite's --no-migrations) get them too.
"""

PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE content_app_searchdocument ADD COLUMN IF NOT EXISTS vector tsvector
        GENERATED ALWAYS AS (
        setweight(to_tsvector('english', name), 'A')
        || setweight(to_tsvector('english', summary), 'B')
        || setweight(to_tsvector('english', body), 'C')) STORED""",
    "CREATE INDEX IF NOT EXISTS search_doc_vector ON content_app_searchdocument USING gin (vector)",
    "CREATE INDEX IF NOT EXISTS search_doc_name_trgm ON content_app_searchdocument "
    "USING gin (name gin_trgm_ops)",
    # Name matches are ranked first when a query matches more than the search serves.
    "CREATE INDEX IF NOT EXISTS search_doc_name_vector ON content_app_searchdocument "
    "USING gin (to_tsvector('english', name))",
]
PG_DROP = [
    "DROP INDEX IF EXISTS search_doc_name_vector",
    "DROP INDEX IF EXISTS search_doc_name_trgm",
    "DROP INDEX IF EXISTS search_doc_vector",
    "ALTER TABLE content_app_searchdocument DROP COLUMN IF EXISTS vector",
]
SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(name, summary, body,
        content='content_app_searchdocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')""",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts_vocab USING fts5vocab(search_fts, 'row')",
    """CREATE TRIGGER IF NOT EXISTS search_fts_ai AFTER INSERT ON content_app_searchdocument
        BEGIN INSERT INTO search_fts(rowid, name, summary, body)
        VALUES (new.id, new.name, new.summary, new.body); END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_ad AFTER DELETE ON content_app_searchdocument
        BEGIN INSERT INTO search_fts(search_fts, rowid, name, summary, body)
        VALUES ('delete', old.id, old.name, old.summary, old.body); END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_au AFTER UPDATE ON content_app_searchdocument
        BEGIN INSERT INTO search_fts(search_fts, rowid, name, summary, body)
        VALUES ('delete', old.id, old.name, old.summary, old.body);
        INSERT INTO search_fts(rowid, name, summary, body)
        VALUES (new.id, new.name, new.summary, new.body); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts_vocab",
    "DROP TABLE IF EXISTS search_fts",
]
CREATE = {"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}
DROP = {"postgresql": PG_DROP, "sqlite": SQLITE_DROP}


def _execute(connection, statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def ensure(connection) -> None:
    if "content_app_searchdocument" in connection.introspection.table_names():
        _execute(connection, CREATE.get(connection.vendor, ()))


def drop(connection) -> None:
    _execute(connection, DROP.get(connection.vendor, ()))


def after_migrate(sender, using, **kwargs):
    from django.db import connections

    ensure(connections[using])
