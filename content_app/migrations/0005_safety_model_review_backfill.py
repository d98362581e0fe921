"""Existing reviews get who and in what role: there was no clinical reviewer role before, so
every recorded review becomes an editorial one (never presented as clinical)."""

from django.db import migrations

MODELS = ("anatomystructure", "cause", "symptom", "riskfactor", "redflag", "exercise", "treatment")
EDITORIAL_TEAM = "KneeCare editorial team"


def backfill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("content_app", name)
        for item in model.objects.filter(reviewed_at__isnull=False).select_related("reviewed_by"):
            user = item.reviewed_by
            full_name = f"{user.first_name} {user.last_name}".strip() if user else ""
            model.objects.filter(pk=item.pk).update(
                reviewer_name=full_name or EDITORIAL_TEAM, reviewer_role="editorial"
            )
        model.objects.filter(reviewed_at__isnull=True).update(reviewer_name="", reviewer_role="")


def groups(apps, schema_editor):
    from content_app.roles import sync_editorial_groups

    sync_editorial_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("content_app", "0004_safety_model_fields")]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(groups, migrations.RunPython.noop),
    ]
