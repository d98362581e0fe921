"""The symptom self-check: `POST /api/v1/self-check/`, its ruleset and its test vectors.

POST only: answers are health data, and a query string ends up in access logs, proxies and
caches. The response carries the answers' evidence, so it is `private, no-store`; nothing of a
request is stored or logged. The ruleset and the vectors hold no one's answers and are
ordinary cacheable GETs.
"""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from content_app.api.problems import PROBLEM_CONTENT_TYPE, problem
from content_app.api.v1.schema import ERROR_RESPONSES
from content_app.api.v1.serializers import ValidationProblemSerializer
from content_app.api.v1.views import StrictQueryMixin
from content_app.changelog import content_version
from content_app.models import (
    Prevalence,
    RecommendationPhase,
    SelfCare,
    SymptomRole,
    Urgency,
)
from content_app.selfcheck.engine import (
    ALGORITHM,
    ALGORITHM_DESCRIPTION,
    ITEM_TYPES,
    LIMITS,
    WITHHELD_EMERGENCY,
    WITHHELD_RED_FLAG,
    AnswerProblems,
    evaluate,
)
from content_app.selfcheck.ruleset import current_ruleset
from content_app.selfcheck.vectors import test_vectors

PRIVATE = "private, no-store"
SLUG = {"max_length": 120}


def _choices(choices_class):
    return choices_class.choices  # the models' enums, named once in the schema


# --- Request --------------------------------------------------------------------------------


class AnswerSerializer(serializers.Serializer):
    question = serializers.SlugField(help_text="A question's `slug` from the ruleset.", **SLUG)
    option = serializers.SlugField(
        max_length=40, help_text="One of that question's option `value`s."
    )


class SelfCheckRequestSerializer(serializers.Serializer):
    """What the person reports: symptoms they recognise and answers to the questions."""

    symptoms = serializers.ListField(
        child=serializers.SlugField(**SLUG),
        required=False,
        max_length=LIMITS["max_symptoms"],
        help_text=f"Symptom slugs (at most {LIMITS['max_symptoms']}; repeats count once).",
    )
    answers = AnswerSerializer(
        many=True,
        required=False,
        max_length=LIMITS["max_answers"],
        help_text=f"Answers to the ruleset's questions (at most {LIMITS['max_answers']}).",
    )


# --- Response -------------------------------------------------------------------------------


class FiredRedFlagSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    urgency = serializers.ChoiceField(choices=_choices(Urgency))
    action = serializers.CharField(help_text="What to do now.")
    rules = serializers.ListField(
        child=serializers.SlugField(), help_text="The triage rules that raised it."
    )
    evidence = serializers.ListField(
        child=serializers.SlugField(), help_text="The symptoms that fired those rules."
    )


class FlagReferenceSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    urgency = serializers.ChoiceField(choices=_choices(Urgency))


class CandidateCauseSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    score = serializers.IntegerField(help_text="Matched weights minus `against` weights.")
    matched = serializers.ListField(child=serializers.SlugField())
    missing = serializers.ListField(child=serializers.SlugField())
    against = serializers.ListField(child=serializers.SlugField())
    self_care = serializers.ChoiceField(choices=_choices(SelfCare))
    red_flags = serializers.ListField(
        child=serializers.SlugField(), help_text="The cause's warning signs, most urgent first."
    )


class RecommendationItemSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    phase = serializers.ChoiceField(choices=_choices(RecommendationPhase))
    caution = serializers.CharField(allow_blank=True, help_text="Show it next to the item.")


class AvoidItemSerializer(RecommendationItemSerializer):
    type = serializers.ChoiceField(choices=ITEM_TYPES)


class SelfCareSerializer(serializers.Serializer):
    cause = serializers.SlugField()
    exercises = RecommendationItemSerializer(many=True)
    treatments = RecommendationItemSerializer(many=True)
    avoid = AvoidItemSerializer(many=True)


class DisclaimerShortSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    summary = serializers.CharField()


