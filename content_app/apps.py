from django.apps import AppConfig


class ContentAppConfig(AppConfig):
    name = "content_app"
    verbose_name = "KneeCare content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Change-log recording for mobile sync; see content_app/changelog.py.
        from content_app.changelog import connect_signals

        connect_signals()
        from content_app.selfcheck import signals as selfcheck_signals

        selfcheck_signals.connect_signals()
