"""Every enumeration of the content model, as TextChoices (also the OpenAPI enums)."""

from django.db import models
from django.db.models import Q

from content_app.models.constraints import check


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class AnatomyKind(models.TextChoices):
    MUSCLE = "muscle", "Muscle"
    TENDON = "tendon", "Tendon"
    LIGAMENT = "ligament", "Ligament"
    CAPSULE = "capsule", "Joint capsule"
    CARTILAGE = "cartilage", "Cartilage"
    BURSA = "bursa", "Bursa"
    NERVE = "nerve", "Nerve"
    VESSEL = "vessel", "Blood vessel"
    BONE = "bone", "Bone"
    REGION = "region", "Region"


class RiskFactorCategory(models.TextChoices):
    TRAINING = "training", "Training load and errors"
    MUSCLE_BALANCE = "muscle_balance", "Muscle imbalance"
    BIOMECHANICS = "biomechanics", "Biomechanics"
    RECOVERY = "recovery", "Recovery"
    EQUIPMENT = "equipment", "Equipment"
    BODY = "body", "Body and health"
    LIFESTYLE = "lifestyle", "Lifestyle"
    ACTIVITY = "activity", "Activity and sport"
    CONDITION = "condition", "Existing knee condition"


class Urgency(models.TextChoices):
    # Declared from most to least urgent; `urgency_rank` gives the total order. What to do is
    # each red flag's own `action`, written from its sources.
    EMERGENCY = "emergency", "Emergency"
    URGENT = "urgent", "Urgent"
    SOON = "soon", "Soon"
    ROUTINE = "routine", "Routine"


class TreatmentKind(models.TextChoices):
    MASSAGE = "massage", "Massage and soft-tissue work"
    SUPPORT = "support", "Brace or support"
    LOAD_MANAGEMENT = "load_management", "Load management"
    ACUTE_CARE = "acute_care", "Acute care"
    LIFESTYLE = "lifestyle", "Lifestyle"
    TRAINING = "training", "Training habits"
    EQUIPMENT = "equipment", "Equipment"


class ExerciseCategory(models.TextChoices):
    STRENGTH = "strength", "Strength"
    STABILITY = "stability", "Stability and balance"
    STRETCH = "stretch", "Stretch"
    MOBILITY = "mobility", "Mobility"


class Difficulty(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class Equipment(models.TextChoices):
    NONE = "none", "None"
    CHAIR = "chair", "Chair"
    BALANCE_CUSHION = "balance_cushion", "Balance cushion"
    RESISTANCE_BAND = "resistance_band", "Resistance band"
    BENCH = "bench", "Bench or anchor for the feet"
    WEIGHTS = "weights", "Weights"


class Prevalence(models.TextChoices):
    """How common a cause is, as its sources say; `not_stated` where they give no figure.

    The self-check breaks ties in this order: an unstated prevalence never outranks a stated one.
    """

    COMMON = "common", "Common"
    UNCOMMON = "uncommon", "Uncommon"
    RARE = "rare", "Rare"
    NOT_STATED = "not_stated", "Not stated by the sources"


class Onset(models.TextChoices):
    OVERUSE = "overuse", "Overuse"
    ACUTE = "acute", "Acute injury"
    DEGENERATIVE = "degenerative", "Degenerative"
    INFLAMMATORY = "inflammatory", "Inflammatory"
    REFERRED = "referred", "Referred from elsewhere"
    VASCULAR = "vascular", "Vascular"


class SelfCare(models.TextChoices):
    SUITABLE = "suitable", "Self-care suits it"
    AFTER_DIAGNOSIS = (
        "after_diagnosis",
        "Self-care once a professional has diagnosed it",
    )
    NOT_SUITABLE = "not_suitable", "Needs medical care"


class StructureRole(models.TextChoices):
    PRIMARY = "primary", "Primary site"
    INVOLVED = "involved", "Involved"


class ExerciseRole(models.TextChoices):
    RECOMMENDED = "recommended", "Recommended"
    AVOID = "avoid", "Avoid"


class TargetRole(models.TextChoices):
    PRIMARY = "primary", "Primary target"
    SECONDARY = "secondary", "Also worked"


class RecommendationPhase(models.TextChoices):
    """When a recommendation applies. Seed 001 gives RICE for acute pain, eccentric hamstring
    work for injury prevention, and its other strategies for "managing and preventing" pain
    once serious conditions are ruled out; seed 000's plan treats the pain itself."""

    ACUTE = "acute", "Acute pain (first aid)"
    RECOVERY = "recovery", "Treatment and recovery (once acute pain has settled)"
    PREVENTION = "prevention", "Prevention (not a treatment)"
    ANY = "any", "Not tied to a phase"


class TreatmentRole(models.TextChoices):
    RECOMMENDED = "recommended", "Recommended"
    AVOID = "avoid", "Avoid"
    ONLY_AFTER_DIAGNOSIS = "only_after_diagnosis", "Only once a professional has diagnosed it"


class ReviewerRole(models.TextChoices):
    """In what capacity a review was done. Only `clinical` may be called a clinical review."""

    CLINICAL = "clinical", "Clinical review (a health professional)"
    EDITORIAL = "editorial", "Editorial review against the cited sources (not clinical)"


class ReviewStatus(models.TextChoices):
    """Computed from the review record and today's date (never stored)."""

    NOT_REVIEWED = "not_reviewed", "Not reviewed"
    CURRENT = "current", "Reviewed, current"
    DUE_SOON = "due_soon", "Review due soon"
    OVERDUE = "overdue", "Review overdue"


def choices_check(field, choices_class, name):
    """A CheckConstraint that keeps `field` inside its TextChoices at the database level."""
    return check(
        condition=Q(**{f"{field}__in": choices_class.values}),
        name=name,
        message=f"Choose one of the listed {field.replace('_', ' ')} options.",
        field=field,
    )


class SymptomRole(models.TextChoices):
    """How a symptom counts for a cause in the self-check (content_app/selfcheck/engine.py)."""

    SUPPORTING = "supporting", "Supporting: adds its weight when present"
    REQUIRED = "required", "Required: the cause is not a candidate without it"
    AGAINST = "against", "Against: takes its weight off when present"
