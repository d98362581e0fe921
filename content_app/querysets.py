"""Reads: chainable QuerySet methods. Views and services chain these; they never filter by hand.

Search is not here: it reads the search index (content_app/search/), not the content tables.
"""

from django.db import models

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
