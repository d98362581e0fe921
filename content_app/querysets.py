"""Reads: chainable QuerySet methods. Views and services chain these; they never filter by hand.

Search is not here: it reads the search index (content_app/search/), not the content tables.
"""

from django.db import models
from django.db.models import F, Lookup

PUBLISHED = "published"


class ContentQuerySet(models.QuerySet):
    def published(self):
        """What the public API may serve: published live rows, never a working copy."""
        return self.filter(status=PUBLISHED, working_copy_of__isnull=True)

    def live(self):
        """Items themselves, without the working copies of their next versions (admin lists,
        choices of related items)."""
        return self.filter(working_copy_of__isnull=True)

    def working_copies(self):
        return self.filter(working_copy_of__isnull=False)


class IdIn(Lookup):
    """`column IN ids`, with the ids as ONE array parameter on PostgreSQL (`= ANY(%s)`):
    rendering thousands of items at once (the bundle) otherwise spends more time building,
    quoting, sending and planning IN lists than reading rows. Use: `.filter(id_in("x_id", ids))`.
    """

    lookup_name = "id_in"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = list(self.rhs)
        if not ids:
            return "1 = 0", []
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*lhs_params, *ids]

    def as_postgresql(self, compiler, connection):
        # The array as one text literal, cast: Django's client-side binding made psycopg quote
        # a list element by element, 0.3 s of the 100x bundle's 2 s render; a string is one.
        lhs, lhs_params = self.process_lhs(compiler, connection)
        literal = "{" + ",".join(str(int(i)) for i in self.rhs) + "}"
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, literal]


def id_in(column: str, ids) -> IdIn:
    return IdIn(F(column), list(ids))
