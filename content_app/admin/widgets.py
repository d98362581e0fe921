"""Admin widgets and querysets that keep the editors' pages fast and their choices sensible.

- `PreloadedAutocompleteSelect`: an inline row's autocomplete renders its selected option from
  the row's already-loaded related object, not with one query per row.
- `exact_matches_first`: autocomplete and search list "Popliteus" before "Popliteus tendon".
- `bounded_formfield`: a number field's form bounds (and the browser's min/max) come from the
  model field's range validators, so "-3 reps" is answered with the real range.
"""

import copy

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Case, IntegerField, Value, When
from django.forms.models import BaseInlineFormSet


class PreloadedAutocompleteSelect(AutocompleteSelect):
    def __init__(self, *args, labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = {} if labels is None else labels

    def __deepcopy__(self, memo):
        clone = super().__deepcopy__(memo)
        clone.labels = self.labels  # shared by every row of the formset
        return clone

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not selected or not selected <= self.labels.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in sorted(selected):
            options.append(self.create_option(name, pk, self.labels[pk], selected, len(options)))
        return [(None, options, 0)]


class PreloadedInlineFormSet(BaseInlineFormSet):
    """Hands each row's related objects (select_related by the inline) to its autocompletes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form in self.initial_forms:
            for name, field in form.fields.items():
                widget = getattr(field.widget, "widget", field.widget)
                if not isinstance(widget, PreloadedAutocompleteSelect):
                    continue
                related = getattr(form.instance, name, None)
                if related is not None:
                    widget.labels[str(related.pk)] = field.label_from_instance(related)


def related_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation]


def exact_matches_first(queryset, field: str, term: str):
    term = term.strip()
    if not term:
        return queryset
    rank = Case(
        When(**{f"{field}__iexact": term}, then=Value(0)),
        When(**{f"{field}__istartswith": term}, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return queryset.annotate(_match_rank=rank).order_by("_match_rank", *ordering)


def bounded_formfield(db_field, formfield):
    bounds = [
        v for v in db_field._validators if isinstance(v, MinValueValidator | MaxValueValidator)
    ]
    if formfield is None or not bounds:
        return formfield
    formfield.validators = [
        v for v in formfield.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
    ] + [copy.copy(v) for v in bounds]
    for validator in bounds:
        attr = "min" if isinstance(validator, MinValueValidator) else "max"
        setattr(formfield, f"{attr}_value", validator.limit_value)
        formfield.widget.attrs[attr] = validator.limit_value
    return formfield
