"""The exact v1 response shapes, for the OpenAPI schema.

Responses are built by `representations.py` (plain dicts from `.values()` rows, for speed);
these serializers only describe them. Contract tests validate every response against the
generated schema, so a drift between the two fails the build.

Every served field is required and every object is closed (`additionalProperties: false`,
added by `schema.close_objects`); `tests/api/test_shapes.py` walks real responses beside the
schema and fails when a key is missing, extra or out of order. `?fields=` trims the top level
of items on request (the parameter says so); `item` appears only with `?expand=`.
"""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from content_app import models as m
from content_app.api.v1 import representations as rep
from content_app.api.v1.media import media_field
from content_app.search.backends import MAX_RESULTS


def _slug(help_text="Stable public id of the item; never reused.", **kwargs):
    return serializers.SlugField(help_text=help_text, **kwargs)


def _url(**kwargs):
    return serializers.CharField(
        help_text="Path of the item's detail endpoint, relative to the API host.", **kwargs
    )


def _choice(choices, help_text, **kwargs):
    return serializers.ChoiceField(choices=choices.choices, help_text=help_text, **kwargs)


# --- Small nested objects ----------------------------------------------------------------------


def _dosage_number(column: str, help_text: str):
    """A dosage number bounded as the model's CheckConstraints bound it (EXERCISE_DOSAGE_LIMITS)."""
    low, high = m.EXERCISE_DOSAGE_LIMITS[column]
    return serializers.IntegerField(
        allow_null=True, min_value=low, max_value=high, help_text=help_text
    )


class DosageTargetSerializer(serializers.Serializer):
    sets = _dosage_number("target_sets", "Sets to build up to.")
    reps = _dosage_number("target_reps", "Repetitions per set to build up to.")
    hold_seconds = _dosage_number("target_hold_seconds", "Hold time to build up to.")


class DosageSerializer(serializers.Serializer):
    """Structured dosage. `null` means the sources give no number for it."""

    sets = _dosage_number("sets", "Sets.")
    reps = _dosage_number("reps", "Repetitions per set.")
    hold_seconds = _dosage_number("hold_seconds", "Seconds to hold each repetition.")
    times_per_day = _dosage_number("times_per_day", "Sessions a day (lower end).")
    times_per_day_max = _dosage_number(
        "times_per_day_max", "Upper end when the frequency is a range (2–3 a day); else null."
    )
    target = DosageTargetSerializer(help_text="The dosage to build up to.")
    note = serializers.CharField(
        allow_blank=True, help_text="What the numbers cannot say, e.g. 'as often as you can'."
    )


class ExerciseStepSerializer(serializers.Serializer):
    order = serializers.IntegerField(min_value=0)
    text = serializers.CharField()


# --- Compact references (the related item + the relation's own attributes) --------------------
# Every reference has slug, name and url; `item` appears only when its relation is named in
# `?expand=` and then holds the related item's full detail (its own relations stay compact).


class _ReferenceSerializer(serializers.Serializer):
    slug = _slug()
    name = serializers.CharField()
    url = _url()


class _OrderedLinkSerializer(_ReferenceSerializer):
    order = serializers.IntegerField(min_value=0, help_text="Position chosen by the editors.")
    note = serializers.CharField(allow_blank=True, help_text="Editor's note on this link.")


class _CauseAttributesSerializer(_OrderedLinkSerializer):
    prevalence = _choice(m.Prevalence, "How common the cause is.")
    onset = _choice(m.Onset, "How the cause typically starts.")
    self_care = _choice(m.SelfCare, "Whether self-care suits it.")


class _ExerciseAttributesSerializer(_OrderedLinkSerializer):
    category = _choice(m.ExerciseCategory, "Kind of exercise.")
    difficulty = _choice(m.Difficulty, "Difficulty level.")
    equipment = _choice(m.Equipment, "Equipment needed.")


class SourceReferenceSerializer(_ReferenceSerializer):
    """A cited source: `name` is its title."""


class AnatomyReferenceSerializer(_ReferenceSerializer):
    """An anatomy structure (e.g. a parent group)."""


class AnatomyChildLinkSerializer(_ReferenceSerializer):
    kind = _choice(m.AnatomyKind, "Kind of structure.")


class CauseStructureLinkSerializer(_OrderedLinkSerializer):
    role = _choice(m.StructureRole, "Whether it is the primary site or also involved.")
    kind = _choice(m.AnatomyKind, "Kind of structure.")


