"""The editorial roles (Editor, Reviewer, Publisher) as groups of model permissions.

`sync_editorial_groups` is called by data migrations (with the historical app registry) and
by tests (which run without migrations); it sets each group's permissions exactly.
"""

from content_app.models.registry import RELATIONS

EDITOR = "Editor"
REVIEWER = "Reviewer"
PUBLISHER = "Publisher"
# Health professionals among the reviewers: only they may record a *clinical* review.
CLINICAL_REVIEWER = "Clinical reviewer"

CONTENT_MODEL_NAMES = (
    "anatomystructure",
    "cause",
    "symptom",
    "riskfactor",
    "redflag",
    "exercise",
    "treatment",
    "source",
    "disclaimer",
    "mediaasset",
    "selfcheckquestion",
    "triagerule",
)
# The rows editors write with an item (its inlines), from the relation registry.
RELATION_MODEL_NAMES = tuple(t.model._meta.model_name for t in RELATIONS if t.edited_by_editors)


def _codenames(actions, model_names):
    return [f"{action}_{name}" for name in model_names for action in actions]


# Nobody but superusers may delete content: unpublish or archive instead.
GROUP_PERMISSIONS = {
    EDITOR: [
        *_codenames(("view", "add", "change"), CONTENT_MODEL_NAMES),
        *_codenames(("view", "add", "change", "delete"), RELATION_MODEL_NAMES),
    ],
    REVIEWER: [
        *_codenames(("view", "review"), CONTENT_MODEL_NAMES),
        *_codenames(("view",), RELATION_MODEL_NAMES),
    ],
    PUBLISHER: [
        *_codenames(("view", "publish"), CONTENT_MODEL_NAMES),
        *_codenames(("view",), RELATION_MODEL_NAMES),
    ],
}
GROUP_PERMISSIONS[CLINICAL_REVIEWER] = GROUP_PERMISSIONS[REVIEWER]


def may_review_clinically(user) -> bool:
    """Membership of the clinical reviewer group, never implied (not even for superusers)."""
    return user.is_authenticated and user.groups.filter(name=CLINICAL_REVIEWER).exists()


def sync_editorial_groups(apps=None, *, app_label="content_app"):
    if apps is None:
        from django.apps import apps
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after the last migration; a data migration needs them now.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # An early migration runs this before later models exist; their migration runs it again.
    present = {model._meta.model_name for model in app_config.get_models()}
    for group_name, all_codenames in GROUP_PERMISSIONS.items():
        codenames = [c for c in all_codenames if c.split("_", 1)[1] in present]
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise LookupError(f"Permissions missing for {group_name}: {sorted(missing)}")
        group.permissions.set(permissions)
