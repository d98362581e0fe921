"""Admin for the self-check's rule content: questions with their answers, and triage rules."""

from django.contrib import admin

from content_app import models as m
from content_app.admin.editorial import EditorialAdmin, EditorialInline


class SelfCheckOptionInline(EditorialInline):
    model = m.SelfCheckOption
    fields = ("order", "value", "label", "symptom", "note")
    autocomplete_fields = ("symptom",)
    verbose_name_plural = "answers (one per person; each means the symptom given, or none)"


class TriageRuleSymptomInline(EditorialInline):
    model = m.TriageRuleSymptom
    fields = ("symptom", "order", "note")
    autocomplete_fields = ("symptom",)
    verbose_name_plural = "symptoms (the rule fires when all of them are present)"


@admin.register(m.SelfCheckQuestion)
class SelfCheckQuestionAdmin(EditorialAdmin):
    list_display = ("name", "order", "slug", "status", "review_state", "reviewer", "updated_at")
    list_filter = ("status",)
    inlines = (SelfCheckOptionInline,)


@admin.register(m.TriageRule)
class TriageRuleAdmin(EditorialAdmin):
    list_display = ("name", "red_flag", "slug", "status", "review_state", "reviewer", "updated_at")
    list_filter = ("status", "red_flag__urgency")
    list_select_related = ("reviewed_by", "red_flag")
    autocomplete_fields = ("sources", "red_flag")
    inlines = (TriageRuleSymptomInline,)
