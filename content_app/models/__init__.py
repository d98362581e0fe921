"""The KneeCare content model, split by concern: choices, base, entities, relations, changelog.

Every public entity has a stable `slug`, a workflow `status` and a `revision` counter that is
bumped on every save (optimistic locking in the admin, part of the HTTP ETag).
"""

from content_app.models.base import ContentEntity, PublicEntity, Source
from content_app.models.changelog import ChangeAction, ChangeLogEntry, SyncHorizon
from content_app.models.choices import (
    AnatomyKind,
    Difficulty,
    Equipment,
    ExerciseCategory,
    ExerciseRole,
    Onset,
    Prevalence,
    RiskFactorCategory,
    SelfCare,
    Status,
    StructureRole,
    TargetRole,
    TreatmentKind,
    Urgency,
)
from content_app.models.entities import (
    EXERCISE_DOSAGE_LIMITS,
    AnatomyStructure,
    Cause,
    Exercise,
    RedFlag,
    RiskFactor,
    Symptom,
    Treatment,
)
from content_app.models.relations import (
    CauseExercise,
    CauseRedFlag,
    CauseRiskFactor,
    CauseStructure,
    CauseSymptom,
    CauseTreatment,
    ExerciseProgression,
    ExerciseStep,
    ExerciseTarget,
    Relation,
    TreatmentTarget,
)
from content_app.search.models import SearchDocument, Synonym

CONTENT_MODELS = (
    AnatomyStructure,
    Cause,
    Symptom,
    RiskFactor,
    RedFlag,
    Exercise,
    Treatment,
    Source,
)
MODELS_BY_API_TYPE = {model.api_type: model for model in CONTENT_MODELS}

# Through-models that link two public entities: (model, first FK, second FK).
ENTITY_RELATIONS = (
    (CauseStructure, "cause", "structure"),
    (CauseSymptom, "cause", "symptom"),
    (CauseRiskFactor, "cause", "risk_factor"),
    (CauseRedFlag, "cause", "red_flag"),
    (CauseExercise, "cause", "exercise"),
    (CauseTreatment, "cause", "treatment"),
    (ExerciseTarget, "exercise", "structure"),
    (ExerciseProgression, "easier", "harder"),
    (TreatmentTarget, "treatment", "structure"),
)

__all__ = [
    "CONTENT_MODELS",
    "ENTITY_RELATIONS",
    "EXERCISE_DOSAGE_LIMITS",
    "MODELS_BY_API_TYPE",
    "AnatomyKind",
    "AnatomyStructure",
    "Cause",
    "CauseExercise",
    "CauseRedFlag",
    "CauseRiskFactor",
    "CauseStructure",
    "CauseSymptom",
    "CauseTreatment",
    "ChangeAction",
    "ChangeLogEntry",
    "ContentEntity",
    "Difficulty",
    "Equipment",
    "Exercise",
    "ExerciseCategory",
    "ExerciseProgression",
    "ExerciseRole",
    "ExerciseStep",
    "ExerciseTarget",
    "Onset",
    "Prevalence",
    "PublicEntity",
    "RedFlag",
    "Relation",
    "RiskFactor",
    "RiskFactorCategory",
    "SearchDocument",
    "SelfCare",
    "Source",
    "Status",
    "StructureRole",
    "Symptom",
    "SyncHorizon",
    "Synonym",
    "TargetRole",
    "Treatment",
    "TreatmentKind",
    "TreatmentTarget",
    "Urgency",
]
