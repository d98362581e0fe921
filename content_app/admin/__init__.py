"""Django admin for every KneeCare model: the editors' workplace.

The shared editorial behaviour (workflow buttons and actions, locking, history, preview) lives
in `editorial.py`; this module only says, per model, what to list, filter, search and inline.
"""

from django.conf import settings
from django.contrib import admin
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from content_app import models as m
from content_app import partners
from content_app.admin.editorial import EditorialAdmin, EditorialInline
from content_app.admin.filters import ReviewDueFilter
from content_app.admin.media import AnatomyMediaInline, ExerciseMediaInline, TreatmentMediaInline

CONTENT_LIST = ("name", "slug", "status", "review_state", "reviewer", "updated_at")
CONTENT_FILTERS = ("status", ReviewDueFilter, "reviewer_role")


# --- inlines: one per through-model -----------------------------------------------------------


class CauseStructureInline(EditorialInline):
    model = m.CauseStructure
    fields = ("structure", "role", "order", "note")
    autocomplete_fields = ("structure",)
    verbose_name_plural = "anatomy structures involved"


class CauseSymptomInline(EditorialInline):
    model = m.CauseSymptom
    fields = ("symptom", "role", "weight", "order", "note")
    autocomplete_fields = ("symptom",)
    verbose_name_plural = "symptoms"


class CauseRiskFactorInline(EditorialInline):
    model = m.CauseRiskFactor
    fields = ("risk_factor", "order", "note")
    autocomplete_fields = ("risk_factor",)
    verbose_name_plural = "risk factors"


class CauseRedFlagInline(EditorialInline):
    model = m.CauseRedFlag
    fields = ("red_flag", "order", "note")
    autocomplete_fields = ("red_flag",)
    verbose_name_plural = "red flags"


class CauseExerciseInline(EditorialInline):
    model = m.CauseExercise
    fields = ("exercise", "role", "phase", "caution", "order", "note")
    autocomplete_fields = ("exercise",)
    verbose_name_plural = "exercises (recommended or to avoid, with their phase and caution)"


class CauseTreatmentInline(EditorialInline):
    model = m.CauseTreatment
    fields = ("treatment", "role", "phase", "caution", "order", "note")
    autocomplete_fields = ("treatment",)
    verbose_name_plural = "self-care treatments (with their role, phase and caution)"


class SymptomRedFlagInline(EditorialInline):
    model = m.SymptomRedFlag
    fields = ("red_flag", "order", "note")
    autocomplete_fields = ("red_flag",)
    verbose_name_plural = "red flags to show with this symptom (most urgent first)"


class ExerciseStepInline(EditorialInline):
    model = m.ExerciseStep
    fields = ("order", "text", "note")
    verbose_name_plural = "steps"


class ExerciseTargetInline(EditorialInline):
    model = m.ExerciseTarget
    fields = ("structure", "role", "order", "note")
    autocomplete_fields = ("structure",)
    verbose_name_plural = "target structures"


class HarderVariationInline(EditorialInline):
    model = m.ExerciseProgression
    fk_name = "easier"
    fields = ("harder", "order", "note")
    autocomplete_fields = ("harder",)
    verbose_name = "progression (harder variation)"
    verbose_name_plural = "progressions (harder variations)"


class EasierVariationInline(EditorialInline):
    model = m.ExerciseProgression
    fk_name = "harder"
    fields = ("easier", "order", "note")
    autocomplete_fields = ("easier",)
    verbose_name = "regression (easier variation)"
    verbose_name_plural = "regressions (easier variations)"


class TreatmentTargetInline(EditorialInline):
    model = m.TreatmentTarget
    fields = ("structure", "order", "note")
    autocomplete_fields = ("structure",)
    verbose_name_plural = "target structures"


# --- content types ----------------------------------------------------------------------------


@admin.register(m.AnatomyStructure)
class AnatomyStructureAdmin(EditorialAdmin):
    list_display = ("name", "kind", "parent", *CONTENT_LIST[1:])
    list_filter = (*CONTENT_FILTERS, "kind")
    list_select_related = ("reviewed_by", "parent")
    search_fields = ("name", "latin_name", "slug", "summary")
    autocomplete_fields = ("parent", "sources")
    inlines = (AnatomyMediaInline,)


@admin.register(m.Cause)
class CauseAdmin(EditorialAdmin):
    list_display = (*CONTENT_LIST[:3], "prevalence", "onset", "self_care", *CONTENT_LIST[3:])
    list_filter = (*CONTENT_FILTERS, "prevalence", "onset", "self_care")
    inlines = (
        CauseStructureInline,
        CauseSymptomInline,
        CauseRiskFactorInline,
        CauseRedFlagInline,
        CauseExerciseInline,
        CauseTreatmentInline,
    )


@admin.register(m.Symptom)
class SymptomAdmin(EditorialAdmin):
    list_display = CONTENT_LIST
    list_filter = CONTENT_FILTERS
    inlines = (SymptomRedFlagInline,)


@admin.register(m.RiskFactor)
class RiskFactorAdmin(EditorialAdmin):
    list_display = (*CONTENT_LIST[:3], "category", "modifiable", *CONTENT_LIST[3:])
    list_filter = (*CONTENT_FILTERS, "category", "modifiable")


@admin.register(m.RedFlag)
class RedFlagAdmin(EditorialAdmin):
    list_display = (*CONTENT_LIST[:3], "urgency", *CONTENT_LIST[3:])
    list_filter = (*CONTENT_FILTERS, "urgency")
    search_fields = ("name", "slug", "summary", "action")


@admin.register(m.Treatment)
class TreatmentAdmin(EditorialAdmin):
    list_display = (*CONTENT_LIST[:3], "kind", *CONTENT_LIST[3:])
    list_filter = (*CONTENT_FILTERS, "kind")
    inlines = (TreatmentTargetInline, TreatmentMediaInline)


