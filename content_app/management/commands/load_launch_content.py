"""Load the launch content (fixtures/launch_content.json) once; a second run changes nothing.

Editors may have changed launch items since they were loaded, so an existing launch set is
never overwritten unless --force is given.
"""

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
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
        started = timezone.now()
        with transaction.atomic():
            call_command("loaddata", LAUNCH_FIXTURE, verbosity=0)
            call_command("loaddata", LAUNCH_SYNONYMS, verbosity=0)
            created = record_baseline_history(since=started)
        self.stdout.write(
            self.style.SUCCESS(f"Launch content loaded ({created} baseline history records).")
        )


BASELINE_REASON = "Launch content loaded"


def record_baseline_history(since=None) -> int:
    """loaddata's raw saves write no history: give every row without one a first version,
    so editors can see and revert to the launch text. Setting the cited sources during
    loaddata does record a version (simple-history's m2m tracking), without a reason: those
    versions since `since` are the launch version too, and are labelled so."""
    created = 0
    for history_model in apps.get_app_config("content_app").get_models():
        if not issubclass(history_model, HistoricalChanges):
            continue
        model = history_model.instance_type
        if since is not None and any(
            f.name == "history_date" for f in history_model._meta.concrete_fields
        ):
            history_model.objects.filter(
                history_date__gte=since, history_change_reason__isnull=True
            ).update(history_change_reason=BASELINE_REASON)
        recorded = history_model.objects.values_list(model._meta.pk.attname, flat=True)
        missing = list(model._default_manager.exclude(pk__in=recorded))
        if missing:
            model.history.bulk_history_create(missing, default_change_reason=BASELINE_REASON)
            created += len(missing)
    return created
