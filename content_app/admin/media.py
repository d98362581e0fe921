"""Admin for media assets: upload with preview, alt text prompts, review like any content.

Uploads go through `content_app.media` (sniffed, capped, re-encoded, content-addressed); a
refused file is a form error naming the reason. The files are written to storage while the
form is validated, so a storage failure (S3 down, a missing bucket) is a form error too, with
every other field kept and nothing saved, never a 500. The inlines attach assets to exercises,
anatomy structures and treatments, ordered by their `order` field.
"""

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join

from content_app import media
from content_app import models as m
from content_app.admin.editorial import WORKFLOW_FIELDS, EditorialAdmin, EditorialInline
from content_app.admin.filters import ReviewDueFilter
from content_app.admin.forms import EditorialForm

UPLOAD_HELP = (
    "JPEG, PNG or WebP, at most {mb} MB and {mp} megapixels; no SVG, no animation. The type is "
    "read from the file itself. EXIF (camera, GPS), colour profiles and all other metadata are "
    "removed; the app gets {widths} pixel wide copies in WebP and JPEG (PNG when transparent)."
)
REQUIRED_TEXT = ("alt_text", "caption", "credit", "licence", "source")


def thumbnail(asset, width=160):
    """The asset's smallest rendition as an <img> (the preview in lists, forms and inlines)."""
    files = sorted(asset.renditions.all(), key=lambda r: (r.width, r.format != "webp"))
    if not files:
        return "—" if asset.kind == m.MediaKind.IMAGE else "video link"
    file = files[0]
    height = round(file.height * width / file.width)
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="media-thumbnail">',
        file.file.url,
        width,
        height,
        asset.alt_text,
    )


class MediaAssetForm(EditorialForm):
    upload = forms.FileField(required=False, label="Image file")

    class Meta:
        model = m.MediaAsset
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["upload"].help_text = UPLOAD_HELP.format(
            mb=settings.MEDIA_MAX_UPLOAD_BYTES // 1_000_000,
            mp=settings.MEDIA_MAX_PIXELS // 1_000_000,
            widths=", ".join(map(str, settings.MEDIA_RENDITION_WIDTHS)),
        )
        for name in REQUIRED_TEXT:
            if name in self.fields:
                self.fields[name].required = True
        self.processed = None

    def clean_upload(self):
        uploaded = self.cleaned_data.get("upload")
        if uploaded:
            processed = media.process_upload(uploaded)  # ValidationError: the reason
            try:
                media.store_files(processed)  # logged by content_app.media on failure
            except media.StorageUnavailable:
                raise forms.ValidationError(
                    "The image could not be stored: the file store did not accept it (it may "
                    "be down). Nothing was saved; your other changes are still in this form. "
                    "Choose the file again and save in a moment.",
                    code="storage_unavailable",
                ) from None
            self.processed = processed
        return uploaded

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        url = cleaned.get("video_url", "")
        instance = self.instance
        if kind == m.MediaKind.IMAGE:
            if url:
                self.add_error("video_url", "Images have no video link; choose kind 'Video'.")
            if not self.processed and not instance.sha256 and "upload" not in self.errors:
                self.add_error("upload", "Upload the image file.")
        elif kind == m.MediaKind.VIDEO:
            if not url:
                self.add_error("video_url", "Give the video's YouTube or Vimeo link.")
            else:
                try:
                    instance.video_provider, instance.video_id = media.parse_video_url(url)
                except forms.ValidationError as refused:
                    self.add_error("video_url", refused)
        if kind != m.MediaKind.VIDEO:
            instance.video_provider, instance.video_id = "", ""
        return cleaned


class MediaInline(EditorialInline):
    fields = ("media", "thumbnail", "role", "order", "note")
    readonly_fields = ("thumbnail",)
    autocomplete_fields = ("media",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("media")
            .prefetch_related("media__renditions")
        )

    @admin.display(description="preview")
    def thumbnail(self, link):
        return thumbnail(link.media, width=120) if link.pk else "shown after saving"


class ExerciseMediaInline(MediaInline):
    model = m.ExerciseMedia
    verbose_name = "picture or video"
    verbose_name_plural = "pictures and videos (in order: set 'order' to reorder)"


class AnatomyMediaInline(MediaInline):
    model = m.AnatomyMedia
    verbose_name = "picture"
    verbose_name_plural = "pictures (in order: set 'order' to reorder)"


class TreatmentMediaInline(MediaInline):
    model = m.TreatmentMedia
    verbose_name = "picture or video"
    verbose_name_plural = "pictures and videos (in order: set 'order' to reorder)"


@admin.register(m.MediaAsset)
class MediaAssetAdmin(EditorialAdmin):
    form = MediaAssetForm
    list_display = (
        "thumbnail",
        "title",
        "slug",
        "kind",
        "status",
        "licence",
        "review_state",
        "updated_at",
    )
    list_display_links = ("thumbnail", "title")
    list_filter = ("status", ReviewDueFilter, "kind", "licence")
    search_fields = ("title", "slug", "alt_text", "caption", "credit")
    autocomplete_fields = ()
    prepopulated_fields = {"slug": ("title",)}
    history_list_display = ["status", "revision", "sha256"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "preview", "files"]

    def get_fieldsets(self, request, obj=None):
        workflow = [f for f in WORKFLOW_FIELDS if f != "published_at" or obj]
        return [
            # loaded_revision: the hidden optimistic-lock field (EditorialForm) must be on
            # the page, or every save of an existing asset is refused as a conflict.
            (
                None,
                {
                    "fields": [
                        "title",
                        "slug",
                        "kind",
                        "upload",
                        "preview",
                        "video_url",
                        "loaded_revision",
                    ]
                },
            ),
            (
                "Accessibility, credit and licence (all required)",
                {"fields": list(REQUIRED_TEXT)},
            ),
            ("Stored files", {"fields": ["files"], "classes": ["collapse"]}),
            ("Workflow and review", {"fields": workflow}),
        ]

    def save_model(self, request, obj, form, change):
        if form.processed:
            media.prepare_image(asset=obj, processed=form.processed, stored=True)
        super().save_model(request, obj, form, change)
        if form.processed:
            media.save_renditions(asset=obj, processed=form.processed)

    @admin.display(description="preview")
    def thumbnail(self, obj):
        return thumbnail(obj, width=80)

    @admin.display(description="preview")
    def preview(self, obj):
        if obj is None or not obj.pk:
            return "Shown after saving."
        return thumbnail(obj, width=320)

    @admin.display(description="files")
    def files(self, obj):
        rows = obj.renditions.all() if obj and obj.pk else []
        if not rows:
            return "None yet."
        return format_html(
            "<table><tr><th>file</th><th>size</th><th>bytes</th><th>SHA-256</th></tr>{}</table>",
            format_html_join(
                "",
                '<tr><td><a href="{}">{}</a></td><td>{} × {}</td><td>{}</td><td><code>{}</code>'
                "</td></tr>",
                ((r.file.url, r.format, r.width, r.height, r.bytes, r.sha256) for r in rows),
            ),
        )

    def preview_body(self, obj) -> bytes:
        from content_app.api.renderers import OrjsonRenderer
        from content_app.api.v1.media import media_assets

        entry = media_assets(m.MediaAsset.objects.filter(pk=obj.pk))[0]
        if obj.is_working_copy:  # served under the live asset's slug once published
            entry["slug"] = obj.working_copy_of.slug
        return OrjsonRenderer().render(entry)

    def preview_api_path(self, obj) -> str:
        return "/api/v1/bundle/ (media.assets), and in the details of the items showing it"
