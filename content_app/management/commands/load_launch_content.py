"""Load the launch content (fixtures/launch_content.json) once; a second run changes nothing.

Editors may have changed launch items since they were loaded, so an existing launch set is
never overwritten unless --force is given.
"""

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from simple_history.models import HistoricalChanges

from content_app.models import Source

LAUNCH_FIXTURE = "launch_content"
LAUNCH_SYNONYMS = "launch_synonyms"  # search synonyms the seed articles state (issue 14)
# Present exactly when the launch content has been loaded.
LAUNCH_MARKER_SOURCE = "back-of-knee-pain-massage-and-four-exercises"


class Command(BaseCommand):
    help = "Load the launch content written from the seed articles (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Reload the fixture even if the launch content is present (overwrites edits).",
        )

    def handle(self, *args, force=False, **options):
        if not force and Source.objects.filter(slug=LAUNCH_MARKER_SOURCE).exists():
            self.stdout.write("Launch content already loaded; nothing to do.")
            return
        with transaction.atomic():
            call_command("loaddata", LAUNCH_FIXTURE, verbosity=0)
            call_command("loaddata", LAUNCH_SYNONYMS, verbosity=0)
            created = record_baseline_history()
        self.stdout.write(
            self.style.SUCCESS(f"Launch content loaded ({created} baseline history records).")
        )


def record_baseline_history() -> int:
    """loaddata's raw saves write no history: give every row without one a first version,
    so editors can see and revert to the launch text."""
    created = 0
    for history_model in apps.get_app_config("content_app").get_models():
        if not issubclass(history_model, HistoricalChanges):
            continue
        model = history_model.instance_type
        recorded = history_model.objects.values_list(model._meta.pk.attname, flat=True)
        missing = list(model._default_manager.exclude(pk__in=recorded))
        if missing:
            model.history.bulk_history_create(
                missing, default_change_reason="Launch content loaded"
            )
            created += len(missing)
    return created
