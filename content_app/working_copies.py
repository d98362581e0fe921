"""Working copies: a published item's next version, written and reviewed while the live one
keeps being served.

Storage: a "shadow row". The working copy is a real row of the same model, with
`working_copy_of` (a nullable one-to-one to the live row), a derived slug (`<slug>--next-<pk>`,
so slug uniqueness and every lookup by public slug stay as they are) and status draft or in
review (a CheckConstraint: never published, never archived). It was chosen over a revision
table of serialized content (Wagtail's way) because everything already written for rows
applies unchanged to the next version: the admin form and its inlines, model validation, the
database constraints (dosage ranges, unique pairs, review record), publish validation
(services.publish_problems, safety.py read the copy's own relations) and the drafts-never-leak
filtering: the API only ever reads `published()`, which excludes copies in one place
(querysets.py). A serialized revision would need its own form, its own validation and its own
relation diffing, and would be checked by none of the constraints.

Life of a copy:
- `start_working_copy` (Editor: "Edit next version") copies the live row's fields, sources
  and owned relation rows (models/registry.py) into a draft copy; the change log records
  nothing (a copy is never public). Calling it again continues the existing copy.
- The copy goes through submit → review → publish exactly like a draft (the same services).
- `publish_working_copy` (called by services.publish) checks that the live row's content is
  still that of the revision the copy was taken from (a new review of the live row alone is no
  conflict; anything else is, and nothing changes), then in one transaction
  copies the fields and sources onto the live row, replaces the live row's owned relations by
  the copy's (unchanged rows are kept, so their history stays quiet), saves the live row once
  (revision bumped, history "Published version N") and deletes the copy. The change log gets
  upserts only, one per item (changelog.one_entry_per_item), never a removal.
- `discard_working_copy` deletes it; unpublish and archive act on the live row only (a copy
  left behind can no longer be published: its base revision is gone).
- A revert of a published item prepares the copy with the old content (services.revert_to_version).

Media assets work the same way: their rendition rows (models/registry.py, kind "file") are
owned rows. The copy starts with rows naming the live asset's files (content-addressed names:
sharing a file is sharing bytes that never change); a new upload on the copy replaces the
copy's rows only (content_app.media.save_renditions). Its new files are in storage from the
upload on, but nothing in the API names them before publish: every read of media goes through
`published()` or `media__status=published`, and a copy is never published (a constraint).
Publishing moves the copy's rows onto the live asset in the same transaction as its fields, so
the API switches from the old files to the new ones at once. The old files stay in storage
(content_app.media.prepare_image: files are never deleted, an app may still be downloading
them; their names are in the rendition history, which a revert restores).
"""

from django.db import transaction

from content_app import changelog, services
from content_app.models import ContentEntity, PublicEntity, Status, owned_relations

# Fields that are the row's identity or workflow bookkeeping, never copied between versions.
NOT_COPIED = services.BOOKKEEPING_FIELDS


def copy_slug(live) -> str:
    return f"{live.slug[:100]}--next-{live.pk}"


def content_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in NOT_COPIED and not f.generated]


def _row_values(row, fk) -> dict:
    """A relation row's values without its id and without the FK to the item it belongs to."""
    return {
        f.attname: getattr(row, f.attname)
        for f in row._meta.concrete_fields
        if not f.primary_key and f.name != fk
    }


