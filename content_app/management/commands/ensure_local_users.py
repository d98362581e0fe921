"""Create the local-only admin login (and one user per editorial role) for `make run`.

Refuses to run with DJANGO_ENV=production: production accounts are made with createsuperuser.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

LOCAL_PASSWORD = "kneecare-local"
LOCAL_USERS = (
    # username, group, is_superuser
    ("admin", None, True),
    ("editor", "Editor", False),
    ("reviewer", "Reviewer", False),
    ("publisher", "Publisher", False),
)


class Command(BaseCommand):
    help = "Create local development logins (never in production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("ensure_local_users is for local development only.")
        User = get_user_model()
        for username, group_name, is_superuser in LOCAL_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"is_staff": True, "is_superuser": is_superuser},
            )
            if created:
                user.set_password(LOCAL_PASSWORD)
                user.save()
            if group_name:
                group = Group.objects.filter(name=group_name).first()
                if group:
                    user.groups.add(group)
        self.stdout.write(
            "Local admin logins (password for each: "
            f"{LOCAL_PASSWORD}): " + ", ".join(u for u, _, _ in LOCAL_USERS)
        )