class CauseSymptomLinkSerializer(_OrderedLinkSerializer):
    pass


class CauseRiskFactorLinkSerializer(_OrderedLinkSerializer):
    category = _choice(m.RiskFactorCategory, "Category of risk factor.")
    modifiable = serializers.BooleanField(help_text="Can the person change it themselves?")


class CauseRedFlagLinkSerializer(_OrderedLinkSerializer):
    urgency = _choice(m.Urgency, "How urgently to act: emergency > urgent > soon > routine.")
    action = serializers.CharField(help_text="What the reader should do.")


PHASE_HELP = (
    "When it applies: `acute` (acute pain, first aid), `recovery` (treatment once acute pain "
    "has settled), `prevention` (preventing it; never a treatment), `any` (the sources tie it "
    "to no phase). Show it next to the recommendation."
)
CAUTION_HELP = (
    "The precondition or caution to show next to it (e.g. 'only once a blood clot has been "
    "ruled out'); empty if none."
)
TREATMENT_ROLE_HELP = (
    "`recommended`, `avoid`, or `only_after_diagnosis` (only once a professional has "
    "diagnosed the cause)."
)


def _phase():
    return _choice(m.RecommendationPhase, PHASE_HELP)


def _caution():
    return serializers.CharField(allow_blank=True, help_text=CAUTION_HELP)


class CauseExerciseLinkSerializer(_ExerciseAttributesSerializer):
    role = _choice(m.ExerciseRole, "Recommended for this cause, or to avoid.")
    phase = _phase()
    caution = _caution()
    dosage = DosageSerializer()


class CauseTreatmentLinkSerializer(_OrderedLinkSerializer):
    role = _choice(m.TreatmentRole, TREATMENT_ROLE_HELP)
    phase = _phase()
    caution = _caution()
    kind = _choice(m.TreatmentKind, "Kind of self-care measure.")


class SymptomRedFlagLinkSerializer(_OrderedLinkSerializer):
    urgency = _choice(m.Urgency, "How urgently to act: emergency > urgent > soon > routine.")
    action = serializers.CharField(help_text="What the reader should do.")


class RedFlagSymptomLinkSerializer(_OrderedLinkSerializer):
    """A symptom that should bring this red flag to mind."""


class DisclaimerReferenceSerializer(_ReferenceSerializer):
    """The disclaimer that applies to this item: show it (its `summary`) next to the item.

    Resolve it from `/api/v1/disclaimers/<slug>/`, the API root or the bundle's `disclaimer`.
    """


class CauseLinkSerializer(_CauseAttributesSerializer):
    """A cause linked to this item."""


class StructureCauseLinkSerializer(_CauseAttributesSerializer):
    role = _choice(m.StructureRole, "Whether this structure is the primary site or involved.")


class ExerciseCauseLinkSerializer(_CauseAttributesSerializer):
    role = _choice(m.ExerciseRole, "Recommended for this cause, or to avoid.")
    phase = _phase()
    caution = _caution()


class TreatmentCauseLinkSerializer(_CauseAttributesSerializer):
    role = _choice(m.TreatmentRole, TREATMENT_ROLE_HELP)
    phase = _phase()
    caution = _caution()


class StructureExerciseLinkSerializer(_ExerciseAttributesSerializer):
    role = _choice(m.TargetRole, "Whether this structure is the primary target.")


class StructureTreatmentLinkSerializer(_OrderedLinkSerializer):
    kind = _choice(m.TreatmentKind, "Kind of self-care measure.")


class TreatmentStructureLinkSerializer(_OrderedLinkSerializer):
    kind = _choice(m.AnatomyKind, "Kind of structure.")


class ExerciseTargetLinkSerializer(_OrderedLinkSerializer):
    role = _choice(m.TargetRole, "Primary target or also worked.")
    kind = _choice(m.AnatomyKind, "Kind of structure.")


class ExerciseVariationLinkSerializer(_ExerciseAttributesSerializer):
    """A harder (progression) or easier (regression) variation."""


# --- Items -------------------------------------------------------------------------------------


class _ContentListSerializer(serializers.Serializer):
    slug = _slug()
    name = serializers.CharField()
    url = _url()
    summary = serializers.CharField(help_text="One or two plain sentences.")


