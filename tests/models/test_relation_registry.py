"""The relation registry (content_app/models/registry.py) is complete, and everything stating a
relation agrees with it: admin inlines, API representations and serializers, filters, roles."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.forms.models import _get_foreign_key

from content_app import models as m
from content_app.api.v1 import representations as rep
from content_app.api.v1 import serializers as ser
from content_app.api.v1.filters import FILTERSETS
from content_app.api.v1.media import MEDIA_OWNERS
from content_app.models.registry import RELATIONS, owned_relations
from content_app.roles import EDITOR, GROUP_PERMISSIONS, PUBLISHER, REVIEWER
from content_app.workflow import ALLOWED_TRANSITIONS, STEPS

BY_MODEL = {t.model: t for t in RELATIONS}


def _is_through_model(model) -> bool:
    """A row that points at a public item without being one (history and M2M tables aside)."""
    if issubclass(model, m.PublicEntity) or model._meta.auto_created:
        return False
    if model.__name__.startswith("Historical"):
        return False
    return any(
        f.many_to_one and issubclass(f.related_model, m.PublicEntity)
        for f in model._meta.concrete_fields
    )


def test_every_through_model_of_the_app_is_in_the_registry_once():
    throughs = {
        model
        for model in apps.get_app_config("content_app").get_models()
        if _is_through_model(model)
    }
    assert throughs == set(BY_MODEL)
    assert len(BY_MODEL) == len(RELATIONS)


@pytest.mark.parametrize("entry", RELATIONS, ids=lambda t: t.model.__name__)
def test_the_foreign_keys_it_names_exist_and_point_at_public_items(entry):
    for fk in (entry.owner, entry.other):
        if fk:
            field = entry.model._meta.get_field(fk)
            assert field.many_to_one and issubclass(field.related_model, m.PublicEntity)


@pytest.mark.parametrize(
    "entry", [t for t in RELATIONS if t.edited_by_editors], ids=lambda t: t.model.__name__
)
def test_editors_edit_it_in_an_inline_of_each_item_it_belongs_to(entry):
    for fk in entry.edited_from:
        parent = entry.model._meta.get_field(fk).related_model
        parent_admin = admin.site._registry[parent]
        fks = [
            _get_foreign_key(parent, inline.model, inline.fk_name).name
            for inline in parent_admin.inlines
            if inline.model is entry.model
        ]
        assert fk in fks, f"{parent.__name__} admin has no inline for {entry.model.__name__}.{fk}"


@pytest.mark.parametrize(
    "entry", [t for t in RELATIONS if t.edited_by_editors], ids=lambda t: t.model.__name__
)
def test_the_roles_may_do_what_the_inline_needs(entry):
    name = entry.model._meta.model_name
    editor = set(GROUP_PERMISSIONS[EDITOR])
    assert {f"{a}_{name}" for a in ("view", "add", "change", "delete")} <= editor
    for group in (REVIEWER, PUBLISHER):
        assert f"view_{name}" in GROUP_PERMISSIONS[group]
        assert f"delete_{name}" not in GROUP_PERMISSIONS[group]


def _links(api_type):
    return {(link.key, link.through, link.owner, link.target) for link in rep.SPECS[api_type].links}


@pytest.mark.parametrize(
    "entry", [t for t in RELATIONS if t.kind == "entity"], ids=lambda t: t.model.__name__
)
def test_the_api_lists_it_on_both_sides_with_an_expandable_reference(entry):
    sides = [
        (entry.owner_model.api_type, entry.owner_link, entry.owner, entry.other),
        (entry.other_model.api_type, entry.other_link, entry.other, entry.owner),
    ]
    for api_type, key, mine, other in sides:
        assert (key, entry.model, mine, other) in _links(api_type), (api_type, key)
        detail = ser.SERIALIZERS[api_type][1]
        reference = type(detail._declared_fields[key].child)
        assert reference in ser._EMBEDS, f"{api_type}.{key}: ?expand= cannot embed it"


@pytest.mark.parametrize(
    "entry", [t for t in RELATIONS if t.kind == "entity"], ids=lambda t: t.model.__name__
)
def test_the_filters_it_names_exist(entry):
    for model, name in (
        (entry.owner_model, entry.owner_filter),
        (entry.other_model, entry.other_filter),
    ):
        if name:
            assert name in FILTERSETS[model.api_type].base_filters, (model.api_type, name)


def test_every_link_the_api_serves_is_a_registered_relation():
    registered = {(t.model, t.owner, t.other) for t in RELATIONS} | {
        (t.model, t.other, t.owner) for t in RELATIONS
    }
    for spec in rep.SPECS.values():
        for link in spec.links:
            if link.through is m.AnatomyStructure:  # children: the parent FK, not a relation
                continue
            assert (link.through, link.owner, link.target) in registered, link.key


def test_media_steps_and_self_check_rows_are_served_where_the_registry_says():
    media = {(t.model, t.owner) for t in RELATIONS if t.kind == "media"}
    assert {(through, owner) for through, owner in MEDIA_OWNERS.values()} == media
    for t in RELATIONS:
        if t.kind == "steps":
            assert rep.SPECS[t.owner_model.api_type].with_steps
        if t.kind == "selfcheck":
            assert t.owner_model in m.SELF_CHECK_MODELS


def test_owned_relations_follow_the_registry():
    assert set(owned_relations(m.Exercise)) == {
        (m.ExerciseTarget, "exercise"),
        (m.ExerciseProgression, "easier"),
        (m.ExerciseProgression, "harder"),
        (m.ExerciseStep, "exercise"),
        (m.ExerciseMedia, "exercise"),
    }
    assert owned_relations(m.RedFlag) == []  # causes and symptoms own their red-flag links


def test_the_workflow_table_is_the_one_source_of_transitions():
    assert {
        m.Status.DRAFT: {m.Status.IN_REVIEW},
        m.Status.IN_REVIEW: {m.Status.DRAFT, m.Status.PUBLISHED},
        m.Status.PUBLISHED: {m.Status.DRAFT, m.Status.ARCHIVED},
        m.Status.ARCHIVED: {m.Status.DRAFT},
    } == ALLOWED_TRANSITIONS
    for step in STEPS.values():
        assert callable(step.func), step.name
