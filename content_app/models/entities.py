"""The content entities editors write and the API serves."""

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from content_app.models.base import (
    ContentEntity,
    PublicEntity,
    content_permissions,
    review_constraints,
    working_copy_constraints,
)
from content_app.models.choices import (
    AnatomyKind,
    Difficulty,
    Equipment,
    ExerciseCategory,
    Onset,
    Prevalence,
    RiskFactorCategory,
    SelfCare,
    Status,
    TreatmentKind,
    Urgency,
    choices_check,
)
from content_app.models.constraints import check, range_validators


class AnatomyStructure(ContentEntity):
    Kind = AnatomyKind

    api_type = "anatomy"

    kind = models.CharField(
        max_length=16,
        choices=Kind.choices,
        db_index=True,
        help_text="What kind of structure it is (muscle, tendon, nerve…).",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The group this structure belongs to, e.g. the hamstrings.",
    )
    latin_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The anatomical (Latin) name, if it differs, e.g. 'musculus popliteus'.",
    )

    class Meta(ContentEntity.Meta):
        verbose_name = "anatomy structure"
        constraints = [
            choices_check("status", Status, "anatomy_status_valid"),
            *review_constraints("anatomy"),
            *working_copy_constraints("anatomy"),
            choices_check("kind", AnatomyKind, "anatomy_kind_valid"),
            check(
                condition=~Q(parent=models.F("pk")),
                name="anatomy_not_own_parent",
                message="A structure cannot be its own parent.",
                field="parent",
            ),
        ]
        permissions = content_permissions("anatomystructure")


class Symptom(ContentEntity):
    api_type = "symptoms"

    red_flags = models.ManyToManyField(
        "RedFlag", through="SymptomRedFlag", related_name="symptoms", blank=True
    )

    class Meta(ContentEntity.Meta):
        constraints = [
            choices_check("status", Status, "symptom_status_valid"),
            *review_constraints("symptom"),
            *working_copy_constraints("symptom"),
        ]
        permissions = content_permissions("symptom")


class RiskFactor(ContentEntity):
    Category = RiskFactorCategory

    api_type = "risk-factors"

    category = models.CharField(
        max_length=24,
        choices=Category.choices,
        db_index=True,
        help_text="The group readers see it under (training, body, lifestyle…).",
    )
    modifiable = models.BooleanField(help_text="Can the person change it themselves?")

    class Meta(ContentEntity.Meta):
        verbose_name = "risk factor"
        constraints = [
            choices_check("status", Status, "riskfactor_status_valid"),
            *review_constraints("riskfactor"),
            *working_copy_constraints("riskfactor"),
            choices_check("category", RiskFactorCategory, "riskfactor_category_valid"),
        ]
        permissions = content_permissions("riskfactor")


