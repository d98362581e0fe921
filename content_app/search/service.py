"""`SearchHits(q, type)`: what /api/v1/search/ pages through. Exact matches first (ranked and
counted in SQL, snippets for the page's rows only: one statement); when nothing matches, the
closest spelling's results, with `did_you_mean` naming it.

At most `backends.MAX_RESULTS` results are served, whatever the content's size: when more
match, `count` is that cap and `count_capped` says so (the best of a bounded candidate set, see
backends)."""

from html import escape

from django.urls import reverse

from content_app.search import backends, synonyms
from content_app.search.backends import MARK_END, MARK_START, Query, backend

SOURCE_FIELDS = {"name": "title", "summary": "byline", "body": "note"}


def mark(text: str) -> str:
    """HTML-safe snippet: the text escaped, matched words in <mark>."""
    escaped = escape(text or "", quote=False)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


class SearchHits:
    """A sliceable, countable result set for `pagination.paginate()`."""

    def __init__(self, q: str, api_type: str | None = None):
        self.backend = backend()
        self.api_type = api_type
        self.query = Query.parse(q, synonyms.alternatives(q, synonyms.groups()))
        self.correction = None  # the closest spelling, once nothing matched exactly
        self._total = None

    @property
    def did_you_mean(self) -> str | None:
        return self.correction.text if self.correction else None

    def __getitem__(self, page: slice) -> list[dict]:
        offset = page.start or 0
        limit = page.stop - offset
        rows = self.backend.page(self.query, self.api_type, offset, limit)
        if not rows and (offset == 0 or self.backend.count(self.query, self.api_type) == 0):
            # Nothing matched (page 2+ of a corrected search asks again: no state is kept).
            self.correction = self.backend.correction(self.query, self.api_type)
        if self.correction is not None:
            rows = self.backend.fuzzy_page(
                self.query, self.correction, self.api_type, offset, limit
            )
        self._total = rows[0]["total"] if rows else None
        return self._results(rows)

    def count(self) -> int:
        """Matches, up to MAX_RESULTS (see `count_capped`)."""
        return min(self._matches(), backends.MAX_RESULTS)

    @property
    def count_capped(self) -> bool:
        """More than MAX_RESULTS matched: only the best MAX_RESULTS are served and counted."""
        return self._matches() > backends.MAX_RESULTS

    def _matches(self) -> int:
        """Candidates: every match up to MAX_RESULTS, more than MAX_RESULTS beyond it."""
        if self._total is None:
            if self.correction is not None:
                total = self.backend.fuzzy_count(self.query, self.correction, self.api_type)
            else:
                total = self.backend.count(self.query, self.api_type)
            self._total = total
        return self._total

    def _results(self, rows) -> list[dict]:
        bases = {}
        results = []
        for row in rows:
            api_type = row["api_type"]
            base = bases.get(api_type) or bases.setdefault(api_type, reverse(f"v1:{api_type}-list"))
            field = SOURCE_FIELDS[row["field"]] if api_type == "sources" else row["field"]
            results.append(
                {
                    "type": api_type,
                    "slug": row["slug"],
                    "name": row["name"],
                    "summary": "" if api_type == "sources" else row["summary"],
                    "url": f"{base}{row['slug']}/",
                    "rank": round(float(row["rank"]), 6),
                    "highlight": {"field": field, "snippet": mark(row["snippet"])},
                }
            )
        return results
