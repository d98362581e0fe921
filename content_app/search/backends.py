"""The search queries per database. Hand-written SQL because the ORM has no FTS5 and cannot
select from a generated column it does not know; every user value is a bound parameter.

A backend answers, for a parsed `Query`:
- `page(query, api_type, offset, limit)` -> rows, ranked, with `total` (the candidates, by a
  window count) and the best-matching `field` with a marked `snippet`: ONE statement, and the
  snippets are made for the page's rows only;
- `count(query, api_type)` (only needed past the last page);

Bounded cost: a query matching most of the content must not rank and count all of it (an
index returns matches unordered, so exact ranking reads every match). Each statement ranks
CANDIDATES only: up to MAX_RESULTS + 1 documents whose name matches, united with up to
MAX_RESULTS + 1 documents that match anywhere, as the index yields them. When every match fits,
that is every match (exact ranking and count); otherwise there are more than MAX_RESULTS
matches, the best MAX_RESULTS candidates are served and the caller reports the count as capped.
- `correction(query, api_type)` -> a Query for the closest spelling when nothing matches;
- `fuzzy_page(...)` / `fuzzy_count(...)`: the results shown for that correction.
Marks are private-use characters (MARK_START/MARK_END) that `service` turns into <mark>.
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
    {
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
    }
)
FUZZY_MIN_LENGTH = 4  # shorter words are not spelling-corrected
MAX_RESULTS = 200  # the most results a search serves (see the module docstring)


def bounded(offset, limit) -> tuple[int, int]:
    """(offset, limit) kept within the first MAX_RESULTS results."""
    return offset, max(0, min(limit, MAX_RESULTS - offset))


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
    HEADLINE = (
        f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=24, MinWords=8, "
        'ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'
    )

    def _marks(self):
        return [MARK_START, MARK_END, self.HEADLINE]

    def _tsquery(self, query: Query) -> tuple[str, list]:
        if query.prefix:
            # Plain words only: the prefix form matches everything the exact form does.
            rest = " ".join(query.words[:-1])
            parts = ["(websearch_to_tsquery('english', %s) && to_tsquery('english', %s))"]
            params = [rest, f"{query.words[-1]}:*"]
        else:
            parts, params = ["websearch_to_tsquery('english', %s)"], [query.text]
        for alternative in query.alternatives:
            parts.append("websearch_to_tsquery('english', %s)")
            params.append(alternative)
        return " || ".join(parts), params

    def _with_snippets(self, tsquery_sql: str, candidates_sql: str, rank_sql: str) -> str:
        """Rank the candidates (ids), page them and add each row's best field and its headline.
        The ranked candidates are materialised narrow (no vectors carried into the window
        count and sort)."""
        return (
            f"WITH q AS (SELECT {tsquery_sql} AS tsq), "
            f"candidates AS MATERIALIZED ({candidates_sql}), "
            f"matches AS MATERIALIZED (SELECT d.id, d.api_type, d.slug, {rank_sql} AS rank "
            f"FROM candidates JOIN {TABLE} d ON d.id = candidates.id CROSS JOIN q), "
            "page AS (SELECT id, rank, count(*) OVER () AS total FROM matches "
            "ORDER BY rank DESC, api_type, slug LIMIT %s OFFSET %s) "
            "SELECT d.id, d.api_type, d.slug, d.name, d.summary, page.rank, page.total, c.field, "
            "ts_headline('english', replace(replace(CASE c.field WHEN 'name' THEN d.name "
            "WHEN 'summary' THEN d.summary ELSE d.body END, %s, ''), %s, ''), q.tsq, %s) "
            f"AS snippet FROM page JOIN {TABLE} d ON d.id = page.id CROSS JOIN q, "
            "LATERAL (SELECT CASE WHEN to_tsvector('english', d.name) @@ q.tsq THEN 'name' "
            "WHEN to_tsvector('english', d.summary) @@ q.tsq THEN 'summary' ELSE 'body' END) "
            "c(field) ORDER BY page.rank DESC, d.api_type, d.slug"
        )

    def _candidates(self, where) -> str:
        """Name matches first (their own index), then any match; unordered, each arm bounded."""
        return (
            f"(SELECT d.id FROM {TABLE} d, q WHERE to_tsvector('english', d.name) @@ q.tsq"
            f"{where} LIMIT %s) UNION "
            f"(SELECT d.id FROM {TABLE} d, q WHERE d.vector @@ q.tsq{where} LIMIT %s)"
        )

    def page(self, query, api_type, offset, limit):
        offset, limit = bounded(offset, limit)
        tsquery, tsquery_params = self._tsquery(query)
        where, type_params = _type_filter(api_type)
        arm = [*type_params, MAX_RESULTS + 1]
        return _fetch(
            self._with_snippets(tsquery, self._candidates(where), "ts_rank(d.vector, q.tsq)"),
            [*tsquery_params, *arm, *arm, limit, offset, *self._marks()],
        )

    def count(self, query, api_type):
        """Matches, counted up to MAX_RESULTS + 1."""
        tsquery, params = self._tsquery(query)
        where, type_params = _type_filter(api_type)
        return _fetch(
            f"SELECT count(*) AS n FROM (SELECT 1 FROM {TABLE} d, (SELECT {tsquery} AS tsq) q "
            f"WHERE d.vector @@ q.tsq{where} LIMIT %s) bounded",
            [*params, *type_params, MAX_RESULTS + 1],
        )[0]["n"]

    def _trigram_threshold(self):
        # Session setting, set by correction() before the fuzzy page and count that follow it.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                [self.FUZZY_THRESHOLD],
            )

    def correction(self, query, api_type) -> Query | None:
        """The closest name (trigram index), as a query; None when nothing is close."""
        text = _fuzzy_text(query)
        if not text:
            return None
        self._trigram_threshold()
        where, type_params = _type_filter(api_type)
        rows = _fetch(
            f"SELECT c.name FROM (SELECT d.name, d.api_type, d.slug FROM {TABLE} d "
            f"WHERE %s <%% d.name{where} LIMIT %s) c "
            "ORDER BY word_similarity(%s, c.name) DESC, c.api_type, c.slug LIMIT 1",
            [text, *type_params, MAX_RESULTS + 1, text],
        )
        return Query.parse(rows[0]["name"]) if rows else None

    def fuzzy_page(self, query, correction, api_type, offset, limit):
        """Names close to what was typed, best first, highlighted with the correction."""
        offset, limit = bounded(offset, limit)
        text = _fuzzy_text(query)
        tsquery, tsquery_params = self._tsquery(correction)
        where, type_params = _type_filter(api_type)
        candidates = f"SELECT d.id FROM {TABLE} d WHERE %s <%% d.name{where} LIMIT %s"
        marks = self._marks()
        return _fetch(
            self._with_snippets(tsquery, candidates, "word_similarity(%s, d.name)"),
            [*tsquery_params, text, *type_params, MAX_RESULTS + 1, text, limit, offset, *marks],
        )

    def fuzzy_count(self, query, correction, api_type):
        where, type_params = _type_filter(api_type)
        return _fetch(
            f"SELECT count(*) AS n FROM (SELECT 1 FROM {TABLE} d WHERE %s <%% d.name{where} "
            "LIMIT %s) bounded",
            [_fuzzy_text(query), *type_params, MAX_RESULTS + 1],
        )[0]["n"]


class SqliteSearch:
    """FTS5 (porter stemming, bm25 with column weights); typos corrected from its vocabulary."""

    WEIGHTS = "8.0, 4.0, 2.0"
    CLOSE = 0.75  # difflib ratio for a spelling correction
    _vocabulary: dict = {}  # {content version: [terms]}, one entry

    def _match(self, query: Query) -> str:
        def expression(words, prefix):
            # Natural phrasing: drop filler words, as PostgreSQL's English config does.
            kept = [w for w in words[:-1] if w.lower() not in STOPWORDS] + list(words[-1:])
            if not prefix and kept and kept[-1].lower() in STOPWORDS:
                kept.pop()
            quoted = ['"' + word.replace('"', '""') + '"' for word in (kept or words)]
            if prefix and quoted:
                quoted[-1] += "*"
            return " ".join(quoted)

        expressions = [expression(query.words, query.prefix)] if query.words else []
        for alternative in query.alternatives:
            words = tuple(_WORD.findall(alternative))[:MAX_WORDS]
            if words:
                expressions.append(expression(words, False))
        return " OR ".join(f"({e})" for e in expressions)

    def page(self, query, api_type, offset, limit):
        match = self._match(query)
        if not match:
            return []
        where, type_params = _type_filter(api_type)
        snippets = ", ".join(
            f"snippet(search_fts, {index}, %s, %s, ' … ', 24) AS snippet_{name}"
            for index, name in enumerate(FIELDS)
        )
        offset, limit = bounded(offset, limit)
        # Each arm ranks only the rows it visits (LIMIT without ORDER BY stops the scan early).
        # The name arm's rank counts the name only; a document both arms found keeps its full
        # rank (max), so the ranking is exact whenever every match fits.
        arm = (
            f"SELECT f.rowid AS id, -bm25(search_fts, {self.WEIGHTS}) AS rank FROM search_fts f "
            f"JOIN {TABLE} d ON d.id = f.rowid WHERE search_fts MATCH %s{where} LIMIT %s"
        )
        bound = [*type_params, MAX_RESULTS + 1]
        rows = _fetch(
            f"WITH candidates AS MATERIALIZED (SELECT id, max(rank) AS rank FROM "
            f"(SELECT * FROM ({arm}) UNION ALL SELECT * FROM ({arm})) GROUP BY id), "
            "ranked AS MATERIALIZED (SELECT d.id, d.api_type, d.slug, d.name, d.summary, "
            f"c.rank FROM candidates c JOIN {TABLE} d ON d.id = c.id), "
            "page AS (SELECT ranked.*, count(*) OVER () AS total FROM ranked "
            "ORDER BY rank DESC, api_type, slug LIMIT %s OFFSET %s) "
            f"SELECT page.*, {snippets} FROM page JOIN search_fts ON search_fts.rowid = page.id "
            "WHERE search_fts MATCH %s ORDER BY page.rank DESC, page.api_type, page.slug",
            [f"{{name}} : ({match})", *bound, match, *bound, limit, offset]
            + [MARK_START, MARK_END] * len(FIELDS)
            + [match],
        )
        for row in rows:
            row["field"] = next(
                (f for f in FIELDS if MARK_START in (row[f"snippet_{f}"] or "")), "name"
            )
            row["snippet"] = row[f"snippet_{row['field']}"]
        return rows

    def count(self, query, api_type):
        match = self._match(query)
        if not match:
            return 0
        where, type_params = _type_filter(api_type)
        return _fetch(
            f"SELECT count(*) AS n FROM (SELECT 1 FROM search_fts JOIN {TABLE} d "
            f"ON d.id = search_fts.rowid WHERE search_fts MATCH %s{where} LIMIT %s)",
            [match, *type_params, MAX_RESULTS + 1],
        )[0]["n"]

    def _known(self, word, prefix) -> bool:
        probe = '"' + word.replace('"', '""') + '"' + ("*" if prefix else "")
        return bool(
            _fetch("SELECT 1 AS x FROM search_fts WHERE search_fts MATCH %s LIMIT 1", [probe])
        )

    def _terms(self) -> list[str]:
        from content_app.changelog import content_version

        version = content_version().head
        if version not in self._vocabulary:
            terms = [row["term"] for row in _fetch("SELECT term FROM search_fts_vocab", [])]
            SqliteSearch._vocabulary = {version: terms}
        return self._vocabulary[version]

    def correction(self, query, api_type) -> Query | None:
        """Each word the index does not know replaced by the closest word it knows."""
        words, changed = [], False
        for index, word in enumerate(query.words):
            last = index == len(query.words) - 1
            if len(word) < FUZZY_MIN_LENGTH or self._known(word, last and query.prefix):
                words.append(word)
                continue
            close = difflib.get_close_matches(word.lower(), self._terms(), n=1, cutoff=self.CLOSE)
            if not close:
                return None
            words.append(close[0])
            changed = True
        if not changed:
            return None
        corrected = Query(" ".join(words), (), tuple(words), False)
        return corrected if self.page(corrected, api_type, 0, 1) else None

    def fuzzy_page(self, query, correction, api_type, offset, limit):
        return self.page(correction, api_type, offset, limit)

    def fuzzy_count(self, query, correction, api_type):
        return self.count(correction, api_type)


def backend():
    return PostgresSearch() if connection.vendor == "postgresql" else SqliteSearch()