def start_working_copy(*, item, user, expected_revision=None) -> services.Outcome:
    """Editor: open (or continue) the next version of a published item."""
    services._require(user, "change", item)
    with transaction.atomic():
        live = services._locked_copy(item, expected_revision)
        existing = type(live).objects.filter(working_copy_of=live).first()
        if existing is not None:
            return services.Outcome(existing, f"You are continuing the next version of “{live}”.")
        if live.is_working_copy or live.status != Status.PUBLISHED:
            raise services.WorkflowError(
                [f"“{live}” is not a published item: edit it directly, it needs no working copy."]
            )
        copy = type(live)(
            slug=copy_slug(live),
            status=Status.DRAFT,
            working_copy_of=live,
            based_on_revision=live.revision,
            **{f.attname: getattr(live, f.attname) for f in content_fields(type(live))},
        )
        if isinstance(copy, services.REVIEWED):  # the live review covers the live text only
            copy.reviewed_at, copy.reviewed_by = None, None
            copy.reviewer_name = copy.reviewer_role = ""
        with changelog.one_entry_per_item(keep=False):  # nothing public changes
            copy._history_user = user
            copy._change_reason = f"Next version started from revision {live.revision}"
            copy.save()
            if isinstance(live, ContentEntity):
                copy.sources.set(live.sources.all())
            for through, fk in owned_relations(type(live)):
                for row in through.objects.filter(**{f"{fk}_id": live.pk}):
                    new = through(**_row_values(row, fk), **{f"{fk}_id": copy.pk})
                    new._history_user = user
                    new.save()
    return services.Outcome(
        copy,
        f"You are editing the next version of “{live}”. The API keeps serving the published "
        "version until this one is reviewed and published.",
    )


def discard_working_copy(*, item, user, expected_revision=None) -> services.Outcome:
    """Editor: throw the next version away; the live item stays as it is."""
    services._require(user, "change", item)
    with transaction.atomic():
        copy = services._locked_copy(item, expected_revision)
        if not copy.is_working_copy:
            raise services.WorkflowError([f"“{copy}” is not a working copy."])
        live = type(copy).objects.get(pk=copy.working_copy_of_id)
        copy._history_user = user
        copy.delete()
    return services.Outcome(live, f"The next version of “{live}” was discarded.")


def working_copy_problems(copy) -> list[str]:
    """What would stop the copy from replacing its live item (on top of publish validation)."""
    problems = []
    for through, fk in owned_relations(type(copy)):
        others = [
            f.attname
            for f in through._meta.concrete_fields
            if f.is_relation and f.name != fk and f.related_model is type(copy)
        ]
        for attname in others:
            if through.objects.filter(
                **{f"{fk}_id": copy.pk, attname: copy.working_copy_of_id}
            ).exists():
                problems.append(
                    f"A {through._meta.verbose_name} links the item to itself: remove that row."
                )
    return problems


def _published_version_number(live) -> int:
    """Version 1 is the content as first published; each working copy published adds one."""
    return live.history.filter(history_change_reason__startswith="Published version ").count() + 2


def publish_working_copy(*, copy, user) -> services.Outcome:
    """Replace the live item by its reviewed working copy (inside services.publish's transaction,
    `copy` locked and validated)."""
    model = type(copy)
    live = model.objects.select_for_update().get(pk=copy.working_copy_of_id)
    if live.status != Status.PUBLISHED:
        raise services.WorkflowError(
            [
                f"“{live}” was {Status(live.status).label.lower()} after this next version was "
                "started: discard this copy (the item itself is editable again)."
            ]
        )
    changed = _changed_since_copied(live, copy)
    if changed:
        raise services.WorkflowError(
            [
                f"The published “{live}” changed since this next version was started (it was "
                f"revision {copy.based_on_revision}, it is now {live.revision}; changed: "
                f"{', '.join(changed)}): nothing was published. Compare with its history, "
                "discard this copy and start again."
            ]
        )
    fields = content_fields(model)
    with changelog.one_entry_per_item():
        if isinstance(live, ContentEntity):
            live.skip_history_when_saving = True  # the version's own record below has them
            try:
                live.sources.set(copy.sources.all())
            finally:
                del live.skip_history_when_saving
        for field in fields:
            setattr(live, field.attname, getattr(copy, field.attname))
        version = _published_version_number(live)
        services._save(
            live,
            user=user,
            reason=f"Published version {version}",
            fields=[f.name for f in fields],
        )
        # The rows move after the save, as the admin saves inlines after their item: the
        # relations of a version are those in place until the next version's record
        # (services.relations_as_of), so history and revert see the old rows up to here.
        for through, fk in owned_relations(model):
            _move_rows(through, fk, copy=copy, live=live, user=user)
        copy._history_user = user
        copy.delete()
    return services.Outcome(
        live, f"Version {version} of “{live}” was published: it replaces the previous one."
    )