@admin.register(m.Exercise)
class ExerciseAdmin(EditorialAdmin):
    list_display = (
        *CONTENT_LIST[:3],
        "category",
        "difficulty",
        "equipment",
        "dosage",
        *CONTENT_LIST[3:],
    )
    list_filter = (*CONTENT_FILTERS, "category", "difficulty", "equipment", "prevention_only")
    inlines = (
        ExerciseStepInline,
        ExerciseTargetInline,
        HarderVariationInline,
        EasierVariationInline,
        ExerciseMediaInline,
    )

    @admin.display(description="dosage")
    def dosage(self, obj):
        parts = []
        if obj.sets and obj.reps:
            parts.append(f"{obj.sets}×{obj.reps}")
        if obj.hold_seconds:
            parts.append(f"hold {obj.hold_seconds}s")
        if obj.times_per_day:
            high = f"–{obj.times_per_day_max}" if obj.times_per_day_max else ""
            parts.append(f"{obj.times_per_day}{high}/day")
        return ", ".join(parts) or obj.dosage_note or "—"


@admin.register(m.Source)
class SourceAdmin(EditorialAdmin):
    list_display = ("title", "slug", "status", "author", "publisher", "published_on", "updated_at")
    list_filter = ("status", "publisher")
    list_select_related = ()
    search_fields = ("title", "slug", "author", "publisher", "url")
    autocomplete_fields = ()
    prepopulated_fields = {"slug": ("title",)}
    actions = ("submit_selected", "publish_selected", "unpublish_selected", "archive_selected")


@admin.register(m.Disclaimer)
class DisclaimerAdmin(EditorialAdmin):
    """Exactly one is published; publishing a new one archives the current one."""

    list_display = ("name", "slug", "status", "summary", "updated_at")
    list_filter = ("status",)
    list_select_related = ()
    search_fields = ("name", "slug", "summary", "body")
    autocomplete_fields = ()
    actions = ("submit_selected", "publish_selected")


# --- the change log: read-only bookkeeping ----------------------------------------------------


@admin.register(m.ChangeLogEntry)
class ChangeLogEntryAdmin(admin.ModelAdmin):
    show_full_result_count = False  # the biggest table: one COUNT(*) per view is enough
    list_display = ("id", "action", "entity_type", "slug", "created_at")
    list_filter = ("action", "entity_type")
    search_fields = ("slug",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.SyncHorizon)
class SyncHorizonAdmin(ChangeLogEntryAdmin):
    list_display = ("id", "pruned_through")
    list_filter = ()
    search_fields = ()


# --- Partners: change notices and their webhooks ------------------------------------------


class WebhookSubscriptionInline(admin.TabularInline):
    model = m.WebhookSubscription
    fields = ("url", "grades", "active", "secret")
    readonly_fields = ("secret",)
    extra = 0


@admin.register(m.WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("url", "api_key", "grades", "active", "created_at")
    list_filter = ("active",)
    list_select_related = ("api_key",)
    search_fields = ("url", "api_key__name")
    readonly_fields = ("secret", "created_at")
    autocomplete_fields = ("api_key",)


@admin.register(m.WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: every event sent to every subscription, with its attempts."""

    list_display = (
        "change",
        "subscription",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status",)
    list_select_related = ("change", "subscription__api_key")
    search_fields = ("subscription__url", "change__slug")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.ContentChange)
class ContentChangeAdmin(admin.ModelAdmin):
    list_display = ("id", "event", "entity_type", "slug", "grades", "created_at")
    list_filter = ("event", "entity_type")
    search_fields = ("slug",)
    exclude = ("snapshot",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ApiKeyUsageInline(admin.TabularInline):
    """Requests per day (flushed from the counters by a task; today's live figure is on the
    key list)."""

    model = m.ApiKeyUsage
    fields = ("day", "requests", "limited", "updated_at")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ("-day",)


@admin.register(m.ApiKeyUsage)
class ApiKeyUsageAdmin(admin.ModelAdmin):
    list_display = ("day", "api_key", "requests", "limited", "updated_at")
    list_filter = ("day", "api_key")
    list_select_related = ("api_key",)
    date_hierarchy = "day"
    search_fields = ("api_key__name", "api_key__prefix", "api_key__owner_email")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The library's own key model is replaced by PartnerKey (migration 0015 moved its keys).
admin.site.unregister(APIKey)


@admin.register(m.PartnerKey)
class PartnerKeyAdmin(APIKeyModelAdmin):
    """Keys with their owner, their own rate and usage; webhook subscriptions per key."""

    list_display = (
        "prefix",
        "name",
        "owner_email",
        "rate",
        "requests_today",
        "created",
        "expiry_date",
        "_has_expired",
        "revoked",
    )
    search_fields = ("name", "prefix", "owner_email")
    fields = ("name", "owner_email", "rate_limit", "expiry_date", "revoked", "prefix")
    inlines = [ApiKeyUsageInline, WebhookSubscriptionInline]

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        live = partners.live_counts([key.pk for key in changelist.result_list])
        for key in changelist.result_list:
            key.live_requests = live.get(key.pk, 0)
        return changelist

    @admin.display(description="rate")
    def rate(self, obj):
        return obj.rate_limit or f"{settings.API_RATE_PARTNER or 'unlimited'} (default)"

    @admin.display(description="requests today")
    def requests_today(self, obj):
        return getattr(obj, "live_requests", None)


# The self-check's questions and triage rules (content_app/admin/selfcheck.py).
from content_app.admin import selfcheck  # noqa: E402, F401
from content_app.search import admin as search_admin  # noqa: E402,F401  (registers Synonym)
