"""The relation registry: every through-model of the app, declared once.

Each entry says which item the rows are edited with (`owner`: its admin inline, the rows a
working copy and a revert carry), which item they point at (`other`), how the API lists them
on both sides (representation keys) and filters by them, and whether editors write them
(the Editor role's permissions). Derived from this: the change log (ENTITY_RELATIONS,
MEDIA_RELATIONS, OWNED_ROWS), the services and working copies (owned relations), the roles,
the history page, the representations' link keys and FKs (representations.relation_link), and
from those the serializers' `?expand=` embeds (serializers._EMBEDS) and a working copy's
inbound links in its admin preview.

Not derived, on purpose; tests/models/test_relation_registry.py ties them to this instead (and
checks that no through-model is missing):
- the link serializers: each is a named OpenAPI component with its own fields and help texts
  (which columns of the row and of the target a side shows), so generating them at runtime
  would make anonymous or renamed components and lose the docs (STYLE.md: serializers are
  module-level); the test checks each key and its embed.
- the FilterSets' relation filters: each has its own help text and a launch-content example
  chosen so Swagger's "Try it out" finds items (tests/api/test_parameter_examples.py); a
  generator would need that table anyway. The test checks every filter named here exists.
- the admin inlines: each has its own columns, labels, autocompletes and place on the page;
  the test checks every relation editors write has an inline on each item it belongs to.
"""

from dataclasses import dataclass

from content_app.models import media as md
from content_app.models import relations as r
from content_app.models import selfcheck as sc


@dataclass(frozen=True)
class Through:
    model: type
    owner: str  # FK to the item the rows are edited with
    other: str = ""  # FK to the item they link to; "" = rows of the owner alone (steps, files)
    owner_link: str = ""  # the owner's representation key listing the rows ("" = not a link list)
    other_link: str = ""  # the other item's representation key listing them back
    owner_filter: str = ""  # filter on the owner's collection: ?<name>=<other's slug>
    other_filter: str = ""  # filter on the other's collection: ?<name>=<owner's slug>
    both_ends: bool = False  # edited from both items (an exercise's progressions/regressions)
    kind: str = "entity"  # entity (two public items) | media | selfcheck | file
    edited_by_editors: bool = True  # rows editors write in the admin (inline, role permissions)

    @property
    def owner_model(self) -> type:
        return self.model._meta.get_field(self.owner).related_model

    @property
    def other_model(self) -> type | None:
        return self.model._meta.get_field(self.other).related_model if self.other else None

    @property
    def edited_from(self) -> tuple[str, ...]:
        """The FKs naming the item whose admin page edits the rows."""
        return (self.owner, self.other) if self.both_ends else (self.owner,)


RELATIONS = (
    Through(r.CauseStructure, "cause", "structure", "structures", "causes", "structure", "cause"),
    Through(r.CauseSymptom, "cause", "symptom", "symptoms", "causes", "symptom", "cause"),
    Through(
        r.CauseRiskFactor, "cause", "risk_factor", "risk_factors", "causes", "risk_factor", "cause"
    ),
    Through(r.CauseRedFlag, "cause", "red_flag", "red_flags", "causes", "red_flag", "cause"),
    Through(r.CauseExercise, "cause", "exercise", "exercises", "causes", "exercise", "cause"),
    Through(r.CauseTreatment, "cause", "treatment", "treatments", "causes", "treatment", "cause"),
    Through(
        r.SymptomRedFlag, "symptom", "red_flag", "red_flags", "symptoms", "red_flag", "symptom"
    ),
    Through(r.ExerciseTarget, "exercise", "structure", "targets", "exercises", "target"),
    Through(
        r.ExerciseProgression, "easier", "harder", "progressions", "regressions", both_ends=True
    ),
    Through(r.TreatmentTarget, "treatment", "structure", "structures", "treatments", "structure"),
    Through(r.ExerciseStep, "exercise", kind="steps"),
    Through(md.ExerciseMedia, "exercise", "media", kind="media"),
    Through(md.AnatomyMedia, "structure", "media", kind="media"),
    Through(md.TreatmentMedia, "treatment", "media", kind="media"),
    Through(md.MediaRendition, "asset", kind="file", edited_by_editors=False),
    Through(sc.SelfCheckOption, "question", "symptom", kind="selfcheck"),
    Through(sc.TriageRuleSymptom, "rule", "symptom", kind="selfcheck"),
)

# Through-models that link two public entities: (model, first FK, second FK).
ENTITY_RELATIONS = tuple((t.model, t.owner, t.other) for t in RELATIONS if t.kind == "entity")
# (through model, the FK to the illustrated item, the FK to the asset).
MEDIA_RELATIONS = tuple((t.model, t.owner, t.other) for t in RELATIONS if t.kind == "media")
# Rows that belong to one entity's representation only: (model, the FK to it).
OWNED_ROWS = tuple((t.model, t.owner) for t in RELATIONS if t.kind in ("steps", "file"))


def owned_relations(model) -> list[tuple[type, str]]:
    """The rows edited together with an item of `model` (its inlines): [(through, FK to it)].

    A working copy carries them, publishing it moves them to the live item, a revert restores
    them.
    """
    return [
        (t.model, fk)
        for t in RELATIONS
        for fk in t.edited_from
        if t.model._meta.get_field(fk).related_model is model
    ]