class _ReviewSerializer(serializers.Serializer):
    reviewed_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When it was last reviewed; `reviewer_role` says whether that review was "
        "clinical. Null if it has not been reviewed.",
    )
    review_due = serializers.DateField(
        allow_null=True,
        help_text="When the next review is due.",
    )
    reviewed_by = serializers.CharField(
        allow_null=True,
        help_text="Who reviewed it: a person's name or a named editorial role (e.g. 'KneeCare "
        "editorial team'); null if not reviewed.",
    )
    reviewer_role = serializers.ChoiceField(
        choices=m.ReviewerRole.choices,
        allow_null=True,
        help_text="`clinical` (a health professional reviewed it) or `editorial` (checked "
        "against the cited sources, not a clinical review); null if not reviewed. Only "
        "`clinical` may be presented as clinically reviewed.",
    )
    review_status = _choice(
        m.ReviewStatus,
        "Computed on each request from `reviewed_at` and `review_due`: `current`, `due_soon` "
        "(due within 30 days), `overdue`, or `not_reviewed`. Apps that store items recompute "
        "it from `review_due`.",
    )
    updated_at = serializers.DateTimeField(help_text="Last change.")


class _DetailSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True, help_text="Markdown.")
    revision = serializers.IntegerField(min_value=0, help_text="Bumped on every change.")
    published_at = serializers.DateTimeField(
        allow_null=True, help_text="When it was first published."
    )
    sources = SourceReferenceSerializer(many=True, help_text="Sources it cites.")
    disclaimer = DisclaimerReferenceSerializer(
        allow_null=True,
        help_text="The disclaimer to show with this item (null only if none is published).",
    )


class AnatomyListSerializer(_ContentListSerializer, _ReviewSerializer):
    kind = _choice(m.AnatomyKind, "Kind of structure.")
    latin_name = serializers.CharField(allow_blank=True)
    parent = AnatomyReferenceSerializer(
        allow_null=True, help_text="The group it belongs to, e.g. the hamstrings."
    )


class AnatomyDetailSerializer(AnatomyListSerializer, _DetailSerializer):
    children = AnatomyChildLinkSerializer(many=True, help_text="Its members.")
    causes = StructureCauseLinkSerializer(many=True, help_text="Causes involving it.")
    exercises = StructureExerciseLinkSerializer(many=True, help_text="Exercises that target it.")
    treatments = StructureTreatmentLinkSerializer(
        many=True, help_text="Self-care measures aimed at it."
    )
    media = media_field()


class CauseListSerializer(_ContentListSerializer, _ReviewSerializer):
    prevalence = _choice(m.Prevalence, "How common the cause is.")
    onset = _choice(m.Onset, "How it typically starts.")
    self_care = _choice(m.SelfCare, "Whether self-care suits it.")


class CauseDetailSerializer(CauseListSerializer, _DetailSerializer):
    structures = CauseStructureLinkSerializer(many=True, help_text="Structures involved, in order.")
    symptoms = CauseSymptomLinkSerializer(many=True, help_text="Typical symptoms.")
    risk_factors = CauseRiskFactorLinkSerializer(many=True, help_text="Risk factors.")
    red_flags = CauseRedFlagLinkSerializer(many=True, help_text="Warning signs, most urgent first.")
    exercises = CauseExerciseLinkSerializer(
        many=True, help_text="Exercises (recommended or to avoid) in order."
    )
    treatments = CauseTreatmentLinkSerializer(many=True, help_text="Self-care measures.")


class SymptomListSerializer(_ContentListSerializer, _ReviewSerializer):
    pass


class SymptomDetailSerializer(SymptomListSerializer, _DetailSerializer):
    red_flags = SymptomRedFlagLinkSerializer(
        many=True,
        help_text="Warning signs to show with this symptom, most urgent first.",
    )
    causes = CauseLinkSerializer(many=True, help_text="Causes with this symptom.")


class RiskFactorListSerializer(_ContentListSerializer, _ReviewSerializer):
    category = _choice(m.RiskFactorCategory, "Category.")
    modifiable = serializers.BooleanField(help_text="Can the person change it themselves?")


class RiskFactorDetailSerializer(RiskFactorListSerializer, _DetailSerializer):
    causes = CauseLinkSerializer(many=True, help_text="Causes it raises the risk of.")


class RedFlagListSerializer(_ContentListSerializer, _ReviewSerializer):
    urgency = _choice(m.Urgency, "emergency > urgent > soon > routine.")
    action = serializers.CharField(help_text="What the reader should do.")


