"""Relations that carry meaning: explicit through-models with a unique pair constraint."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from content_app.models.choices import (
    ExerciseRole,
    RecommendationPhase,
    StructureRole,
    SymptomRole,
    TargetRole,
    TreatmentRole,
    choices_check,
)
from content_app.models.constraints import EditorFacingValidation, check, range_validators
from content_app.models.entities import (
    AnatomyStructure,
    Cause,
    Exercise,
    RedFlag,
    RiskFactor,
    Symptom,
    Treatment,
)


class Relation(EditorFacingValidation, models.Model):
    """A through-row: ordered, with an optional editor's note shown to readers."""

    order = models.PositiveSmallIntegerField(
        default=0, help_text="Position in the list, lowest first."
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Optional; shown to readers next to this link, e.g. 'mainly in runners'.",
    )

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


def _unique_pair(model_name, a, b):
    return models.UniqueConstraint(fields=(a, b), name=f"{model_name}_unique_pair")


class Recommendation(Relation):
    """A cause's exercise or treatment, with the conditions a clinician writes on it."""

    Phase = RecommendationPhase

    phase = models.CharField(
        max_length=16,
        choices=Phase.choices,
        default=Phase.ANY,
        help_text="When it applies: acute pain, treatment and recovery, or prevention only.",
    )
    caution = models.CharField(
        max_length=300,
        blank=True,
        help_text="The precondition or caution readers must see next to it, e.g. 'Only once "
        "a blood clot and other serious causes have been ruled out.'",
    )

    class Meta:
        abstract = True

    def clean(self):
        from content_app.safety import recommendation_problems

        problems = recommendation_problems(self)
        if problems:
            raise ValidationError(problems)


class CauseStructure(Relation):
    Role = StructureRole

    cause = models.ForeignKey(Cause, on_delete=models.CASCADE, related_name="structure_links")
    structure = models.ForeignKey(
        AnatomyStructure,
        on_delete=models.CASCADE,
        related_name="cause_links",
        help_text="The anatomy structure affected.",
    )
    role = models.CharField(
        max_length=16,
        choices=Role.choices,
        default=Role.PRIMARY,
        help_text="Primary site of the problem, or also involved.",
    )

    class Meta:
        ordering = ("order", "pk")
        constraints = [
            _unique_pair("causestructure", "cause", "structure"),
            choices_check("role", StructureRole, "causestructure_role_valid"),
        ]

    def __str__(self):
        return f"{self.cause} – {self.structure}"


# Bounds of a cause–symptom weight in the self-check (a CheckConstraint keeps them).
SYMPTOM_WEIGHT_RANGE = (1, 10)
WEIGHT_RANGE_MESSAGE = (
    f"Weight must be between {SYMPTOM_WEIGHT_RANGE[0]} and {SYMPTOM_WEIGHT_RANGE[1]}."
)


class CauseSymptom(Relation):
    Role = SymptomRole

    cause = models.ForeignKey(Cause, on_delete=models.CASCADE, related_name="symptom_links")
    symptom = models.ForeignKey(
        Symptom,
        on_delete=models.CASCADE,
        related_name="cause_links",
        help_text="A symptom this cause produces.",
    )
    # The self-check's rule for this pair (content_app/selfcheck/engine.py).
    role = models.CharField(
        max_length=16,
        choices=Role.choices,
        default=Role.SUPPORTING,
        help_text="Self-check: supporting (adds the weight), required (no candidate without it) "
        "or against (takes the weight off).",
    )
    weight = models.PositiveSmallIntegerField(
        default=1,
        validators=range_validators("Weight", *SYMPTOM_WEIGHT_RANGE),
        help_text=f"Self-check: how much it counts ({SYMPTOM_WEIGHT_RANGE[0]} to "
        f"{SYMPTOM_WEIGHT_RANGE[1]}); distinctive symptoms weigh more.",
    )

    class Meta:
        ordering = ("order", "pk")
        constraints = [
            _unique_pair("causesymptom", "cause", "symptom"),
            choices_check("role", SymptomRole, "causesymptom_role_valid"),
            check(
                condition=Q(
                    weight__gte=SYMPTOM_WEIGHT_RANGE[0], weight__lte=SYMPTOM_WEIGHT_RANGE[1]
                ),
                name="causesymptom_weight_range",
                message=WEIGHT_RANGE_MESSAGE,
                field="weight",
            ),
        ]

    def __str__(self):
        return f"{self.cause} – {self.symptom}"


class CauseRiskFactor(Relation):
    cause = models.ForeignKey(Cause, on_delete=models.CASCADE, related_name="risk_factor_links")
    risk_factor = models.ForeignKey(
        RiskFactor,
        on_delete=models.CASCADE,
        related_name="cause_links",
        help_text="Something that makes this cause more likely.",
    )

    class Meta:
        ordering = ("order", "pk")
        constraints = [_unique_pair("causeriskfactor", "cause", "risk_factor")]

    def __str__(self):
        return f"{self.cause} – {self.risk_factor}"


