from django.apps import AppConfig


class ContentAppConfig(AppConfig):
    name = "content_app"
    verbose_name = "KneeCare content"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Change-log recording for mobile sync; see content_app/changelog.py.
        from content_app.changelog import connect_signals

        connect_signals()

        # The search index follows the published set the same way; see content_app/search/.
        from content_app.search.index import connect_signals as connect_search_signals

        connect_search_signals()
        from django.db.models.signals import post_migrate

        from content_app.search.schema import after_migrate

        post_migrate.connect(after_migrate, sender=self, dispatch_uid="search:schema")

        from content_app.selfcheck import signals as selfcheck_signals

        selfcheck_signals.connect_signals()