class RedFlagDetailSerializer(RedFlagListSerializer, _DetailSerializer):
    causes = CauseLinkSerializer(many=True, help_text="Causes it may signal.")
    symptoms = RedFlagSymptomLinkSerializer(
        many=True,
        help_text="Symptoms that show this red flag.",
    )


class ExerciseListSerializer(_ContentListSerializer, _ReviewSerializer):
    category = _choice(m.ExerciseCategory, "Kind of exercise.")
    difficulty = _choice(m.Difficulty, "Difficulty level.")
    equipment = _choice(m.Equipment, "Equipment needed.")
    dosage = DosageSerializer()


class ExerciseDetailSerializer(ExerciseListSerializer, _DetailSerializer):
    stop_rule = serializers.CharField(
        allow_blank=True,
        help_text="When to stop (e.g. if it makes the pain worse); show it with the steps.",
    )
    cautions = serializers.ListField(
        child=serializers.CharField(),
        help_text="Safety cautions to show with the exercise (e.g. a depth limit).",
    )
    prevention_only = serializers.BooleanField(
        help_text="The sources give it only to prevent injury, never as a treatment.",
    )
    steps = ExerciseStepSerializer(many=True, help_text="How to do it, in order.")
    targets = ExerciseTargetLinkSerializer(many=True, help_text="Structures it works.")
    progressions = ExerciseVariationLinkSerializer(
        many=True, help_text="Harder variations to progress to."
    )
    regressions = ExerciseVariationLinkSerializer(
        many=True, help_text="Easier variations to fall back to."
    )
    causes = ExerciseCauseLinkSerializer(
        many=True, help_text="Causes it is recommended for (or to avoid with)."
    )
    media = media_field()


class TreatmentListSerializer(_ContentListSerializer, _ReviewSerializer):
    kind = _choice(m.TreatmentKind, "Kind of self-care measure.")


class TreatmentDetailSerializer(TreatmentListSerializer, _DetailSerializer):
    structures = TreatmentStructureLinkSerializer(
        many=True,
        help_text="Structures it is aimed at.",
    )
    causes = TreatmentCauseLinkSerializer(
        many=True,
        help_text="Causes it is recommended for (or to avoid with).",
    )
    media = media_field()


class SourceListSerializer(serializers.Serializer):
    slug = _slug()
    name = serializers.CharField(help_text="Same as `title`.")
    url = _url()
    title = serializers.CharField()
    author = serializers.CharField(allow_blank=True)
    publisher = serializers.CharField(allow_blank=True)
    published_on = serializers.DateField(allow_null=True)
    link = serializers.CharField(
        allow_blank=True, help_text="Web address of the source itself (may be empty)."
    )
    attribution = serializers.CharField(
        help_text="How to credit it when showing content written from it (title, author, "
        "publisher, year and address, as known)."
    )
    updated_at = serializers.DateTimeField()


class SourceDetailSerializer(SourceListSerializer):
    accessed_on = serializers.DateField(allow_null=True)
    note = serializers.CharField(allow_blank=True, help_text="How it was used.")
    revision = serializers.IntegerField(min_value=0)
    published_at = serializers.DateTimeField(allow_null=True)


class DisclaimerListSerializer(serializers.Serializer):
    slug = _slug()
    name = serializers.CharField()
    url = _url()
    summary = serializers.CharField(
        help_text="The short form to show next to any item.",
    )
    updated_at = serializers.DateTimeField()


class DisclaimerDetailSerializer(DisclaimerListSerializer):
    """The disclaimer: general information, not a diagnosis or a substitute for a professional."""

    body = serializers.CharField(help_text="The full text (Markdown).")
    revision = serializers.IntegerField(
        min_value=0,
        help_text="Bumped on every change.",
    )
    published_at = serializers.DateTimeField(allow_null=True)


# --- Envelopes ---------------------------------------------------------------------------------


class _PageSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0, help_text="Items on all pages.")
    next = serializers.CharField(
        allow_null=True,
        help_text="Path and query of the next page, relative to the API host; null on the last.",
    )
    previous = serializers.CharField(
        allow_null=True,
        help_text="Path and query of the previous page, relative to the API host; null on the "
        "first.",
    )