# A new review of the live item (its annual re-review) does not conflict with its next version.
_REVIEW_FIELDS = frozenset({*services.REVIEW_FIELDS, "review_due"})


def _changed_since_copied(live, copy) -> list[str]:
    """The live item's content fields that differ from the revision the copy was taken from."""
    if live.revision == copy.based_on_revision:
        return []
    base = live.history.filter(revision=copy.based_on_revision).order_by("-history_date").first()
    if base is None:
        return ["revision"]
    changed = [
        field.verbose_name
        for field in content_fields(type(live))
        if field.name not in _REVIEW_FIELDS
        and getattr(base, field.attname) != getattr(live, field.attname)
    ]
    if isinstance(live, ContentEntity):
        then = set(base.sources.values_list("source_id", flat=True))
        if then != set(live.sources.values_list("pk", flat=True)):
            changed.append("sources")
    return changed


def _move_rows(through, fk, *, copy, live, user) -> None:
    """Make the live item's rows equal to the copy's: keep identical rows, drop the rest, move
    the copy's other rows over (so unique pairs and step orders never collide on the way)."""
    wanted = list(through.objects.filter(**{f"{fk}_id": copy.pk}))
    unmatched = {id(row): row for row in wanted}
    for current in through.objects.filter(**{f"{fk}_id": live.pk}):
        values = _row_values(current, fk)
        twin = next((r for r in unmatched.values() if _row_values(r, fk) == values), None)
        if twin is not None:
            del unmatched[id(twin)]
            continue
        current._history_user = user
        current.delete()
    for row in unmatched.values():
        setattr(row, f"{fk}_id", live.pk)
        row._history_user = user
        row._change_reason = "Published with a new version"
        row.save()


def prepare_revert(*, live, version, user) -> services.Outcome:
    """A revert of a published item: the old content goes into its working copy, to be
    reviewed and published like any other change."""
    services._require(user, "change", live)
    copy = start_working_copy(item=live, user=user).item
    copy = type(copy).objects.select_for_update().get(pk=copy.pk)
    if copy.status == Status.IN_REVIEW:
        raise services.WorkflowError(
            ["Its next version is in review and frozen: send it back to draft first."]
        )
    notes = services._apply_version_fields(copy, version)
    old_sources = services._version_sources(copy, version)
    stamp = f"{version.history_date:%Y-%m-%d %H:%M:%S}"
    with changelog.one_entry_per_item(keep=False):
        copy._history_user = user
        copy._change_reason = f"Reverted to the version of {stamp} (#{version.history_id})"
        copy.save()
        if old_sources is not None:
            copy.sources.set(old_sources)
        for (through, fk), rows in services.relations_as_of(item=live, version=version).items():
            for current in through.objects.filter(**{f"{fk}_id": copy.pk}):
                current._history_user = user
                current.delete()
            for row in rows:
                values = _row_values(row, fk)
                if services._points_at_deleted(through, values):
                    notes.append(f"A {through._meta.verbose_name} row points at deleted content.")
                    continue
                restored = through(**values, **{f"{fk}_id": copy.pk})
                restored._history_user = user
                restored.save()
    message = (
        f"The next version of “{live}” now holds the content of {stamp}: review and publish it "
        "to make it live (the API keeps serving the current version until then)."
    )
    return services.Outcome(copy, " ".join([message, *notes]))


def live_item(item: PublicEntity) -> PublicEntity:
    """The row the public sees for `item` (itself unless it is a working copy)."""
    return item.working_copy_of if item.is_working_copy else item