class SelfCheckResultSerializer(serializers.Serializer):
    """Red flags first, then candidate causes, then self-care, then the disclaimer."""

    algorithm = serializers.ChoiceField(choices=[(ALGORITHM, ALGORITHM)])
    ruleset_version = serializers.CharField(help_text="SHA-256 of the ruleset used.")
    evidence = serializers.ListField(
        child=serializers.SlugField(), help_text="The symptoms the answers amount to (sorted)."
    )
    top_urgency = serializers.ChoiceField(choices=_choices(Urgency), allow_null=True)
    red_flags = FiredRedFlagSerializer(many=True)
    watch_for = FlagReferenceSerializer(many=True)
    causes = CandidateCauseSerializer(many=True)
    self_care_withheld = serializers.ChoiceField(
        choices=[(WITHHELD_EMERGENCY, WITHHELD_EMERGENCY), (WITHHELD_RED_FLAG, WITHHELD_RED_FLAG)],
        allow_null=True,
    )
    self_care = SelfCareSerializer(many=True)
    disclaimer = DisclaimerShortSerializer(allow_null=True)


class SelfCheckResponseSerializer(SelfCheckResultSerializer):
    content_version = serializers.IntegerField(
        min_value=0, help_text="The content version (change-log head) the ruleset was read at."
    )


# --- Ruleset (also in the bundle and sync) ------------------------------------------------


class RulesetOptionSerializer(serializers.Serializer):
    value = serializers.SlugField()
    label = serializers.CharField()
    symptom = serializers.SlugField(allow_null=True)


class RulesetQuestionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    text = serializers.CharField()
    help = serializers.CharField()
    sources = serializers.ListField(child=serializers.SlugField())
    options = RulesetOptionSerializer(many=True)


class RulesetSymptomSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    red_flags = serializers.ListField(child=serializers.SlugField())


class RulesetRedFlagSerializer(FlagReferenceSerializer):
    action = serializers.CharField()


class RulesetRuleSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    red_flag = serializers.SlugField()
    symptoms = serializers.ListField(child=serializers.SlugField(), min_length=1)
    sources = serializers.ListField(child=serializers.SlugField())


class RulesetCauseSymptomSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    role = serializers.ChoiceField(choices=_choices(SymptomRole))
    weight = serializers.IntegerField(min_value=1, max_value=10)


class RulesetLinkSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    role = serializers.CharField(help_text="recommended, avoid or only_after_diagnosis.")
    phase = serializers.ChoiceField(choices=_choices(RecommendationPhase))
    caution = serializers.CharField(allow_blank=True, help_text="Show it next to the item.")


class RulesetCauseSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    prevalence = serializers.ChoiceField(choices=_choices(Prevalence))
    self_care = serializers.ChoiceField(choices=_choices(SelfCare))
    red_flags = serializers.ListField(child=serializers.SlugField())
    symptoms = RulesetCauseSymptomSerializer(many=True)
    exercises = RulesetLinkSerializer(many=True)
    treatments = RulesetLinkSerializer(many=True)


class LimitsSerializer(serializers.Serializer):
    max_symptoms = serializers.IntegerField(min_value=0)
    max_answers = serializers.IntegerField(min_value=0)
    max_causes = serializers.IntegerField(min_value=0)
    self_care_causes = serializers.IntegerField(min_value=0)


class RulesetSerializer(serializers.Serializer):
    """Everything the self-check algorithm needs, self-contained (see the self-check operation)."""

    algorithm = serializers.ChoiceField(choices=[(ALGORITHM, ALGORITHM)])
    version = serializers.CharField(help_text="SHA-256 of this document without `version`.")
    limits = LimitsSerializer()
    urgency_order = serializers.ListField(child=serializers.CharField())
    prevalence_order = serializers.ListField(child=serializers.CharField())
    questions = RulesetQuestionSerializer(many=True)
    symptoms = RulesetSymptomSerializer(many=True)
    red_flags = RulesetRedFlagSerializer(many=True)
    rules = RulesetRuleSerializer(many=True)
    causes = RulesetCauseSerializer(many=True)
    disclaimer = DisclaimerShortSerializer(allow_null=True)


class InvalidInputSerializer(serializers.Serializer):
    invalid_params = serializers.ListField(child=serializers.CharField())


