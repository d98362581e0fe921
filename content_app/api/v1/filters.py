"""django-filter FilterSets for every collection: strict values, explicit ordering allow-lists.

Every filter rejects what its schema does not allow (400 naming the parameter): slugs must
look like slugs, integers must be integers (django-filter's NumberFilter would take 2.5),
booleans must be `true` or `false` (BooleanFilter would quietly ignore `yes`).
"""

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.drainage import set_override

from content_app import models as m
from content_app.querysets import PUBLISHED

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class StrictBooleanField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise ValidationError("Must be true or false.", code="invalid")


class StrictIntegerField(forms.IntegerField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not (isinstance(value, str) and value.isascii() and value.isdigit()):
            raise ValidationError("Must be a whole number.", code="invalid")
        return super().to_python(value)


class NoEmptyTermsCSVField(df.fields.BaseCSVField):
    """`?ordering=,` or `?ordering=name,` names no sort key: a 400, not a silent default."""

    def clean(self, value):
        if value is not None and any(term in self.empty_values for term in value):
            raise ValidationError("Empty sort key; name one or leave the parameter out.")
        return super().clean(value)


class StrictOrderingFilter(df.OrderingFilter):
    base_field_class = NoEmptyTermsCSVField


class StrictBooleanFilter(df.BooleanFilter):
    field_class = StrictBooleanField


class SlugFilter(df.CharFilter):
    field_class = forms.SlugField


class IntegerFilter(df.NumberFilter):
    field_class = StrictIntegerField


def _documented(filter_, schema: dict):
    """Give the filter an exact schema (drf-spectacular reads it instead of guessing)."""
    set_override(filter_, "field", schema)
    return filter_


# An example slug of the launch content per relation, for the schema.
_EXAMPLE_SLUGS = {
    "parent": "hamstrings",
    "causes": "bakers-cyst",
    "structures": "hamstrings",
    "targets": "hamstrings",
    "symptoms": "pain-behind-the-knee",
    "risk_factors": "sudden-training-increase",
    "red_flags": "severe-pain",
    "exercises": "squat",
    "treatments": "foam-rolling",
}


def related_slug_filter(lookup: str, help_text: str):
    """Items linked to the published item with this slug (`lookup` goes to its slug)."""
    related = lookup.rsplit("__", 1)[0]

    def apply(queryset, name, value):
        # Through-rows are unique per pair, so this join cannot duplicate items.
        return queryset.filter(**{lookup: value, f"{related}__status": PUBLISHED})

    filter_ = SlugFilter(method=apply, max_length=120)
    return _documented(
        filter_,
        {
            "type": "string",
            "pattern": SLUG_PATTERN,
            "maxLength": 120,
            "description": help_text,
            "example": _EXAMPLE_SLUGS[related],
        },
    )


def max_integer_filter(field_name: str, low: int, high: int, help_text: str):
    filter_ = IntegerFilter(field_name=field_name, lookup_expr="lte", min_value=low, max_value=high)
    return _documented(
        filter_,
        {
            "type": "integer",
            "minimum": low,
            "maximum": high,
            "description": help_text,
            "example": low + 1,
        },
    )


def ordering(*fields: str, help_text: str = "Sort order; prefix `-` for descending."):
    filter_ = StrictOrderingFilter(fields=[(f, f) for f in fields], help_text=help_text)
    choices = [value for value, _ in filter_.extra["choices"]]
    return _documented(
        filter_,
        {
            "type": "string",
            "enum": choices,
            "description": help_text + " Comma-separated for several keys.",
        },
    )


class AnatomyFilter(df.FilterSet):
    kind = df.ChoiceFilter(choices=m.AnatomyKind.choices, help_text="Kind of structure.")
    parent = related_slug_filter(
        "parent__slug", "Members of the group with this slug (e.g. `hamstrings`)."
    )
    top_level = StrictBooleanFilter(
        field_name="parent",
        lookup_expr="isnull",
        help_text="`true`: only structures without a group.",
    )
    cause = related_slug_filter("causes__slug", "Structures involved in this cause.")
    ordering = ordering("name", "kind", "updated_at", "review_due")

    class Meta:
        model = m.AnatomyStructure
        fields = ("kind",)


class CauseFilter(df.FilterSet):
    prevalence = df.ChoiceFilter(choices=m.Prevalence.choices, help_text="How common.")
    onset = df.ChoiceFilter(choices=m.Onset.choices, help_text="How it typically starts.")
    self_care = df.ChoiceFilter(choices=m.SelfCare.choices, help_text="Self-care suitability.")
    structure = related_slug_filter("structures__slug", "Causes involving this structure.")
    symptom = related_slug_filter("symptoms__slug", "Causes with this symptom.")
    risk_factor = related_slug_filter("risk_factors__slug", "Causes with this risk factor.")
    red_flag = related_slug_filter("red_flags__slug", "Causes with this red flag.")
    exercise = related_slug_filter("exercises__slug", "Causes linked to this exercise.")
    treatment = related_slug_filter("treatments__slug", "Causes this self-care measure helps.")
    ordering = ordering("name", "prevalence", "onset", "updated_at", "review_due")

    class Meta:
        model = m.Cause
        fields = ("prevalence", "onset", "self_care")


class SymptomFilter(df.FilterSet):
    cause = related_slug_filter("causes__slug", "Symptoms of this cause.")
    red_flag = related_slug_filter("red_flags__slug", "Symptoms that show this red flag.")
    ordering = ordering("name", "updated_at", "review_due")

    class Meta:
        model = m.Symptom
        fields = ()


class RiskFactorFilter(df.FilterSet):
    category = df.ChoiceFilter(choices=m.RiskFactorCategory.choices, help_text="Category.")
    modifiable = StrictBooleanFilter(help_text="`true`: factors a person can change.")
    cause = related_slug_filter("causes__slug", "Risk factors of this cause.")
    ordering = ordering("name", "category", "updated_at", "review_due")

    class Meta:
        model = m.RiskFactor
        fields = ("category",)


class RedFlagFilter(df.FilterSet):
    urgency = df.ChoiceFilter(choices=m.Urgency.choices, help_text="Exactly this urgency.")
    cause = related_slug_filter("causes__slug", "Red flags of this cause.")
    symptom = related_slug_filter("symptoms__slug", "Red flags to show with this symptom.")
    ordering = ordering(
        "urgency_rank",
        "name",
        "updated_at",
        "review_due",
        help_text="Sort order; `urgency_rank` puts emergencies first. Default: most urgent first.",
    )

    class Meta:
        model = m.RedFlag
        fields = ("urgency",)


class ExerciseFilter(df.FilterSet):
    category = df.ChoiceFilter(choices=m.ExerciseCategory.choices, help_text="Kind of exercise.")
    difficulty = df.ChoiceFilter(choices=m.Difficulty.choices, help_text="Difficulty level.")
    equipment = df.ChoiceFilter(choices=m.Equipment.choices, help_text="Equipment needed.")
    target = related_slug_filter("targets__slug", "Exercises that work this structure.")
    cause = related_slug_filter("causes__slug", "Exercises linked to this cause.")
    max_times_per_day = max_integer_filter(
        "times_per_day", 1, 24, "Exercises done at most this many times a day."
    )
    ordering = ordering("name", "category", "difficulty", "updated_at", "review_due")

    class Meta:
        model = m.Exercise
        fields = ("category", "difficulty", "equipment")


class TreatmentFilter(df.FilterSet):
    kind = df.ChoiceFilter(choices=m.TreatmentKind.choices, help_text="Kind of self-care measure.")
    structure = related_slug_filter("structures__slug", "Measures aimed at this structure.")
    cause = related_slug_filter("causes__slug", "Measures that help this cause.")
    ordering = ordering("name", "kind", "updated_at", "review_due")

    class Meta:
        model = m.Treatment
        fields = ("kind",)


class SourceFilter(df.FilterSet):
    ordering = ordering("title", "published_on", "updated_at")

    class Meta:
        model = m.Source
        fields = ()


class DisclaimerFilter(df.FilterSet):
    ordering = ordering("name", "updated_at")

    class Meta:
        model = m.Disclaimer
        fields = ()


FILTERSETS = {
    "anatomy": AnatomyFilter,
    "causes": CauseFilter,
    "symptoms": SymptomFilter,
    "risk-factors": RiskFactorFilter,
    "red-flags": RedFlagFilter,
    "exercises": ExerciseFilter,
    "treatments": TreatmentFilter,
    "sources": SourceFilter,
    "disclaimers": DisclaimerFilter,
}
