"""The change form every editorial admin uses: optimistic locking and publish re-validation."""

from django import forms
from django.core.exceptions import ValidationError

from content_app import services
from content_app.models import Status


class EditorialForm(forms.ModelForm):
    # The revision the editor loaded; a save based on an older one is refused (no lost update).
    loaded_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Set (by EditorialAdmin.changeform_view) when this very POST already lost the race
    # between this check and the UPDATE: the save is refused as a conflict even if the
    # winner's revision is not visible from here.
    lost_race = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_revision"].initial = self.instance.revision

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        loaded = cleaned.get("loaded_revision")
        if instance.pk and (loaded != instance.revision or self.lost_race is not None):
            now = max(instance.revision, getattr(self.lost_race, "current", 0))
            raise ValidationError(conflict_message(instance, loaded, now), code="stale_revision")
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # Only superusers can edit published items in place; keep them publishable.
        if self.instance.pk and self.instance.status == Status.PUBLISHED and not self.errors:
            problems = services.publish_problems(
                self.instance, sources=self.cleaned_data.get("sources")
            )
            for problem in problems:
                self.add_error(None, f"Published items must stay publishable: {problem}")


def conflict_message(instance, loaded, current) -> str:
    last = instance.history.select_related("history_user").first()
    who = f" by {last.history_user}" if last and last.history_user else ""
    when = f" at {last.history_date:%Y-%m-%d %H:%M:%S} UTC" if last else ""
    return (
        f"Someone else saved this {instance._meta.verbose_name}{who}{when} after you opened it "
        f"(you edited revision {loaded}, it is now revision {current}). "
        "Your changes were NOT saved, so theirs are kept; what you typed is still in the form. "
        "Their values are shown beside yours below."
    )
