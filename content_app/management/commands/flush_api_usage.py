"""Copy the per-key request counters into the daily usage table (content_app/partners.py)."""

from django.core.management.base import BaseCommand

from content_app import partners


class Command(BaseCommand):
    help = "Write per-key requests per day from the rate-limit store to ApiKeyUsage."

    def handle(self, *args, **options):
        written = partners.flush()
        self.stdout.write(f"{written} usage row(s) written")
