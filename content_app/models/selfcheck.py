"""The self-check's rules as content: questions (answers mapped to symptoms) and triage rules.

Both are reviewed, cited content with history and the review-and-publish workflow of every
other type (ContentEntity). They are not an API collection of their own: the published ones
make up the self-check ruleset (content_app/selfcheck/ruleset.py), which the self-check
endpoint, the bundle and sync serve.
"""

from django.db import models
from django.urls import reverse

from content_app.models.base import (
    ContentEntity,
    content_permissions,
    review_constraints,
    working_copy_constraints,
)
from content_app.models.choices import Status, choices_check
from content_app.models.entities import RedFlag, Symptom
from content_app.models.relations import Relation

# The change-log type of everything the ruleset holds that no collection serves.
SELF_CHECK_TYPE = "self-check"


class SelfCheckContent(ContentEntity):
    api_type = SELF_CHECK_TYPE

    class Meta(ContentEntity.Meta):
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse("v1:self-check-ruleset")


class SelfCheckQuestion(SelfCheckContent):
    """A question of the self-check. `name` is the question as asked; its options are the
    answers, exactly one per question, each mapped to the symptom it means (or to none)."""

    order = models.PositiveSmallIntegerField(default=0, help_text="Questions are asked in order.")

    class Meta(ContentEntity.Meta):
        verbose_name = "self-check question"
        ordering = ("order", "slug")
        constraints = [
            choices_check("status", Status, "selfcheckquestion_status_valid"),
            *review_constraints("selfcheckquestion"),
            *working_copy_constraints("selfcheckquestion"),
        ]
        permissions = content_permissions("selfcheckquestion")


class SelfCheckOption(Relation):
    """One answer to a question; choosing it counts as having `symptom` (if any)."""

    question = models.ForeignKey(
        SelfCheckQuestion, on_delete=models.CASCADE, related_name="options"
    )
    value = models.SlugField(max_length=40, help_text="What apps send, e.g. 'yes' or 'sudden'.")
    label = models.CharField(max_length=120, help_text="The answer as shown.")
    symptom = models.ForeignKey(
        Symptom,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="self_check_options",
        help_text="The symptom this answer means; empty when it means none (e.g. 'no').",
    )

    class Meta:
        verbose_name = "self-check answer"
        ordering = ("order", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=("question", "value"), name="selfcheckoption_unique_value"
            ),
            models.UniqueConstraint(
                fields=("question", "symptom"), name="selfcheckoption_unique_symptom"
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.label}"


class TriageRule(SelfCheckContent):
    """A "triage tuple": when every one of its symptoms is present, its red flag is raised.

    One symptom makes a rule of its own (numbness → the numbness flag); several escalate only
    together (a swollen and red leg → signs of a clot). Cite the source that supports it.
    """

    red_flag = models.ForeignKey(
        RedFlag,
        on_delete=models.PROTECT,
        related_name="triage_rules",
        help_text="The red flag raised when all of the rule's symptoms are present.",
    )
    symptoms = models.ManyToManyField(
        Symptom, through="TriageRuleSymptom", related_name="triage_rules", blank=True
    )

    class Meta(ContentEntity.Meta):
        verbose_name = "triage rule"
        ordering = ("slug",)
        constraints = [
            choices_check("status", Status, "triagerule_status_valid"),
            *review_constraints("triagerule"),
            *working_copy_constraints("triagerule"),
        ]
        permissions = content_permissions("triagerule")


class TriageRuleSymptom(Relation):
    rule = models.ForeignKey(TriageRule, on_delete=models.CASCADE, related_name="symptom_links")
    symptom = models.ForeignKey(
        Symptom,
        on_delete=models.PROTECT,
        related_name="triage_rule_links",
        help_text="One of the symptoms that must all be present.",
    )

    class Meta:
        verbose_name = "triage rule symptom"
        ordering = ("order", "pk")
        constraints = [
            models.UniqueConstraint(fields=("rule", "symptom"), name="triagerulesymptom_unique")
        ]

    def __str__(self):
        return f"{self.rule} – {self.symptom}"
