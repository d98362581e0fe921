"""The editorial ModelAdmin every content type shares.

- Status and review metadata are read-only in forms: they change only through the workflow
  buttons and bulk actions, which call `content_app.services` (which checks permissions).
- Only drafts are editable (superusers excepted). A published item changes through its next
  version, a working copy (content_app/working_copies.py): "Edit next version" opens it, it is
  reviewed and published like a draft and then replaces the live item; the API serves the live
  one meanwhile. Working copies are reached from their live item, never listed or offered as
  related items.
- Optimistic locking: the form carries the revision it was loaded with (`EditorialForm`), and
  the model's conditional UPDATE refuses a save that races past that check; either way the
  editor gets the conflict page with what they typed (content_app/admin/conflicts.py).
- History (simple-history) with diffs, relation history and a revert that is a new version.
- Hard delete is for superusers only.
"""

import datetime
import json

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from content_app import models as m
from content_app import services
from content_app.admin.conflicts import conflict_context, is_conflict
from content_app.admin.dashboard import item_notes, review_state_label
from content_app.admin.forms import EditorialForm
from content_app.admin.history_views import add_version_rows, compare_page, revert_page
from content_app.admin.layout import content_fieldsets, mark_publish_required
from content_app.admin.markdown_preview import MARKDOWN_FIELDS, render_markdown
from content_app.admin.widgets import (
    PreloadedAutocompleteSelect,
    PreloadedInlineFormSet,
    bounded_formfield,
    exact_matches_first,
    related_fields,
)
from content_app.models import ContentEntity, ReviewerRole, Status
from content_app.models.base import RevisionConflict
from content_app.roles import may_review_clinically
from content_app.safety import publish_required_fields
from content_app.workflow import STEPS

# The steps, their labels and permissions: content_app/workflow.py (one table).


WORKFLOW_FIELDS = (
    "status",
    "reviewed_at",
    "reviewed_by",
    "reviewer_name",
    "reviewer_role",
    "review_due",
    "published_at",
    "revision",
    "created_at",
    "updated_at",
)


def _problems_html(problems):
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems)))


def user_may(user, action, model) -> bool:
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


def live_choices(db_field, kwargs) -> dict:
    """Related-item choices are live items only: nothing may link to a working copy."""
    if issubclass(db_field.related_model, m.PublicEntity) and "queryset" not in kwargs:
        kwargs["queryset"] = db_field.related_model._default_manager.live()
    return kwargs


class EditorialInline(admin.TabularInline):
    """A through-model inline: editable exactly when its parent item is.

    Its rows come with their related objects, which its autocompletes reuse: the page makes
    the same number of queries for 1 row or 50 (tests/admin/test_query_counts.py)."""

    extra = 0
    show_change_link = False
    formset = PreloadedInlineFormSet

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*related_fields(self.model))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **live_choices(db_field, kwargs))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return bounded_formfield(db_field, formfield)

    def _parent_editable(self, request, obj):
        return obj is None or obj.status == Status.DRAFT or request.user.is_superuser

    def has_add_permission(self, request, obj):
        return self._parent_editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_editable(request, obj) and super().has_delete_permission(request, obj)


