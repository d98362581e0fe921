"""Reads: chainable QuerySet methods. Views and services chain these; they never filter by hand.

Search is not here: it reads the search index (content_app/search/), not the content tables.
"""

from django.db import models

PUBLISHED = "published"


class ContentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PUBLISHED)
