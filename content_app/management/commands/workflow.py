"""Run an editorial workflow step from the command line, with the same checks as the admin.

    manage.py workflow publish causes bakers-cyst popliteus-tendinopathy --as publisher
    manage.py workflow review exercises heel-slides --as reviewer --due 2027-11-30
    manage.py workflow publish media heel-slide-start --as publisher

Steps (content_app/workflow.py): edit-next (open a published item's next version), submit,
review, send-back, publish, unpublish, archive, discard (a working copy, named by its own slug
`<slug>--next-<id>`). The acting user's permissions are checked exactly as in the admin
(content_app.services); each item reports its outcome.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from content_app import services
from content_app.models import MODELS_BY_API_TYPE, MediaAsset
from content_app.workflow import STEPS as WORKFLOW_STEPS

# The collections, and media assets (reviewed and published the same way).
WORKFLOW_MODELS = {**MODELS_BY_API_TYPE, MediaAsset.api_type: MediaAsset}

# One table (content_app/workflow.py); the command names use dashes (send-back).
STEPS = {step.command: step.func for step in WORKFLOW_STEPS.values()}


class Command(BaseCommand):
    help = "Run a workflow step (edit-next, submit, review, send-back, publish, ...)."

    def add_arguments(self, parser):
        parser.add_argument("step", choices=sorted(STEPS))
        parser.add_argument("collection", choices=sorted(WORKFLOW_MODELS))
        parser.add_argument("slugs", nargs="+")
        parser.add_argument("--as", dest="username", required=True, help="The acting user.")
        parser.add_argument("--due", type=datetime.date.fromisoformat, help="Next review due.")

    def handle(self, *args, step, collection, slugs, username, due=None, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        model = WORKFLOW_MODELS[collection]
        items = {item.slug: item for item in model.objects.filter(slug__in=slugs)}
        failed = 0
        for slug in slugs:
            item = items.get(slug)
            if item is None:
                failed += 1
                self.stderr.write(f"{slug}: no such {model._meta.verbose_name}")
                continue
            kwargs = {"item": item, "user": user}
            if step == "review" and due:
                kwargs["review_due"] = due
            try:
                outcome = STEPS[step](**kwargs)
            except (services.WorkflowError, PermissionDenied) as refused:
                failed += 1
                self.stderr.write(f"{slug}: refused: {refused}")
            else:
                self.stdout.write(f"{slug}: {outcome.message}")
        if failed:
            raise CommandError(f"{failed} of {len(slugs)} item(s) not done.")
