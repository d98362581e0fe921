"""Reads: chainable QuerySet methods. Views and services chain these; they never filter by hand."""

from django.db import models


class ContentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")