class VectorInputSerializer(SelfCheckRequestSerializer):
    """A vector's input as served: both lists always present (a request may leave either out)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.required = True
        return fields


class VectorSerializer(serializers.Serializer):
    name = serializers.CharField()
    input = VectorInputSerializer()
    output = SelfCheckResultSerializer(required=False, help_text="The result, for a valid input.")
    error = InvalidInputSerializer(
        required=False, help_text="For an invalid input: the names of the offending fields."
    )


class VectorsSerializer(serializers.Serializer):
    algorithm = serializers.ChoiceField(choices=[(ALGORITHM, ALGORITHM)])
    ruleset_version = serializers.CharField()
    vectors = VectorSerializer(many=True)


# --- Views ----------------------------------------------------------------------------------

_415 = {
    (415, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        ValidationProblemSerializer.__bases__[0],
        description="The body is not `application/json`.",
    )
}


def invalid_answers(request, params: dict[str, list[str]]) -> Response:
    invalid = [{"name": name, "reason": " ".join(reasons)} for name, reasons in params.items()]
    names = ", ".join(p["name"] for p in invalid)
    body = problem(
        "invalid-parameter", f"Invalid answer(s): {names}.", request.path, invalid_params=invalid
    )
    return Response(
        body,
        status=400,
        content_type=PROBLEM_CONTENT_TYPE,
        headers={"Cache-Control": PRIVATE},
    )


def _flatten(errors, prefix="") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            if key == "non_field_errors":
                out.update(_flatten(value, prefix or "request"))
            else:
                out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        out[prefix or "request"] = [str(e) for e in errors]
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if value:
                out.update(_flatten(value, f"{prefix}[{index}]"))
    return out


_EXAMPLE_REQUEST = {
    "symptoms": ["tight-muscles-behind-the-knee"],
    "answers": [{"question": "training-increase", "option": "yes"}],
}


_DISCLAIMER = {
    "slug": "general-information",
    "name": "About this information",
    "summary": "General information, not a diagnosis or a substitute for a health professional.",
}
_EXAMPLE_RESULT = {
    "algorithm": ALGORITHM,
    "ruleset_version": "5c1d0f3e" * 8,
    "evidence": ["pain-after-a-sudden-increase-in-training", "tight-muscles-behind-the-knee"],
    "top_urgency": None,
    "red_flags": [],
    "watch_for": [
        {
            "slug": "signs-of-deep-vein-thrombosis",
            "name": "Signs of a blood clot (deep vein thrombosis, DVT)",
            "urgency": "emergency",
        }
    ],
    "causes": [
        {
            "slug": "overuse",
            "name": "Overuse of the knee",
            "score": 3,
            "matched": [
                "tight-muscles-behind-the-knee",
                "pain-after-a-sudden-increase-in-training",
            ],
            "missing": ["pain-behind-the-knee"],
            "against": [],
            "self_care": "suitable",
            "red_flags": ["signs-of-deep-vein-thrombosis"],
        }
    ],
    "self_care_withheld": None,
    "self_care": [
        {
            "cause": "overuse",
            "exercises": [
                {
                    "slug": "hamstring-stretch",
                    "name": "Hamstring stretch",
                    "phase": "recovery",
                    "caution": "Only once a blood clot has been ruled out.",
                }
            ],
            "treatments": [],
            "avoid": [],
        }
    ],
    "disclaimer": _DISCLAIMER,
    "content_version": 1890,
}
_EXAMPLE_RULESET = {
    "algorithm": ALGORITHM,
    "version": "5c1d0f3e" * 8,
    "limits": dict(LIMITS),
    "urgency_order": ["emergency", "urgent", "soon", "routine"],
    "prevalence_order": ["common", "uncommon", "rare"],
    "questions": [
        {
            "slug": "lump",
            "text": "Is there a lump or a feeling of fullness behind the knee?",
            "help": "A swelling you can feel or see in the hollow of the knee.",
            "sources": ["posterior-knee-pain-during-exercise"],
            "options": [
                {"value": "yes", "label": "Yes", "symptom": "lump-or-fullness-behind-the-knee"},
                {"value": "no", "label": "No", "symptom": None},
            ],
        }
    ],
    "symptoms": [
        {
            "slug": "lump-or-fullness-behind-the-knee",
            "name": "Lump or fullness behind the knee",
            "red_flags": ["persistent-pain"],
        }
    ],
    "red_flags": [
        {
            "slug": "persistent-pain",
            "name": "Pain that does not improve",
            "urgency": "soon",
            "action": "Book an appointment with a physical therapist.",
        }
    ],
    "rules": [
        {
            "slug": "pain-not-improving-with-rest",
            "name": "Pain that does not improve with rest",
            "red_flag": "persistent-pain",
            "symptoms": ["pain-not-improving-with-rest"],
            "sources": ["posterior-knee-pain-during-exercise"],
        }
    ],
    "causes": [
        {
            "slug": "bakers-cyst",
            "name": "Baker's cyst",
            "prevalence": "common",
            "self_care": "after_diagnosis",
            "red_flags": ["persistent-pain"],
            "symptoms": [
                {"slug": "lump-or-fullness-behind-the-knee", "role": "supporting", "weight": 3}
            ],
            "exercises": [],
            "treatments": [],
        }
    ],
    "disclaimer": _DISCLAIMER,
}


def _example(name, value):
    return [OpenApiExample(name, value=value, response_only=True, status_codes=[200])]


@extend_schema(tags=["self-check"])
class SelfCheckView(StrictQueryMixin, APIView):
    http_method_names = ["post"]

    @extend_schema(
        operation_id="self_check",
        summary="Symptom self-check: red flags first, then likely causes",
        description=(
            "Evaluate a person's answers against the published self-check ruleset "
            "(`/api/v1/self-check/ruleset/`, also in the bundle and sync). Nothing of the "
            "request is stored or logged; the response is `Cache-Control: private, no-store`.\n\n"
            + ALGORITHM_DESCRIPTION
        ),
        request=SelfCheckRequestSerializer,
        responses={
            200: OpenApiResponse(
                SelfCheckResponseSerializer, description="The result (never cached)."
            ),
            **ERROR_RESPONSES(400),
            **_415,
        },
        examples=[
            OpenApiExample(
                "Tightness after a training spike", value=_EXAMPLE_REQUEST, request_only=True
            ),
            *_example("Overuse first, with self-care", _EXAMPLE_RESULT),
        ],
    )
    def post(self, request, *args, **kwargs):
        serializer = SelfCheckRequestSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid_answers(request, _flatten(serializer.errors))
        payload = {
            "symptoms": serializer.validated_data.get("symptoms", []),
            "answers": [dict(a) for a in serializer.validated_data.get("answers", [])],
        }
        ruleset = current_ruleset()
        try:
            result = evaluate(payload, ruleset)
        except AnswerProblems as exc:
            return invalid_answers(request, exc.params)
        body = {**result, "content_version": content_version().head}  # the serializer's order
        return Response(body, headers={"Cache-Control": PRIVATE})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = PRIVATE  # errors too: they can name the answers
        return response


@extend_schema(tags=["self-check"])
class SelfCheckRulesetView(StrictQueryMixin, APIView):
    @extend_schema(
        operation_id="self_check_ruleset",
        summary="The self-check ruleset",
        description="The published questions, triage rules, cause–symptom weights and the "
        "recommendations the self-check uses, self-contained: an app can run the algorithm "
        "described under `POST /api/v1/self-check/` on it offline.",
        responses={200: RulesetSerializer, **ERROR_RESPONSES(400)},
        examples=_example("A ruleset (shortened)", _EXAMPLE_RULESET),
    )
    def get(self, request, *args, **kwargs):
        return Response(current_ruleset())


@extend_schema(tags=["self-check"])
class SelfCheckVectorsView(StrictQueryMixin, APIView):
    @extend_schema(
        operation_id="self_check_vectors",
        summary="Test vectors for offline implementations",
        description="Inputs and the server's results for them, generated by the server's engine "
        "over the current ruleset (`ruleset_version`). An app implementing the algorithm "
        "must give exactly `output` (or refuse the input naming exactly `error.invalid_params`).",
        responses={200: VectorsSerializer, **ERROR_RESPONSES(400)},
        examples=_example(
            "One vector",
            {
                "algorithm": ALGORITHM,
                "ruleset_version": "5c1d0f3e" * 8,
                "vectors": [
                    {
                        "name": "unknown symptom",
                        "input": {"symptoms": ["no-such-symptom"], "answers": []},
                        "error": {"invalid_params": ["symptoms[0]"]},
                    }
                ],
            },
        ),
    )
    def get(self, request, *args, **kwargs):
        ruleset = current_ruleset()
        return Response(
            {
                "algorithm": ruleset["algorithm"],
                "ruleset_version": ruleset["version"],
                "vectors": test_vectors(ruleset),
            }
        )
