"""Re-derive the search index from the published content (after writes that skip signals)."""

from django.core.management.base import BaseCommand

from content_app.search.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the published content."

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} documents."))
