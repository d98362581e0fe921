"""The search queries per database. Hand-written SQL because the ORM has no FTS5 and cannot
select from a generated column it does not know; every user value is a bound parameter.

Each backend answers: `exact(query, api_type, offset, limit)` -> rows, `count(...)`,
`highlights(query, ids)` -> {id: (field, marked text)} and `fuzzy(...)` for when nothing
matches. Marks are private-use characters (MARK_START/MARK_END) that `service` turns into
escaped HTML.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.db import connection

MARK_START, MARK_END = "\ue000", "\ue001"
MAX_WORDS = 16
TABLE = "content_app_searchdocument"
FIELDS = ("name", "summary", "body")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_OPERATORS = re.compile(r'["\-]|\bor\b', re.IGNORECASE)
# Filler words natural phrasing adds (a subset of PostgreSQL's English stop words).
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "at",
        "be",
        "by",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "the",
        "to",
        "what",
        "when",
        "where",
        "which",
        "why",
        "with",
        "you",
        "your",
    ]
)
FUZZY_MIN_LENGTH = 4  # shorter words are not spelling-corrected


@dataclass(frozen=True)
class Query:
    """What the user typed, and the same with synonyms swapped in."""

    text: str
    alternatives: tuple = ()
    words: tuple = field(default=())
    # The last word may be unfinished ("hamstr"): match it as a prefix too.
    prefix: bool = True

    @classmethod
    def parse(cls, text: str, alternatives=()) -> Query:
        words = tuple(_WORD.findall(text))[:MAX_WORDS]
        # Only for plain words: with operators ("phrase", -exclude, or) the prefix form
        # would drop them.
        prefix = bool(words) and text[-1:].isalnum() and not _OPERATORS.search(text)
        return cls(text, tuple(alternatives), words, prefix)


def _fetch(sql, params) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _fuzzy_text(query: Query) -> str:
    return " ".join(word for word in query.words if len(word) >= FUZZY_MIN_LENGTH)


def _type_filter(api_type):
    return (" AND d.api_type = %s", [api_type]) if api_type else ("", [])


class PostgresSearch:
    """Weighted stored tsvector (GIN) + websearch_to_tsquery; pg_trgm on names for typos."""

    FUZZY_THRESHOLD = "0.4"  # word_similarity: "bakers cist" vs "Baker's cyst" is ~0.58

    def _tsquery(self, query: Query) -> tuple[str, list]:
        parts, params = ["websearch_to_tsquery('english', %s)"], [query.text]
        if query.prefix:
            rest = " ".join(query.words[:-1])
            parts.append("(websearch_to_tsquery('english', %s) && to_tsquery('english', %s))")
            params += [rest, f"{query.words[-1]}:*"]
        for alternative in query.alternatives:
            parts.append("websearch_to_tsquery('english', %s)")
            params.append(alternative)
        return " || ".join(parts), params

    def _matches(self, query, api_type):
        tsquery, params = self._tsquery(query)
        where, type_params = _type_filter(api_type)
        sql = f"FROM {TABLE} d, (SELECT {tsquery} AS tsq) q WHERE d.vector @@ q.tsq{where}"
        return sql, params + type_params

    def exact(self, query, api_type, offset, limit):
        matches, params = self._matches(query, api_type)
        return _fetch(
            "SELECT d.id, d.api_type, d.slug, d.name, d.summary, "
            f"ts_rank(d.vector, q.tsq) AS rank {matches} "
            "ORDER BY rank DESC, d.api_type, d.slug LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )

    def count(self, query, api_type):
        matches, params = self._matches(query, api_type)
        return _fetch(f"SELECT count(*) AS n {matches}", params)[0]["n"]

    def highlights(self, query, ids):
        if not ids:
            return {}
        tsquery, params = self._tsquery(query)
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=24, MinWords=8, "
            'ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
        )
        rows = _fetch(
            "SELECT d.id, f.field, ts_headline('english', replace(replace(f.text, %s, ''), %s, ''),"
            " q.tsq, %s) AS snippet "
            f"FROM {TABLE} d, (SELECT {tsquery} AS tsq) q, LATERAL (SELECT CASE "
            "WHEN to_tsvector('english', d.name) @@ q.tsq THEN 'name' "
            "WHEN to_tsvector('english', d.summary) @@ q.tsq THEN 'summary' ELSE 'body' END"
            ") c(field), LATERAL (SELECT c.field, CASE c.field WHEN 'name' THEN d.name "
            "WHEN 'summary' THEN d.summary ELSE d.body END) f(field, text) "
            "WHERE d.id = ANY(%s)",
            [MARK_START, MARK_END, options, *params, list(ids)],
        )
        return {row["id"]: (row["field"], row["snippet"]) for row in rows}

    def fuzzy(self, query, api_type, offset, limit):
        """Names close to what was typed (typos), best first; uses the trigram index."""
        text = _fuzzy_text(query)
        if not text:
            return []
        where, type_params = _type_filter(api_type)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [self.FUZZY_THRESHOLD],
            )
        return _fetch(
            "SELECT d.id, d.api_type, d.slug, d.name, d.summary, "
            f"word_similarity(%s, d.name) AS rank FROM {TABLE} d WHERE %s <%% d.name{where} "
            "ORDER BY rank DESC, d.api_type, d.slug LIMIT %s OFFSET %s",
            [text, text, *type_params, limit, offset],
        )

    def fuzzy_count(self, query, api_type):
        text = _fuzzy_text(query)
        where, type_params = _type_filter(api_type)
        return _fetch(
            f"SELECT count(*) AS n FROM {TABLE} d WHERE %s <%% d.name{where}",
            [text, *type_params],
        )[0]["n"]

    def correction(self, query, api_type) -> Query | None:
        """The best-matching name, as a query (None: nothing close)."""
        rows = self.fuzzy(query, api_type, 0, 1)
        return Query.parse(rows[0]["name"]) if rows else None


class SqliteSearch:
    """FTS5 (porter stemming, bm25 with column weights); typos corrected from its vocabulary."""

    WEIGHTS = "8.0, 4.0, 2.0"
    CLOSE = 0.75  # difflib ratio for a spelling correction

    def _match(self, query: Query) -> str:
        def expression(words, prefix):
            # Natural phrasing: drop filler words, as PostgreSQL's English config does.
            kept = [w for w in words[:-1] if w.lower() not in STOPWORDS] + list(words[-1:])
            if not prefix and kept and kept[-1].lower() in STOPWORDS:
                kept.pop()
            words = kept or words
            quoted = ['"' + word.replace('"', '""') + '"' for word in words]
            if prefix and quoted:
                quoted[-1] += "*"
            return " ".join(quoted)

        expressions = [expression(query.words, query.prefix)] if query.words else []
        for alternative in query.alternatives:
            words = tuple(_WORD.findall(alternative))[:MAX_WORDS]
            if words:
                expressions.append(expression(words, False))
        return " OR ".join(f"({e})" for e in expressions)

    def _matches(self, query, api_type):
        where, type_params = _type_filter(api_type)
        sql = (
            f"FROM search_fts JOIN {TABLE} d ON d.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s{where}"
        )
        return sql, [self._match(query), *type_params]

    def exact(self, query, api_type, offset, limit):
        if not self._match(query):
            return []
        matches, params = self._matches(query, api_type)
        return _fetch(
            "SELECT d.id, d.api_type, d.slug, d.name, d.summary, "
            f"-bm25(search_fts, {self.WEIGHTS}) AS rank {matches} "
            "ORDER BY rank DESC, d.api_type, d.slug LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )

    def count(self, query, api_type):
        if not self._match(query):
            return 0
        matches, params = self._matches(query, api_type)
        return _fetch(f"SELECT count(*) AS n {matches}", params)[0]["n"]

    def highlights(self, query, ids):
        if not ids or not self._match(query):
            return {}
        placeholders = ", ".join(["%s"] * len(ids))
        columns = ", ".join(
            f"snippet(search_fts, {index}, %s, %s, ' … ', 24) AS {name}"
            for index, name in enumerate(FIELDS)
        )
        rows = _fetch(
            f"SELECT rowid AS id, {columns} FROM search_fts "
            f"WHERE search_fts MATCH %s AND rowid IN ({placeholders})",
            [*[MARK_START, MARK_END] * len(FIELDS), self._match(query), *ids],
        )
        found = {}
        for row in rows:
            name = next((name for name in FIELDS if MARK_START in (row[name] or "")), "name")
            found[row["id"]] = (name, row[name])
        return found

    def _corrected(self, query: Query) -> Query | None:
        """Each word the index does not know replaced by the closest word it knows."""
        vocabulary = None
        words, changed = [], False
        for index, word in enumerate(query.words):
            last = index == len(query.words) - 1
            probe = '"' + word.replace('"', '""') + '"' + ("*" if last and query.prefix else "")
            known = _fetch(
                "SELECT 1 AS x FROM search_fts WHERE search_fts MATCH %s LIMIT 1", [probe]
            )
            if known or len(word) < FUZZY_MIN_LENGTH:
                words.append(word)
                continue
            if vocabulary is None:
                vocabulary = [
                    row["term"] for row in _fetch("SELECT term FROM search_fts_vocab", [])
                ]
            close = difflib.get_close_matches(word.lower(), vocabulary, n=1, cutoff=self.CLOSE)
            if not close:
                return None
            words.append(close[0])
            changed = True
        if not changed:
            return None
        text = " ".join(words)
        return Query(text, (), tuple(words), False)

    def correction(self, query, api_type) -> Query | None:
        corrected = self._corrected(query)
        return corrected if corrected and self.exact(corrected, api_type, 0, 1) else None

    def fuzzy(self, query, api_type, offset, limit):
        """Results for the corrected spelling (`query` is the correction)."""
        return self.exact(query, api_type, offset, limit)

    def fuzzy_count(self, query, api_type):
        return self.count(query, api_type)


def backend():
    return PostgresSearch() if connection.vendor == "postgresql" else SqliteSearch()
