"""Database constraints that explain themselves to an editor.

Every CheckConstraint in content_app is built with `check()`: a plain-words
`violation_error_message`, the constraint's name as its `violation_error_code`, and (when the
rule is about one field) the field the message belongs next to. `EditorFacingValidation`, mixed
into the models editors save through forms, moves each such error from the top of the form to
its field, and normalises line endings so the API never serves a carriage return.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# constraint name → the field its message is shown next to (filled by `check`).
CONSTRAINT_FIELDS: dict[str, str] = {}


def check(*, name: str, condition, message: str, field: str | None = None):
    if field:
        CONSTRAINT_FIELDS[name] = field
    return models.CheckConstraint(
        condition=condition,
        name=name,
        violation_error_message=message,
        violation_error_code=name,
    )


def range_validators(label: str, low: int, high: int) -> list:
    """Field validators for an inclusive range, both saying the whole range."""
    message = f"{label} must be between {low} and {high}."
    return [MinValueValidator(low, message=message), MaxValueValidator(high, message=message)]


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class EditorFacingValidation:
    """Model mixin: constraint errors on their field; text stored with \\n line endings."""

    def clean_fields(self, exclude=None):
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                value = getattr(self, field.attname)
                if isinstance(value, str) and "\r" in value:
                    setattr(self, field.attname, normalise_newlines(value))
        super().clean_fields(exclude=exclude)

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as refused:
            raise ValidationError(
                constraint_errors_by_field(refused.error_dict, exclude or ())
            ) from None


def constraint_errors_by_field(error_dict: dict, exclude) -> dict:
    moved: dict = {}
    for key, errors in error_dict.items():
        for error in errors:
            field = CONSTRAINT_FIELDS.get(error.code) if key == NON_FIELD_ERRORS else None
            target = field if field and field not in exclude else key
            moved.setdefault(target, []).append(error)
    return moved
