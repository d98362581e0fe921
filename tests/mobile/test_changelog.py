"""Change-log recording: what is written for each kind of change, and what never is."""

from django.core.management import call_command

from content_app import models as m
from content_app.changelog import content_version, current_head
from tests import factories as f
from tests.mobile.conftest import log_tail

UPSERT, REMOVE = m.ChangeAction.UPSERT, m.ChangeAction.REMOVE


def test_draft_creation_and_edits_leave_no_trace(db):
    cause = f.CauseFactory(status=m.Status.DRAFT, sources=[])
    cause.name = "Renamed draft"
    cause.save()
    exercise = f.ExerciseFactory(status=m.Status.DRAFT, sources=[])
    f.CauseExerciseFactory(cause=cause, exercise=exercise)
    cause.delete()
    assert log_tail() == []


def test_publish_records_an_upsert(db):
    cause = f.CauseFactory(status=m.Status.DRAFT, sources=[])
    cause.status = m.Status.PUBLISHED
    cause.save()
    assert log_tail() == [("causes", cause.slug, UPSERT)]


def test_unpublish_and_archive_record_a_removal(db):
    cause = f.CauseFactory(sources=[])
    other = f.SymptomFactory(sources=[])
    head = current_head()
    cause.status = m.Status.DRAFT
    cause.save()
    other.status = m.Status.ARCHIVED
    other.save()
    assert log_tail(head) == [("causes", cause.slug, REMOVE), ("symptoms", other.slug, REMOVE)]


def test_slug_change_removes_the_old_slug_and_upserts_the_new(db):
    symptom = f.SymptomFactory(slug="old-slug", sources=[])
    head = current_head()
    symptom.slug = "new-slug"
    symptom.save()
    assert log_tail(head) == [("symptoms", "old-slug", REMOVE), ("symptoms", "new-slug", UPSERT)]


def test_delete_of_published_item_records_removal(db):
    symptom = f.SymptomFactory(sources=[])
    head = current_head()
    symptom.delete()
    assert log_tail(head) == [("symptoms", symptom.slug, REMOVE)]


def test_renaming_an_exercise_upserts_the_published_causes_embedding_it(db):
    link = f.CauseExerciseFactory()
    draft_cause = f.CauseFactory(status=m.Status.DRAFT, sources=[])
    f.CauseExerciseFactory(cause=draft_cause, exercise=link.exercise)
    head = current_head()
    link.exercise.name = "Renamed"
    link.exercise.save()
    assert set(log_tail(head)) == {
        ("exercises", link.exercise.slug, UPSERT),
        ("causes", link.cause.slug, UPSERT),
    }


def test_body_edit_does_not_fan_out_to_neighbours(db):
    link = f.CauseExerciseFactory()
    head = current_head()
    link.exercise.body = "New body."
    link.exercise.save()
    assert log_tail(head) == [("exercises", link.exercise.slug, UPSERT)]


def test_relation_rows_upsert_both_published_ends(db):
    cause = f.CauseFactory(sources=[])
    structure = f.AnatomyStructureFactory(sources=[])
    draft = f.SymptomFactory(status=m.Status.DRAFT, sources=[])
    head = current_head()
    link = m.CauseStructure.objects.create(cause=cause, structure=structure)
    m.CauseSymptom.objects.create(cause=cause, symptom=draft)
    link.note = "edited"
    link.save()
    link.delete()
    tail = log_tail(head)
    assert set(tail) == {("causes", cause.slug, UPSERT), ("anatomy", structure.slug, UPSERT)}
    assert ("symptoms", draft.slug, UPSERT) not in tail
    assert len(tail) == 7  # two ends per link write, plus the cause for the draft link


def test_sources_m2m_changes_upsert_the_citing_item(db):
    cause = f.CauseFactory(sources=[])
    source = f.SourceFactory()
    head = current_head()
    cause.sources.add(source)
    cause.sources.clear()
    assert log_tail(head) == [("causes", cause.slug, UPSERT), ("causes", cause.slug, UPSERT)]


def test_renaming_a_source_upserts_the_items_citing_it(db):
    source = f.SourceFactory()
    cause = f.CauseFactory(sources=[source])
    draft = f.SymptomFactory(status=m.Status.DRAFT, sources=[source])
    head = current_head()
    source.title = "Renamed source"
    source.save()
    assert log_tail(head) == [("sources", source.slug, UPSERT), ("causes", cause.slug, UPSERT)]
    assert draft.slug not in {slug for _, slug, _ in log_tail()}


def test_moving_a_structure_upserts_its_old_and_new_parent(db):
    old_parent = f.AnatomyStructureFactory(sources=[])
    new_parent = f.AnatomyStructureFactory(sources=[])
    child = f.AnatomyStructureFactory(parent=old_parent, sources=[])
    head = current_head()
    child.parent = new_parent
    child.save()
    assert set(log_tail(head)) == {
        ("anatomy", child.slug, UPSERT),
        ("anatomy", old_parent.slug, UPSERT),
        ("anatomy", new_parent.slug, UPSERT),
    }


def test_exercise_steps_upsert_their_exercise(db):
    exercise = f.ExerciseFactory(sources=[])
    head = current_head()
    f.ExerciseStepFactory(exercise=exercise)
    assert log_tail(head) == [("exercises", exercise.slug, UPSERT)]


def test_content_version_is_the_log_head_and_follows_changes(db):
    assert content_version().head == 0
    symptom = f.SymptomFactory(sources=[])
    assert content_version().head == current_head() > 0
    symptom.delete()
    assert content_version().head == current_head()


def test_loaddata_leaves_an_upsert_for_every_published_item(db, tmp_path):
    cause = f.CauseExerciseFactory().cause
    path = tmp_path / "dump.json"
    call_command("dumpdata", "content_app", output=str(path), verbosity=0)
    m.ChangeLogEntry.objects.all().delete()
    call_command("loaddata", str(path), verbosity=0)
    keys = {(t, s) for t, s, a in log_tail() if a == UPSERT}
    assert ("causes", cause.slug) in keys
    published = {
        (model.api_type, slug)
        for model in m.CONTENT_MODELS
        for slug in model.objects.published().values_list("slug", flat=True)
    }
    assert published <= keys
