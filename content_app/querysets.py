"""Reads: chainable QuerySet methods. Views and services chain these; they never filter by hand."""

import re

from django.db import connections, models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

PUBLISHED = "published"

# Search weights per text column: PostgreSQL's A > B > C > D; the fallback scores 8 > 4 > 2 > 1.
SEARCH_WEIGHTS = {
    "sources": {"title": "A", "author": "B", "publisher": "B", "note": "C"},
    "default": {"name": "A", "summary": "B", "body": "C"},
}
FALLBACK_SCORES = {"A": 8, "B": 4, "C": 2, "D": 1}
_WORD = re.compile(r"\w+", re.UNICODE)


def search_weights(model) -> dict[str, str]:
    return SEARCH_WEIGHTS.get(getattr(model, "api_type", ""), SEARCH_WEIGHTS["default"])


class ContentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PUBLISHED)

    def search(self, query: str):
        """Rows matching `query`, annotated with a float `rank` (higher is better), best first.

        PostgreSQL: full-text search with weighted vectors (name A, summary B, body C).
        Elsewhere: every word of the query must occur in some text column; the rank adds the
        weight of each column a word occurs in, so a hit in the name beats one in the body.
        """
        weights = search_weights(self.model)
        if connections[self.db].vendor == "postgresql":
            return self._search_postgresql(query, weights)
        return self._search_fallback(query, weights)

    def _search_postgresql(self, query, weights):
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = None
        for column, weight in weights.items():
            text = Coalesce(F(column), Value(""), output_field=models.TextField())
            part = SearchVector(text, weight=weight, config="english")
            vector = part if vector is None else vector + part
        search_query = SearchQuery(query, search_type="websearch", config="english")
        return (
            self.annotate(search_document=vector, rank=SearchRank(vector, search_query))
            .filter(search_document=search_query)
            .order_by("-rank", "slug")
        )

    def _search_fallback(self, query, weights):
        words = _WORD.findall(query.lower())[:10]
        if not words:
            return self.none().annotate(rank=Value(0.0, output_field=models.FloatField()))
        condition = Q()
        score = Value(0)
        for word in words:
            any_column = Q()
            for column, weight in weights.items():
                any_column |= Q(**{f"{column}__icontains": word})
                score = score + Case(
                    When(Q(**{f"{column}__icontains": word}), then=Value(FALLBACK_SCORES[weight])),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            condition &= any_column
        return (
            self.filter(condition)
            .annotate(rank=models.ExpressionWrapper(score * 1.0, output_field=models.FloatField()))
            .order_by("-rank", "slug")
        )