class RedFlag(ContentEntity):
    Urgency = Urgency

    api_type = "red-flags"

    urgency = models.CharField(
        max_length=16,
        choices=Urgency.choices,
        db_index=True,
        help_text="How soon to get help: emergency, urgent (same day), soon or routine.",
    )
    urgency_rank = models.GeneratedField(
        expression=Case(
            When(urgency="emergency", then=Value(1)),
            When(urgency="urgent", then=Value(2)),
            When(urgency="soon", then=Value(3)),
            default=Value(4),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        help_text="1 = emergency … 4 = routine.",
    )
    action = models.TextField(help_text="What the reader should do, in one or two sentences.")

    class Meta(ContentEntity.Meta):
        verbose_name = "red flag"
        ordering = ("urgency_rank", "name")
        constraints = [
            choices_check("status", Status, "redflag_status_valid"),
            *review_constraints("redflag"),
            *working_copy_constraints("redflag"),
            choices_check("urgency", Urgency, "redflag_urgency_valid"),
        ]
        permissions = content_permissions("redflag")


class Treatment(ContentEntity):
    Kind = TreatmentKind

    api_type = "treatments"

    kind = models.CharField(
        max_length=24,
        choices=Kind.choices,
        db_index=True,
        help_text="The kind of self-care (massage, support, load management…).",
    )
    structures = models.ManyToManyField(
        AnatomyStructure,
        through="TreatmentTarget",
        related_name="treatments",
        blank=True,
    )

    class Meta(ContentEntity.Meta):
        constraints = [
            choices_check("status", Status, "treatment_status_valid"),
            *review_constraints("treatment"),
            *working_copy_constraints("treatment"),
            choices_check("kind", TreatmentKind, "treatment_kind_valid"),
        ]
        permissions = content_permissions("treatment")


def caution_lines(text: str) -> list[str]:
    """The cautions text as the API lists it: one caution per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# Sane bounds for every dosage number (inclusive); enforced by CheckConstraints and the
# fields' validators, and stated in their help texts and error messages.
EXERCISE_DOSAGE_LIMITS = {
    "sets": (1, 10),
    "reps": (1, 100),
    "hold_seconds": (1, 600),
    "times_per_day": (1, 24),
    "times_per_day_max": (1, 24),
    "target_sets": (1, 10),
    "target_reps": (1, 100),
    "target_hold_seconds": (1, 600),
}
DOSAGE_LABELS = {
    "sets": "starting sets",
    "reps": "starting reps",
    "hold_seconds": "starting hold (seconds)",
    "times_per_day": "times a day",
    "times_per_day_max": "at most times a day",
    "target_sets": "target sets",
    "target_reps": "target reps",
    "target_hold_seconds": "target hold (seconds)",
}


def _dosage_field(name: str, help_text: str):
    low, high = EXERCISE_DOSAGE_LIMITS[name]
    label = DOSAGE_LABELS[name]
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=range_validators(capfirst(label), low, high),
        help_text=f"{help_text} {low} to {high}; leave empty when the sources give no number.",
    )


def _not_below_start(target: str, start: str):
    return check(
        condition=Q(**{f"{target}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{target}__gte": models.F(start)}),
        name=f"exercise_{target.removesuffix('_seconds')}_not_below_start",
        message=f"{capfirst(DOSAGE_LABELS[target])} must be at least the {DOSAGE_LABELS[start]}.",
        field=target,
    )


class Exercise(ContentEntity):
    Category = ExerciseCategory

    Difficulty = Difficulty

    Equipment = Equipment

    api_type = "exercises"

    category = models.CharField(
        max_length=16,
        choices=Category.choices,
        db_index=True,
        help_text="What the exercise mainly trains.",
    )
    difficulty = models.CharField(
        max_length=16,
        choices=Difficulty.choices,
        db_index=True,
        help_text="For whom it is: beginner, intermediate or advanced.",
    )
    equipment = models.CharField(
        max_length=24,
        choices=Equipment.choices,
        default=Equipment.NONE,
        db_index=True,
        help_text="What is needed to do it; 'None' when nothing is.",
    )
    # Structured dosage, start → target. Empty means the sources give no number for it.
    sets = _dosage_field("sets", "How many sets to start with.")
    reps = _dosage_field("reps", "Repetitions per set to start with.")
    hold_seconds = _dosage_field("hold_seconds", "How long to hold each repetition at first.")
    times_per_day = _dosage_field("times_per_day", "How often a day (or the lower end of a range).")
    times_per_day_max = _dosage_field(
        "times_per_day_max", "Upper end when the frequency is a range, e.g. 2–3 a day."
    )
    target_sets = _dosage_field("target_sets", "The sets to build up to.")
    target_reps = _dosage_field("target_reps", "The repetitions per set to build up to.")
    target_hold_seconds = _dosage_field("target_hold_seconds", "The hold to build up to.")
    dosage_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Frequency or dosage the numbers cannot say, e.g. 'as often as you can'.",
    )
    stop_rule = models.CharField(
        max_length=300,
        blank=True,
        help_text="When to stop, in one sentence, e.g. 'Stop and get advice if it makes the "
        "pain worse.' Required to publish.",
    )
    cautions = models.TextField(
        blank=True,
        help_text="Safety cautions, one per line (e.g. a depth limit); the API lists them.",
    )
    prevention_only = models.BooleanField(
        default=False,
        help_text="The sources give it only to prevent injury, never as a treatment: causes may "
        "recommend it only with the phase 'Prevention'.",
    )
    targets = models.ManyToManyField(
        AnatomyStructure, through="ExerciseTarget", related_name="exercises", blank=True
    )
    harder_variations = models.ManyToManyField(
        "self",
        through="ExerciseProgression",
        through_fields=("easier", "harder"),
        symmetrical=False,
        related_name="easier_variations",
        blank=True,
    )

    class Meta(ContentEntity.Meta):
        constraints = [
            choices_check("status", Status, "exercise_status_valid"),
            *review_constraints("exercise"),
            *working_copy_constraints("exercise"),
            choices_check("category", ExerciseCategory, "exercise_category_valid"),
            choices_check("difficulty", Difficulty, "exercise_difficulty_valid"),
            choices_check("equipment", Equipment, "exercise_equipment_valid"),
            *[
                check(
                    condition=Q(**{f"{field}__isnull": True})
                    | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
                    name=f"exercise_{field}_range",
                    message=f"{capfirst(DOSAGE_LABELS[field])} must be between {low} and {high}.",
                    field=field,
                )
                for field, (low, high) in EXERCISE_DOSAGE_LIMITS.items()
            ],
            check(
                condition=Q(times_per_day_max__isnull=True)
                | Q(
                    times_per_day__isnull=False,
                    times_per_day_max__gte=models.F("times_per_day"),
                ),
                name="exercise_frequency_range_ordered",
                message="“At most times a day” needs “times a day” and must be at least it.",
                field="times_per_day_max",
            ),
            _not_below_start("target_reps", "reps"),
            _not_below_start("target_sets", "sets"),
            _not_below_start("target_hold_seconds", "hold_seconds"),
        ]
        permissions = content_permissions("exercise")

    @property
    def caution_list(self) -> list[str]:
        return caution_lines(self.cautions)

    @property
    def has_dosage(self) -> bool:
        numbers = (self.sets, self.reps, self.hold_seconds, self.times_per_day)
        return any(n is not None for n in numbers) or bool(self.dosage_note.strip())


class Cause(ContentEntity):
    Prevalence = Prevalence

    Onset = Onset

    SelfCare = SelfCare

    api_type = "causes"

    prevalence = models.CharField(
        max_length=16,
        choices=Prevalence.choices,
        db_index=True,
        help_text="How common it is, as its sources say ('Not stated' if they give no figure).",
    )
    onset = models.CharField(
        max_length=16,
        choices=Onset.choices,
        db_index=True,
        help_text="How it usually starts: overuse, acute injury, degenerative…",
    )
    self_care = models.CharField(
        max_length=24,
        choices=SelfCare.choices,
        db_index=True,
        help_text="Self-care suitability.",
    )
    structures = models.ManyToManyField(
        AnatomyStructure, through="CauseStructure", related_name="causes", blank=True
    )
    symptoms = models.ManyToManyField(
        Symptom, through="CauseSymptom", related_name="causes", blank=True
    )
    risk_factors = models.ManyToManyField(
        RiskFactor, through="CauseRiskFactor", related_name="causes", blank=True
    )
    red_flags = models.ManyToManyField(
        RedFlag, through="CauseRedFlag", related_name="causes", blank=True
    )
    exercises = models.ManyToManyField(
        Exercise, through="CauseExercise", related_name="causes", blank=True
    )
    treatments = models.ManyToManyField(
        Treatment, through="CauseTreatment", related_name="causes", blank=True
    )

    class Meta(ContentEntity.Meta):
        constraints = [
            choices_check("status", Status, "cause_status_valid"),
            *review_constraints("cause"),
            *working_copy_constraints("cause"),
            choices_check("prevalence", Prevalence, "cause_prevalence_valid"),
            choices_check("onset", Onset, "cause_onset_valid"),
            choices_check("self_care", SelfCare, "cause_self_care_valid"),
        ]
        permissions = content_permissions("cause")


class Disclaimer(PublicEntity):
    """What the API always says about its content: general information, not a diagnosis.

    Exactly one is published at a time (a database constraint); publishing a new one archives
    the previous one (`services.publish`), and the last published one cannot be unpublished.
    """

    api_type = "disclaimers"

    name = models.CharField(max_length=200, help_text="For editors: which disclaimer this is.")
    summary = models.CharField(
        max_length=300, help_text="The short form apps show next to any item (one sentence)."
    )
    body = models.TextField(help_text="The full text (Markdown).")

    history = HistoricalRecords()

    class Meta:
        ordering = ("name",)
        constraints = [
            choices_check("status", Status, "disclaimer_status_valid"),
            *working_copy_constraints("disclaimer"),
            models.UniqueConstraint(
                fields=("status",),
                condition=Q(status=Status.PUBLISHED),
                name="disclaimer_one_published",
            ),
        ]
        permissions = [
            ("review_disclaimer", "Can record a review of disclaimers"),
            ("publish_disclaimer", "Can publish, unpublish and archive disclaimers"),
        ]

    def __str__(self):
        return self.name
