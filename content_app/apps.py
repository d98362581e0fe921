from django.apps import AppConfig


class ContentAppConfig(AppConfig):
    name = "content_app"
    verbose_name = "KneeCare content"
    default_auto_field = "django.db.models.BigAutoField"