class CauseRedFlag(Relation):
    cause = models.ForeignKey(Cause, on_delete=models.CASCADE, related_name="red_flag_links")
    red_flag = models.ForeignKey(
        RedFlag,
        on_delete=models.CASCADE,
        related_name="cause_links",
        help_text="A warning sign to show with this cause.",
    )

    class Meta:
        ordering = ("red_flag__urgency_rank", "order", "pk")
        constraints = [_unique_pair("causeredflag", "cause", "red_flag")]

    def __str__(self):
        return f"{self.cause} – {self.red_flag}"


class CauseExercise(Recommendation):
    Role = ExerciseRole

    cause = models.ForeignKey(Cause, on_delete=models.CASCADE, related_name="exercise_links")
    exercise = models.ForeignKey(
        Exercise,
        on_delete=models.CASCADE,
        related_name="cause_links",
        help_text="The exercise recommended (or to avoid) for this cause.",
    )
    role = models.CharField(
        max_length=16,
        choices=Role.choices,
        default=Role.RECOMMENDED,
        help_text="Recommended, or to avoid.",
    )

    class Meta:
        ordering = ("order", "pk")
        constraints = [
            _unique_pair("causeexercise", "cause", "exercise"),
            choices_check("role", ExerciseRole, "causeexercise_role_valid"),
            choices_check("phase", RecommendationPhase, "causeexercise_phase_valid"),
        ]

    def __str__(self):
        return f"{self.cause} – {self.exercise} ({self.role})"


class CauseTreatment(Recommendation):
    Role = TreatmentRole

    cause = models.ForeignKey(Cause, on_delete=models.CASCADE, related_name="treatment_links")
    treatment = models.ForeignKey(
        Treatment,
        on_delete=models.CASCADE,
        related_name="cause_links",
        help_text="The self-care treatment for this cause.",
    )
    role = models.CharField(
        max_length=24,
        choices=Role.choices,
        default=Role.RECOMMENDED,
        help_text="Recommended, to avoid, or only once a professional has diagnosed it.",
    )

    class Meta:
        ordering = ("order", "pk")
        constraints = [
            _unique_pair("causetreatment", "cause", "treatment"),
            choices_check("role", TreatmentRole, "causetreatment_role_valid"),
            choices_check("phase", RecommendationPhase, "causetreatment_phase_valid"),
        ]

    def __str__(self):
        return f"{self.cause} – {self.treatment} ({self.role})"


class SymptomRedFlag(Relation):
    """A warning sign to show with a symptom, whatever cause an app is showing."""

    symptom = models.ForeignKey(Symptom, on_delete=models.CASCADE, related_name="red_flag_links")
    red_flag = models.ForeignKey(
        RedFlag,
        on_delete=models.CASCADE,
        related_name="symptom_links",
        help_text="A warning sign to show with this symptom.",
    )

    class Meta:
        ordering = ("red_flag__urgency_rank", "order", "pk")
        constraints = [_unique_pair("symptomredflag", "symptom", "red_flag")]

    def __str__(self):
        return f"{self.symptom} – {self.red_flag}"


class ExerciseTarget(Relation):
    Role = TargetRole

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="target_links")
    structure = models.ForeignKey(
        AnatomyStructure,
        on_delete=models.CASCADE,
        related_name="exercise_links",
        help_text="A structure the exercise works.",
    )
    role = models.CharField(
        max_length=16,
        choices=Role.choices,
        default=Role.PRIMARY,
        help_text="The main target, or also worked.",
    )

    class Meta:
        ordering = ("order", "pk")
        constraints = [
            _unique_pair("exercisetarget", "exercise", "structure"),
            choices_check("role", TargetRole, "exercisetarget_role_valid"),
        ]

    def __str__(self):
        return f"{self.exercise} → {self.structure}"


class ExerciseProgression(Relation):
    """`harder` is the progression of `easier`; read backwards it is a regression."""

    easier = models.ForeignKey(
        Exercise,
        on_delete=models.CASCADE,
        related_name="progression_links",
        help_text="The easier exercise (a regression of the harder one).",
    )
    harder = models.ForeignKey(
        Exercise,
        on_delete=models.CASCADE,
        related_name="regression_links",
        help_text="The harder exercise (a progression of the easier one).",
    )

    class Meta:
        ordering = ("order", "pk")
        constraints = [
            _unique_pair("exerciseprogression", "easier", "harder"),
            check(
                condition=~Q(easier=models.F("harder")),
                name="exerciseprogression_not_self",
                message="An exercise cannot be its own harder or easier variation.",
                field="harder",
            ),
        ]

    def __str__(self):
        return f"{self.easier} → {self.harder}"


class ExerciseStep(Relation):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(max_length=300, help_text="One instruction, in one sentence.")

    class Meta:
        ordering = ("order", "pk")
        constraints = [
            models.UniqueConstraint(fields=("exercise", "order"), name="exercisestep_unique_order")
        ]

    def __str__(self):
        return f"{self.exercise} step {self.order}"


class TreatmentTarget(Relation):
    treatment = models.ForeignKey(
        Treatment, on_delete=models.CASCADE, related_name="structure_links"
    )
    structure = models.ForeignKey(
        AnatomyStructure,
        on_delete=models.CASCADE,
        related_name="treatment_links",
        help_text="A structure the treatment is for.",
    )

    class Meta:
        ordering = ("order", "pk")
        constraints = [_unique_pair("treatmenttarget", "treatment", "structure")]

    def __str__(self):
        return f"{self.treatment} → {self.structure}"
