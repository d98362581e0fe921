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
    RecommendationPhase,
    ReviewerRole,
    ReviewStatus,
    RiskFactorCategory,
    SelfCare,
    Status,
    StructureRole,
    SymptomRole,
    TargetRole,
    TreatmentKind,
    TreatmentRole,
    Urgency,
)
from content_app.models.entities import (
    EXERCISE_DOSAGE_LIMITS,
    AnatomyStructure,
    Cause,
    Disclaimer,
    Exercise,
    RedFlag,
    RiskFactor,
    Symptom,
    Treatment,
)
from content_app.models.media import (
    MEDIA_RELATIONS,
    AnatomyMedia,
    ExerciseMedia,
    ImageFormat,
    MediaAsset,
    MediaKind,
    MediaLicence,
    MediaRendition,
    MediaRole,
    TreatmentMedia,
    VideoProvider,
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
    SymptomRedFlag,
    TreatmentTarget,
)
from content_app.models.selfcheck import (
    SELF_CHECK_TYPE,
    SelfCheckOption,
    SelfCheckQuestion,
    TriageRule,
    TriageRuleSymptom,
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
    Disclaimer,
)
MODELS_BY_API_TYPE = {model.api_type: model for model in CONTENT_MODELS}
API_TYPE_CHOICES = [(api_type, api_type) for api_type in MODELS_BY_API_TYPE]  # an OpenAPI enum
# The self-check's rule content (cited and reviewed, served as one ruleset, not a collection).
SELF_CHECK_MODELS = (SelfCheckQuestion, TriageRule)
# The content types that cite sources and carry a review record.
CITING_MODELS = tuple(model for model in CONTENT_MODELS if issubclass(model, ContentEntity))

# Through-models that link two public entities: (model, first FK, second FK).
ENTITY_RELATIONS = (
    (CauseStructure, "cause", "structure"),
    (CauseSymptom, "cause", "symptom"),
    (CauseRiskFactor, "cause", "risk_factor"),
    (CauseRedFlag, "cause", "red_flag"),
    (CauseExercise, "cause", "exercise"),
    (CauseTreatment, "cause", "treatment"),
    (SymptomRedFlag, "symptom", "red_flag"),
    (ExerciseTarget, "exercise", "structure"),
    (ExerciseProgression, "easier", "harder"),
    (TreatmentTarget, "treatment", "structure"),
)

__all__ = [
    "CITING_MODELS",
    "CONTENT_MODELS",
    "ENTITY_RELATIONS",
    "EXERCISE_DOSAGE_LIMITS",
    "MEDIA_RELATIONS",
    "MODELS_BY_API_TYPE",
    "SELF_CHECK_MODELS",
    "SELF_CHECK_TYPE",
    "AnatomyKind",
    "AnatomyMedia",
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
    "Disclaimer",
    "Equipment",
    "Exercise",
    "ExerciseCategory",
    "ExerciseMedia",
    "ExerciseProgression",
    "ExerciseRole",
    "ExerciseStep",
    "ExerciseTarget",
    "ImageFormat",
    "MediaAsset",
    "MediaKind",
    "MediaLicence",
    "MediaRendition",
    "MediaRole",
    "Onset",
    "Prevalence",
    "PublicEntity",
    "RecommendationPhase",
    "RedFlag",
    "Relation",
    "ReviewStatus",
    "ReviewerRole",
    "RiskFactor",
    "RiskFactorCategory",
    "SearchDocument",
    "SelfCare",
    "SelfCheckOption",
    "SelfCheckQuestion",
    "Source",
    "Status",
    "StructureRole",
    "Symptom",
    "SymptomRedFlag",
    "SymptomRole",
    "SyncHorizon",
    "Synonym",
    "TargetRole",
    "Treatment",
    "TreatmentKind",
    "TreatmentMedia",
    "TreatmentRole",
    "TreatmentTarget",
    "TriageRule",
    "TriageRuleSymptom",
    "Urgency",
    "VideoProvider",
]
