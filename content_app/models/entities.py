"""The content entities editors write and the API serves."""

from django.db import models
from django.db.models import Case, Q, Value, When
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


class AnatomyStructure(ContentEntity):
    Kind = AnatomyKind

    api_type = "anatomy"

    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The group this structure belongs to, e.g. the hamstrings.",
    )
    latin_name = models.CharField(max_length=200, blank=True)

    class Meta(ContentEntity.Meta):
        verbose_name = "anatomy structure"
        constraints = [
            choices_check("status", Status, "anatomy_status_valid"),
            *review_constraints("anatomy"),
            *working_copy_constraints("anatomy"),
            choices_check("kind", AnatomyKind, "anatomy_kind_valid"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="anatomy_not_own_parent"
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

    category = models.CharField(max_length=24, choices=Category.choices, db_index=True)
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

    urgency = models.CharField(max_length=16, choices=Urgency.choices, db_index=True)
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

    kind = models.CharField(max_length=24, choices=Kind.choices, db_index=True)
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


# Sane bounds for every dosage number (inclusive); enforced by CheckConstraints.
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


class Exercise(ContentEntity):
    Category = ExerciseCategory

    Difficulty = Difficulty

    Equipment = Equipment

    api_type = "exercises"

    category = models.CharField(max_length=16, choices=Category.choices, db_index=True)
    difficulty = models.CharField(max_length=16, choices=Difficulty.choices, db_index=True)
    equipment = models.CharField(
        max_length=24, choices=Equipment.choices, default=Equipment.NONE, db_index=True
    )
    # Structured dosage. Empty means the sources give no number for it.
    sets = models.PositiveSmallIntegerField(null=True, blank=True)
    reps = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Repetitions per set.")
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    times_per_day = models.PositiveSmallIntegerField(null=True, blank=True)
    times_per_day_max = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Upper end when the frequency is a range, e.g. 2–3 a day.",
    )
    target_sets = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The dosage to build up to."
    )
    target_reps = models.PositiveSmallIntegerField(null=True, blank=True)
    target_hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
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
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True})
                    | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
                    name=f"exercise_{field}_range",
                )
                for field, (low, high) in EXERCISE_DOSAGE_LIMITS.items()
            ],
            models.CheckConstraint(
                condition=Q(times_per_day_max__isnull=True)
                | Q(
                    times_per_day__isnull=False,
                    times_per_day_max__gte=models.F("times_per_day"),
                ),
                name="exercise_frequency_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(target_reps__isnull=True)
                | Q(reps__isnull=True)
                | Q(target_reps__gte=models.F("reps")),
                name="exercise_target_reps_not_below_start",
            ),
            models.CheckConstraint(
                condition=Q(target_sets__isnull=True)
                | Q(sets__isnull=True)
                | Q(target_sets__gte=models.F("sets")),
                name="exercise_target_sets_not_below_start",
            ),
            models.CheckConstraint(
                condition=Q(target_hold_seconds__isnull=True)
                | Q(hold_seconds__isnull=True)
                | Q(target_hold_seconds__gte=models.F("hold_seconds")),
                name="exercise_target_hold_not_below_start",
            ),
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

    prevalence = models.CharField(max_length=16, choices=Prevalence.choices, db_index=True)
    onset = models.CharField(max_length=16, choices=Onset.choices, db_index=True)
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

    name = models.CharField(max_length=200)
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
