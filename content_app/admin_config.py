"""django.contrib.admin with the KneeCare site: branded, the editorial dashboard as its home.

Outside the content_app.admin package on purpose: the admin builds its default site from
here before content_app.admin (which imports the models and registers them) is loaded.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class KneeCareAdminSite(admin.AdminSite):
    site_header = "KneeCare editorial"
    site_title = "KneeCare editorial"
    index_title = "What waits for the team"
    index_template = "admin/kneecare_index.html"

    def index(self, request, extra_context=None):
        from content_app.admin.dashboard import waiting_work
        from content_app.admin.editorial import EditorialAdmin

        editorial = [
            (model, model_admin)
            for model, model_admin in self._registry.items()
            if isinstance(model_admin, EditorialAdmin)
        ]
        context = {"waiting": waiting_work(request, editorial), **(extra_context or {})}
        return super().index(request, extra_context=context)


class KneeCareAdminConfig(AdminConfig):
    default_site = "content_app.admin_config.KneeCareAdminSite"
