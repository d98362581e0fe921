"""factory_boy factories for every content model. Published by default: tests opt into drafts."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from content_app import models as m


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("test-password")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source article {n}")
    author = "A. Author"
    publisher = "Example Publisher"
    status = m.Status.PUBLISHED


class ContentFactory(factory.django.DjangoModelFactory):
    """Reviewed, cited, published content; `sources` defaults to one new source."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    status = m.Status.PUBLISHED
    summary = factory.LazyAttribute(lambda o: f"Summary of {o.name}.")
    body = factory.LazyAttribute(lambda o: f"Body text about {o.name}.")
    reviewed_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    # A review is whole or absent (a database constraint): these follow `reviewed_at`.
    reviewer_name = factory.LazyAttribute(lambda o: "Test Reviewer" if o.reviewed_at else "")
    reviewer_role = factory.LazyAttribute(
        lambda o: m.ReviewerRole.EDITORIAL if o.reviewed_at else ""
    )
    review_due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if not create:
            return
        self.sources.set(extracted if extracted is not None else [SourceFactory()])


class AnatomyStructureFactory(ContentFactory):
    class Meta:
        model = m.AnatomyStructure

    slug = factory.Sequence(lambda n: f"structure-{n}")
    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = m.AnatomyKind.MUSCLE


class SymptomFactory(ContentFactory):
    class Meta:
        model = m.Symptom

    slug = factory.Sequence(lambda n: f"symptom-{n}")
    name = factory.Sequence(lambda n: f"Symptom {n}")


class RiskFactorFactory(ContentFactory):
    class Meta:
        model = m.RiskFactor

    slug = factory.Sequence(lambda n: f"risk-factor-{n}")
    name = factory.Sequence(lambda n: f"Risk factor {n}")
    category = m.RiskFactorCategory.TRAINING
    modifiable = True


class RedFlagFactory(ContentFactory):
    class Meta:
        model = m.RedFlag

    slug = factory.Sequence(lambda n: f"red-flag-{n}")
    name = factory.Sequence(lambda n: f"Red flag {n}")
    urgency = m.Urgency.URGENT
    action = "See a doctor today."


class TreatmentFactory(ContentFactory):
    class Meta:
        model = m.Treatment

    slug = factory.Sequence(lambda n: f"treatment-{n}")
    name = factory.Sequence(lambda n: f"Treatment {n}")
    kind = m.TreatmentKind.MASSAGE


class ExerciseFactory(ContentFactory):
    class Meta:
        model = m.Exercise

    slug = factory.Sequence(lambda n: f"exercise-{n}")
    name = factory.Sequence(lambda n: f"Exercise {n}")
    category = m.ExerciseCategory.STRENGTH
    difficulty = m.Difficulty.BEGINNER
    sets = 3
    reps = 10
    times_per_day = 2
    stop_rule = "Stop if it makes the pain worse."


class CauseFactory(ContentFactory):
    class Meta:
        model = m.Cause

    slug = factory.Sequence(lambda n: f"cause-{n}")
    name = factory.Sequence(lambda n: f"Cause {n}")
    prevalence = m.Prevalence.COMMON
    onset = m.Onset.OVERUSE
    self_care = m.SelfCare.SUITABLE


class CauseStructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CauseStructure

    cause = factory.SubFactory(CauseFactory)
    structure = factory.SubFactory(AnatomyStructureFactory)


class CauseSymptomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CauseSymptom

    cause = factory.SubFactory(CauseFactory)
    symptom = factory.SubFactory(SymptomFactory)


class CauseRiskFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CauseRiskFactor

    cause = factory.SubFactory(CauseFactory)
    risk_factor = factory.SubFactory(RiskFactorFactory)


class CauseRedFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CauseRedFlag

    cause = factory.SubFactory(CauseFactory)
    red_flag = factory.SubFactory(RedFlagFactory)


class CauseExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CauseExercise

    cause = factory.SubFactory(CauseFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    order = factory.Sequence(int)


class CauseTreatmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CauseTreatment

    cause = factory.SubFactory(CauseFactory)
    treatment = factory.SubFactory(TreatmentFactory)
    caution = "Only once serious conditions have been ruled out."


class SymptomRedFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.SymptomRedFlag

    symptom = factory.SubFactory(SymptomFactory)
    red_flag = factory.SubFactory(RedFlagFactory)


class DisclaimerFactory(factory.django.DjangoModelFactory):
    """Published by default; only one disclaimer may be published at a time."""

    class Meta:
        model = m.Disclaimer

    slug = factory.Sequence(lambda n: f"disclaimer-{n}")
    name = factory.Sequence(lambda n: f"Disclaimer {n}")
    summary = "General information, not a diagnosis."
    body = "General information, not a diagnosis or a substitute for a professional."
    status = m.Status.PUBLISHED


class ExerciseTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ExerciseTarget

    exercise = factory.SubFactory(ExerciseFactory)
    structure = factory.SubFactory(AnatomyStructureFactory)


class ExerciseProgressionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ExerciseProgression

    easier = factory.SubFactory(ExerciseFactory)
    harder = factory.SubFactory(ExerciseFactory)


class ExerciseStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ExerciseStep

    exercise = factory.SubFactory(ExerciseFactory)
    order = factory.Sequence(int)
    text = factory.Sequence(lambda n: f"Step {n}.")


class TreatmentTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.TreatmentTarget

    treatment = factory.SubFactory(TreatmentFactory)
    structure = factory.SubFactory(AnatomyStructureFactory)


class DraftDisclaimerFactory(DisclaimerFactory):
    """Any number of these may exist (only one disclaimer may be published)."""

    status = m.Status.DRAFT