def _page(name, item_serializer):
    # many=False: drf-spectacular would otherwise wrap a list action's response in an array.
    return extend_schema_serializer(many=False)(
        type(
            name,
            (_PageSerializer,),
            {
                "results": item_serializer(many=True),
                "__module__": __name__,
                "__doc__": f"One page of {item_serializer.__name__.removesuffix('Serializer')}s.",
            },
        )
    )


AnatomyPageSerializer = _page("AnatomyPageSerializer", AnatomyListSerializer)
CausePageSerializer = _page("CausePageSerializer", CauseListSerializer)
SymptomPageSerializer = _page("SymptomPageSerializer", SymptomListSerializer)
RiskFactorPageSerializer = _page("RiskFactorPageSerializer", RiskFactorListSerializer)
RedFlagPageSerializer = _page("RedFlagPageSerializer", RedFlagListSerializer)
ExercisePageSerializer = _page("ExercisePageSerializer", ExerciseListSerializer)
TreatmentPageSerializer = _page("TreatmentPageSerializer", TreatmentListSerializer)
SourcePageSerializer = _page("SourcePageSerializer", SourceListSerializer)
DisclaimerPageSerializer = _page("DisclaimerPageSerializer", DisclaimerListSerializer)

SERIALIZERS = {
    "anatomy": (AnatomyListSerializer, AnatomyDetailSerializer, AnatomyPageSerializer),
    "causes": (CauseListSerializer, CauseDetailSerializer, CausePageSerializer),
    "symptoms": (SymptomListSerializer, SymptomDetailSerializer, SymptomPageSerializer),
    "risk-factors": (
        RiskFactorListSerializer,
        RiskFactorDetailSerializer,
        RiskFactorPageSerializer,
    ),
    "red-flags": (RedFlagListSerializer, RedFlagDetailSerializer, RedFlagPageSerializer),
    "exercises": (ExerciseListSerializer, ExerciseDetailSerializer, ExercisePageSerializer),
    "treatments": (TreatmentListSerializer, TreatmentDetailSerializer, TreatmentPageSerializer),
    "sources": (SourceListSerializer, SourceDetailSerializer, SourcePageSerializer),
    "disclaimers": (
        DisclaimerListSerializer,
        DisclaimerDetailSerializer,
        DisclaimerPageSerializer,
    ),
}


# `item` (present only with ?expand=) makes the graph cyclic; attach it once all classes exist.
# Which reference embeds which detail is derived: each detail serializer's reference field for
# a link key (representations.expand_targets, whose keys come from the relation registry) embeds
# the detail serializer of the link's target. One reference class must always embed one type.
def _embeds() -> dict:
    embeds = {}
    for api_type, (_list, detail, _page) in SERIALIZERS.items():
        for key, target in rep.expand_targets(rep.SPECS[api_type]).items():
            if key not in detail._declared_fields:  # `sources` of sources and disclaimers
                continue
            field = detail._declared_fields[key]
            reference = type(getattr(field, "child", field))
            embedded = SERIALIZERS[target.api_type][1]
            if embeds.setdefault(reference, embedded) is not embedded:
                raise TypeError(f"{reference.__name__} would embed two types")
    return embeds


_EMBEDS = _embeds()
for _link, _detail in _EMBEDS.items():
    _link._declared_fields["item"] = _detail(
        required=False,
        help_text="The related item in full; present only when this relation is expanded.",
    )


def _in_served_order(serializer_class, keys: tuple) -> None:
    """Declare the fields in the order the representation emits them (one declaration of the
    order: representations.LIST_FIELDS / DETAIL_FIELDS); the names must be the same."""
    declared = serializer_class._declared_fields
    if set(declared) != set(keys):
        raise AssertionError(f"{serializer_class.__name__}: {set(declared) ^ set(keys)}")
    serializer_class._declared_fields = {key: declared[key] for key in keys}


for _api_type, (_list, _detail, _page_serializer) in SERIALIZERS.items():
    _in_served_order(_list, rep.LIST_FIELDS[_api_type])
    _in_served_order(_detail, rep.DETAIL_FIELDS[_api_type])
    for _link_spec in rep.SPECS[_api_type].links:
        _reference = type(_detail._declared_fields[_link_spec.key].child)
        _in_served_order(_reference, (*_link_spec.keys(), "item"))


# Named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (else the component is "FieldEnum").
HIGHLIGHT_FIELD_CHOICES = [
    (name, name) for name in ("name", "summary", "body", "title", "byline", "note")
]


