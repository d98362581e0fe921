"""`search(q, api_type)`: what /api/v1/search/ pages through. Exact matches first (ranked in
SQL, paged with LIMIT/OFFSET, highlighted for the page only); when nothing matches, the
closest spelling's results with `did_you_mean` set to it."""

from html import escape

from django.urls import reverse

from content_app.search import synonyms
from content_app.search.backends import MARK_END, MARK_START, Query, backend

SOURCE_FIELDS = {"name": "title", "summary": "byline", "body": "note"}


def mark(text: str) -> str:
    """HTML-safe snippet: the text escaped, matched words in <mark>."""
    return (
        escape(text or "", quote=False).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    )


class SearchHits:
    """A sliceable, countable result set for `pagination.paginate()` (2-3 queries a page)."""

    def __init__(self, q: str, api_type: str | None = None):
        self.backend = backend()
        self.api_type = api_type
        self.query = Query.parse(q, synonyms.alternatives(q, synonyms.groups()))
        self.did_you_mean = None
        self._fuzzy = None  # the corrected Query once nothing matched exactly

    def __getitem__(self, page: slice) -> list[dict]:
        offset, limit = page.start or 0, page.stop - (page.start or 0)
        rows = self.backend.exact(self.query, self.api_type, offset, limit)
        query = self.query
        if not rows and offset == 0:
            self._fuzzy = self.backend.correction(self.query, self.api_type)
            if self._fuzzy is not None:
                self.did_you_mean = self._fuzzy.text
                rows = self.backend.fuzzy(self._fuzzy_source(), self.api_type, offset, limit)
                query = self._fuzzy
        elif self._fuzzy is not None:
            rows = self.backend.fuzzy(self._fuzzy_source(), self.api_type, offset, limit)
        return self._results(rows, query)

    def _fuzzy_source(self):
        # PostgreSQL pages through names close to what was typed; SQLite through the
        # corrected spelling's matches.
        return self.query if hasattr(self.backend, "FUZZY_THRESHOLD") else self._fuzzy

    def count(self) -> int:
        if self._fuzzy is not None:
            return self.backend.fuzzy_count(self._fuzzy_source(), self.api_type)
        return self.backend.count(self.query, self.api_type)

    def _results(self, rows, query) -> list[dict]:
        highlights = self.backend.highlights(query, [row["id"] for row in rows])
        bases = {}
        results = []
        for row in rows:
            api_type = row["api_type"]
            base = bases.get(api_type) or bases.setdefault(api_type, reverse(f"v1:{api_type}-list"))
            field, snippet = highlights.get(row["id"], ("name", row["name"]))
            if api_type == "sources":
                field = SOURCE_FIELDS[field]
            results.append(
                {
                    "type": api_type,
                    "slug": row["slug"],
                    "name": row["name"],
                    "summary": "" if api_type == "sources" else row["summary"],
                    "url": f"{base}{row['slug']}/",
                    "rank": round(float(row["rank"]), 6),
                    "highlight": {"field": field, "snippet": mark(snippet)},
                }
            )
        return results
