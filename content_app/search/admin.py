"""Admin for synonyms: editors keep the words people search with (history included)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from content_app.search.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "active", "note", "updated_at")
    list_filter = ("active",)
    search_fields = ("terms", "note")
    fields = ("terms", "note", "active")