class SearchHighlightSerializer(serializers.Serializer):
    """The best-matching field of a result and a snippet of it."""

    field = serializers.ChoiceField(
        choices=HIGHLIGHT_FIELD_CHOICES,
        help_text=(
            "The field that matched best: `name`, `summary` or `body`; for sources `title`, "
            "`byline` (author and publisher) or `note`."
        ),
    )
    snippet = serializers.CharField(
        help_text=(
            "HTML-safe excerpt of that field: the text HTML-escaped (`<`, `>`, `&`), matched "
            "words wrapped in `<mark>…</mark>`, fragments joined by ` … `. No other markup."
        )
    )


class SearchResultSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=[(t, t) for t in m.MODELS_BY_API_TYPE],
        help_text="The collection the item belongs to.",
    )
    slug = _slug()
    name = serializers.CharField()
    summary = serializers.CharField(allow_blank=True, help_text="Empty for sources.")
    url = _url()
    rank = serializers.FloatField(
        help_text="Relevance; higher is better. Results are sorted by it."
    )
    highlight = SearchHighlightSerializer(help_text="Where the query matched.")


@extend_schema_serializer(many=False)
class SearchPageSerializer(_PageSerializer):
    """One page of search results, best first."""

    results = SearchResultSerializer(many=True)
    did_you_mean = serializers.CharField(
        allow_null=True,
        help_text=(
            "Null when `q` matched. When nothing matched `q`, the closest spelling found in "
            "the content, and `results` are its results (or null and no results)."
        ),
    )
    count_capped = serializers.BooleanField(
        help_text=(
            f"True when more than {MAX_RESULTS} items matched: `count` is then {MAX_RESULTS} "
            "and only those results can be paged. False: `count` is every match."
        ),
    )


class LicenceSerializer(serializers.Serializer):
    """The licence of the content and how to credit it (settings.CONTENT_LICENCE)."""

    name = serializers.CharField(help_text="The licence, e.g. CC BY 4.0.")
    spdx = serializers.CharField(help_text="Its SPDX identifier.")
    url = serializers.URLField(help_text="The licence text.")
    attribution = serializers.CharField(help_text="What a reuse must credit.")


# Collections by their type id (`risk-factors`, as in URLs, search `type`, sync and bundle).
# Version 1.0 named two of them in snake case; those keys stay, deprecated, for old clients.
ROOT_ALIASES = {"risk_factors": "risk-factors", "red_flags": "red-flags"}
ROOT_LINKS = (
    *m.MODELS_BY_API_TYPE,
    *("search", "sync", "bundle", "changes", "self-check", "schema", "docs", "redoc"),
)


@extend_schema_field({"type": "string", "deprecated": True})
class DeprecatedAliasField(serializers.CharField):
    """A key kept for old clients; the schema marks it deprecated."""


class ApiRootSerializer(serializers.Serializer):
    """Paths of every collection, search, sync and bundle, the schema and its documentation."""


for _name in ROOT_LINKS:
    ApiRootSerializer._declared_fields[_name] = serializers.CharField(
        help_text=f"Path of `{_name}`, relative to the API host."
    )
ApiRootSerializer._declared_fields["licence"] = LicenceSerializer(
    help_text="The content's licence and required attribution."
)
ApiRootSerializer._declared_fields["disclaimer"] = DisclaimerDetailSerializer(
    allow_null=True,
    help_text="The disclaimer the API carries: show it with the content (null only if none "
    "is published).",
)
for _alias, _name in ROOT_ALIASES.items():
    ApiRootSerializer._declared_fields[_alias] = DeprecatedAliasField(
        help_text=f"Deprecated alias of `{_name}` (the v1.0 spelling)."
    )


# --- Problems (RFC 9457) -----------------------------------------------------------------------


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The query parameter (or path segment) at fault.")
    reason = serializers.CharField(help_text="What is wrong with it.")


class ProblemSerializer(serializers.Serializer):
    """An error, as `application/problem+json` (RFC 9457)."""

    type = serializers.CharField(
        help_text="Stable URI naming the kind of problem; compare it, not the title."
    )
    title = serializers.CharField(help_text="Short summary of the kind of problem.")
    status = serializers.IntegerField(min_value=400, max_value=599, help_text="HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong with this request.")
    instance = serializers.CharField(help_text="Path of the request.")


class ValidationProblemSerializer(ProblemSerializer):
    """A 400 problem naming every offending parameter."""

    invalid_params = InvalidParamSerializer(many=True)
