"""Search storage: one row per *published* item (drafts are never in it) and the synonyms.

Why one search table rather than a GeneratedField per content type: one indexed query ranks
and pages across all eight types in SQL (no per-type queries merged and sorted in Python),
drafts cannot leak because they are never copied here, and the model stays the same on every
database. The database keeps the search data current: on PostgreSQL `vector` is a STORED
generated tsvector column (weights name A, summary B, body C) with a GIN index, and `name` has
a pg_trgm GIN index; on SQLite an FTS5 external-content table is kept in step by triggers.
Both are created by migration 0011_search_index (raw SQL: Django has no field for either).
Rows are written by model signals in the same transaction as the change (`index.py`).
"""

from django.db import models
from simple_history.models import HistoricalRecords


class SearchDocument(models.Model):
    api_type = models.CharField(max_length=24)
    object_id = models.BigIntegerField()
    slug = models.SlugField(max_length=120)
    name = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("api_type", "object_id"), name="search_doc_unique")
        ]
        indexes = [models.Index(fields=("api_type", "slug"), name="search_doc_type_slug")]

    def __str__(self):
        return f"{self.api_type}/{self.slug}"


class Synonym(models.Model):
    """Words people use for the same thing; a search for one also finds the others."""

    terms = models.TextField(
        help_text=(
            "Equivalent words or phrases, one per line (or comma-separated), e.g. "
            "'Baker's cyst' and 'popliteal cyst'. Case and apostrophes do not matter."
        )
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="Where the equivalence comes from (the source)."
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("terms",)

    def __str__(self):
        return " ↔ ".join(self.term_list())

    def term_list(self) -> list[str]:
        raw = self.terms.replace(",", "\n").splitlines()
        return [term.strip() for term in raw if term.strip()]