class EditorialAdmin(SimpleHistoryAdmin):
    form = EditorialForm
    change_form_template = "admin/content_app/editorial_change_form.html"
    object_history_template = "admin/content_app/editorial_object_history.html"
    history_list_display = ["status", "revision"]
    list_per_page = 50
    # Django's "N total" beside a filtered count is a second COUNT(*) over the whole table on
    # every changelist view, growing with the content (issue 14); the paginator's count stays.
    show_full_result_count = False
    list_select_related = ("reviewed_by",)
    search_fields = ("name", "slug", "summary")
    autocomplete_fields = ("sources",)
    prepopulated_fields = {"slug": ("name",)}
    date_hierarchy = None
    actions = (
        "submit_selected",
        "review_selected",
        "publish_selected",
        "unpublish_selected",
        "archive_selected",
    )

    def view_on_site(self, obj):
        # "View on site" is the public API URL, which only answers for published items.
        return obj.get_absolute_url() if obj.status == Status.PUBLISHED else None

    # --- permissions ------------------------------------------------------------------

    def has_review_permission(self, request):
        return issubclass(self.model, services.REVIEWED) and user_may(
            request.user, "review", self.model
        )

    def has_publish_permission(self, request):
        return user_may(request.user, "publish", self.model)

    def has_submit_permission(self, request):
        return user_may(request.user, "change", self.model)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or obj.status == Status.DRAFT or request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    # --- forms ------------------------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        fixed = ["slug"] if obj is not None and obj.is_working_copy else []
        return [*fixed, *(f for f in WORKFLOW_FIELDS if self._has_field(f))]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **live_choices(db_field, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **live_choices(db_field, kwargs))

    # --- working copies: reached from their live item, never listed or offered -------------

    def get_list_select_related(self, request):
        related = super().get_list_select_related(request)
        return (*(related if isinstance(related, (list, tuple)) else ()), "working_copy")

    def get_list_display(self, request):
        return [
            "workflow_status" if name == "status" else name
            for name in super().get_list_display(request)
        ]

    @admin.display(description="status", ordering="status")
    def workflow_status(self, obj):
        copy = getattr(obj, "working_copy", None) if obj.pk else None
        if copy is None:
            return obj.get_status_display()
        return f"{obj.get_status_display()} · next version {copy.get_status_display().lower()}"

    def _has_field(self, name):
        return any(f.name == name for f in self.model._meta.get_fields())

    def get_prepopulated_fields(self, request, obj=None):
        # The slug is the public id: prefill it for new items only.
        return {} if obj else super().get_prepopulated_fields(request, obj)

    def get_fieldsets(self, request, obj=None):
        return content_fieldsets(self.get_fields(request, obj), WORKFLOW_FIELDS)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = bounded_formfield(
            db_field, super().formfield_for_dbfield(db_field, request, **kwargs)
        )
        if formfield is not None and db_field.name in publish_required_fields(self.model):
            mark_publish_required(formfield)
        return formfield

    def get_search_results(self, request, queryset, search_term):
        # The changelist and every autocomplete of related items search through here: live
        # items only, exact name matches first.
        queryset, duplicates = super().get_search_results(request, queryset.live(), search_term)
        title = "title" if self._has_field("title") else "name"
        return exact_matches_first(queryset, title, search_term), duplicates

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RevisionConflict as conflict:
            # Lost the race between the form's revision check and the UPDATE: the admin's
            # transaction rolled back, so nothing of this save (inlines included) remains.
            # The same POST is shown again as the conflict page (their values beside what I
            # typed), the form told it lost: nothing of the editor's input is lost.
            if getattr(request, "_lost_revision_race", None) is None:
                request._lost_revision_race = conflict
                return self.changeform_view(request, object_id, form_url, extra_context)
            self.message_user(  # the conflict page itself lost a race: a plain refusal
                request,
                f"Not saved: someone else saved this item at the same moment ({conflict}). "
                "Reload it and re-apply your changes.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        conflict = getattr(request, "_lost_revision_race", None)
        if conflict is None:
            return form
        return type(form.__name__, (form,), {"lost_race": conflict})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(self._workflow_context(request, obj))
            context.update(item_notes(obj))
            form = context["adminform"].form
            if form.is_bound and is_conflict(form):
                # Nothing on this page may act on content the editor has not seen.
                context.update(conflict_context(form), workflow_steps=[])
        context["markdown_fields"] = MARKDOWN_FIELDS
        context["markdown_preview_url"] = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_markdown"
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _workflow_context(self, request, obj):
        user = request.user
        steps = [
            step
            for step in STEPS.values()
            if step.offered_for(obj)
            and user_may(user, step.permission, self.model)
            and (not step.content_only or isinstance(obj, services.REVIEWED))
        ]
        info = self.opts.app_label, self.opts.model_name
        return {
            "workflow_steps": [
                (step, reverse(f"admin:{info[0]}_{info[1]}_workflow", args=(obj.pk, step.name)))
                for step in steps
            ],
            "default_review_due": timezone.localdate() + services.DEFAULT_REVIEW_INTERVAL,
            # Only clinical reviewers are offered the clinical role (the service checks too).
            "review_roles": [
                (role.value, role.label)
                for role in ReviewerRole
                if role != ReviewerRole.CLINICAL or may_review_clinically(user)
            ]
            if isinstance(obj, ContentEntity)
            else [],
            "default_review_role": services.default_reviewer_role(user),
            "default_reviewer_name": user.get_full_name() or services.EDITORIAL_TEAM,
            "preview_url": reverse(f"admin:{info[0]}_{info[1]}_preview", args=(obj.pk,)),
            "publish_problems": services.publish_problems(obj)
            if obj.status in (Status.DRAFT, Status.IN_REVIEW)
            else [],
            "item_editable": self.has_change_permission(request, obj),
            "live_item": obj.working_copy_of if obj.is_working_copy else None,
            "next_version": self.model.objects.filter(working_copy_of=obj).first(),
            "live_url": self._change_url(obj.working_copy_of) if obj.is_working_copy else "",
        }

    # --- urls -------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/workflow/<slug:step>/",
                wrap(self.workflow_view),
                name="{}_{}_workflow".format(*info),
            ),
            path(
                "<path:object_id>/preview/",
                wrap(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            path(
                "markdown-preview/", wrap(self.markdown_view), name="{}_{}_markdown".format(*info)
            ),
            path(
                "<path:object_id>/history/compare/",
                wrap(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            *super().get_urls(),
        ]

    def _get_item(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return obj

    # --- workflow buttons -------------------------------------------------------------

    def workflow_view(self, request, object_id, step):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if step not in STEPS:
            raise Http404
        obj = self._get_item(request, object_id)
        kwargs = {"item": obj, "user": request.user}
        revision = request.POST.get("revision", "")
        if revision.isdigit():
            kwargs["expected_revision"] = int(revision)
        if step == "review" and request.POST.get("review_due"):
            try:
                kwargs["review_due"] = datetime.date.fromisoformat(request.POST["review_due"])
            except ValueError:
                self.message_user(request, "The review due date is not a date.", messages.ERROR)
                return HttpResponseRedirect(self._change_url(obj))
        if step == "review":
            kwargs["role"] = request.POST.get("role") or None
            kwargs["reviewer_name"] = request.POST.get("reviewer_name", "")
        if step == "send_back":
            kwargs["reason"] = request.POST.get("reason", "")[:200]
        try:
            outcome = STEPS[step].func(**kwargs)  # raises PermissionDenied → 403
        except services.WorkflowError as refused:
            self.message_user(
                request,
                format_html(
                    "{} refused for “{}”: {}",
                    STEPS[step].label,
                    obj,
                    _problems_html(refused.problems),
                ),
                messages.ERROR,
            )
        else:
            self.message_user(request, outcome.message, messages.SUCCESS)
            obj = outcome.item  # a new working copy, or the live item a copy replaced
        return HttpResponseRedirect(self._change_url(obj))

    def _change_url(self, obj):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=(obj.pk,))

    # --- bulk actions -----------------------------------------------------------------

    def _bulk(self, request, queryset, step_name):
        step = STEPS[step_name]
        done = 0
        for item in queryset:
            try:
                outcome = step.func(item=item, user=request.user)
            except services.WorkflowError as refused:
                self.message_user(
                    request,
                    format_html("“{}”: not done: {}", item, _problems_html(refused.problems)),
                    messages.ERROR,
                )
            except PermissionDenied as denied:
                self.message_user(request, f"“{item}”: {denied}", messages.ERROR)
            else:
                done += 1
                self.message_user(request, outcome.message, messages.SUCCESS)
        if not done:
            self.message_user(request, f"{step.label}: nothing was changed.", messages.WARNING)

    @admin.action(permissions=["submit"], description="Submit selected for review")
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(
        permissions=["review"],
        description="Mark selected as reviewed by me, in my role (due in 1 year)",
    )
    def review_selected(self, request, queryset):
        self._bulk(request, queryset, "review")

    @admin.action(permissions=["publish"], description="Publish selected")
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(permissions=["publish"], description="Unpublish selected (back to draft)")
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, "unpublish")

    @admin.action(permissions=["publish"], description="Archive selected")
    def archive_selected(self, request, queryset):
        self._bulk(request, queryset, "archive")

    # --- changelist columns -----------------------------------------------------------

    @admin.display(description="review", ordering="review_due")
    def review_state(self, obj):
        return review_state_label(obj)

    @admin.display(description="reviewed by", ordering="reviewer_name")
    def reviewer(self, obj):
        return obj.reviewer_name or "—"

    # --- preview ----------------------------------------------------------------------

    def preview_body(self, obj) -> bytes:
        """The JSON the API serves for `obj` (the preview page shows it)."""
        return render_api_json(obj)

    def preview_api_path(self, obj) -> str:
        return obj.get_absolute_url()

    def preview_view(self, request, object_id):
        obj = self._get_item(request, object_id)
        body = self.preview_body(obj)
        if request.GET.get("raw"):
            return HttpResponse(body, content_type="application/json")
        context = {
            **self.admin_site.each_context(request),
            "title": f"API preview: {obj}",
            "opts": self.opts,
            "original": obj,
            "json": json.dumps(json.loads(body), indent=2, ensure_ascii=False),
            "api_path": self.preview_api_path(obj),
            "is_public": obj.status == Status.PUBLISHED,
            "change_url": self._change_url(obj),
        }
        return TemplateResponse(request, "admin/content_app/preview.html", context)

    # --- history ----------------------------------------------------------------------

    def _may_revert(self, user, item):
        if item is None or item.status == Status.IN_REVIEW:
            return False
        # Published items are reverted into their next version (editors), archived in place.
        action = "publish" if item.status == Status.ARCHIVED else "change"
        return user_may(user, action, self.model)

    def revert_disabled(self, request, obj=None):
        current = self.model.objects.filter(pk=obj.pk).first() if obj is not None else None
        return not self._may_revert(request.user, current)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        item = self._get_item(request, object_id)
        if request.method != "POST":
            return revert_page(self, request, item, version_id)
        try:
            outcome = services.revert_to_version(
                item=item, version_id=int(version_id), user=request.user
            )
        except services.WorkflowError as refused:
            self.message_user(
                request,
                format_html("Revert refused: {}", _problems_html(refused.problems)),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        except self.model.history.model.DoesNotExist as missing:
            raise Http404 from missing
        self.message_user(request, outcome.message, messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(outcome.item))

    def history_view(self, request, object_id, extra_context=None):
        relation_history = []
        pk = unquote(object_id)
        for through, fk in m.owned_relations(self.model):
            others = [
                f.name for f in through._meta.concrete_fields if f.is_relation and f.name != fk
            ]
            records = (
                through.history.filter(**{f"{fk}_id": pk})
                .select_related("history_user", *others)
                .order_by("-history_date")[:100]
            )
            relation_history.extend(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "kind": {"+": "added", "~": "changed", "-": "removed"}[record.history_type],
                    "relation": through._meta.verbose_name,
                    "row": _relation_label(record, others),
                }
                for record in records
            )
        relation_history.sort(key=lambda r: r["date"], reverse=True)
        context = {"relation_history": relation_history, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context=context)

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        # The page shows its own readable changes (history.version_rows, one query per linked
        # model); simple-history's deltas would cost two queries per version, unused.
        return None

    def render_history_view(self, request, template, context, **kwargs):
        if "page_obj" in context and context.get("object") is not None:
            add_version_rows(self, context)
        return super().render_history_view(request, template, context, **kwargs)

    def compare_view(self, request, object_id):
        return compare_page(self, request, self._get_item(request, object_id))

    def markdown_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        return HttpResponse(render_markdown(request.POST.get("text", "")))


def _relation_label(record, others):
    """“Structure: Popliteus · role: primary · order: 1 · note: …” for a historical row."""
    parts = []
    for field in record.instance_type._meta.concrete_fields:
        if field.primary_key or (field.is_relation and field.name not in others):
            continue
        if field.is_relation:
            value = getattr(record, field.name) or f"(deleted #{getattr(record, field.attname)})"
        else:
            value = getattr(record, field.attname)
        if value not in ("", None):
            parts.append(f"{field.verbose_name}: {value}")
    return " · ".join(parts)


def render_api_json(obj) -> bytes:
    """The detail JSON /api/v1/<type>/<slug>/ serves for `obj` (drafts too)."""
    from rest_framework.settings import api_settings

    from content_app.api.v1.representations import detail_representation

    renderer = api_settings.DEFAULT_RENDERER_CLASSES[0]()
    body = detail_representation(obj)
    if obj.is_working_copy:
        body = next_version_representation(obj, body)
    return renderer.render(body)


def next_version_representation(copy, body: dict) -> dict:
    """What the API will serve once `copy` is published: its own content and the relations
    edited with it (`body`), under the live item's slug and URL, with the links other items
    hold to the live item (inbound links are rows of those items: a copy has none of its own,
    and publishing it keeps the live item's)."""
    from content_app.api.v1.representations import detail_representation, spec_for

    live = detail_representation(copy.working_copy_of)
    owned = set(m.owned_relations(type(copy)))
    inbound = [
        link.key for link in spec_for(type(copy)).links if (link.through, link.owner) not in owned
    ]
    for key in ("slug", "url", *inbound):
        if key in live:
            body[key] = live[key]
    return body
