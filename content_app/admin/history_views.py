"""The history pages: the version list, a side-by-side compare and the revert page."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse

from content_app.admin.history import (
    compare,
    restored_relations,
    status_label,
    user_label,
    version_fields,
    version_rows,
)


def _urls(model_admin, item):
    info = model_admin.opts.app_label, model_admin.opts.model_name
    return {
        "change_url": reverse("admin:{}_{}_change".format(*info), args=(item.pk,)),
        "history_url": reverse("admin:{}_{}_history".format(*info), args=(item.pk,)),
        "compare_url": reverse("admin:{}_{}_compare".format(*info), args=(item.pk,)),
    }


def add_version_rows(model_admin, context) -> None:
    """Readable rows for simple-history's page of versions (labels, names, compare links)."""
    page = context["page_obj"]
    records = list(page.object_list)
    older = None
    if records:
        older = (
            records[-1]
            .instance_type.history.filter(
                id=records[-1].id, history_date__lt=records[-1].history_date
            )
            .order_by("-history_date")
            .first()
        )
    model = model_admin.model
    context["version_rows"] = version_rows(model, records, older)
    context.update(_urls(model_admin, context["object"]))


def _page(model_admin, request, item, template, title, **extra):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": item,
        "title": title,
        **_urls(model_admin, item),
        **extra,
    }
    return TemplateResponse(request, template, context)


def compare_page(model_admin, request, item):
    history = model_admin.model.history.filter(id=item.pk).select_related("history_user")
    ids = [request.GET.get("older", ""), request.GET.get("newer", "")]
    if all(i.isdigit() for i in ids):
        found = {r.history_id: r for r in history.filter(history_id__in=[int(i) for i in ids])}
        if len(found) != len(set(ids)):
            raise Http404("No such version of this item.")
        a, b = found[int(ids[0])], found[int(ids[1])]
    else:
        latest = list(history.order_by("-history_date")[:2])
        if len(latest) < 2:
            raise Http404("This item has only one version.")
        b, a = latest
    older, newer = sorted((a, b), key=lambda r: r.history_date)
    versions = [
        {"record": r, "status": status_label(getattr(r, "status", "")), "user": user_label(r)}
        for r in (older, newer)
    ]
    return _page(
        model_admin,
        request,
        item,
        "admin/content_app/history_compare.html",
        f"Compare versions: {item}",
        versions=versions,
        diff=compare(model_admin.model, older, newer),
    )


def revert_page(model_admin, request, item, version_id):
    """GET: what reverting to this version would restore, read-only, with one button."""
    version = (
        model_admin.model.history.filter(id=item.pk, history_id=version_id)
        .select_related("history_user")
        .first()
    )
    if version is None:
        raise Http404("No such version of this item.")
    disabled = model_admin.revert_disabled(request, item)
    return _page(
        model_admin,
        request,
        item,
        "admin/content_app/revert_confirm.html",
        f"Revert “{item}” to the version of {version.history_date:%Y-%m-%d %H:%M}",
        version=version,
        version_status=status_label(getattr(version, "status", "")),
        version_user=user_label(version),
        fields=version_fields(model_admin.model, version),
        relations=restored_relations(item, version),
        diff=compare(
            model_admin.model,
            version,
            _current_record(model_admin.model, item),
            labels=("That version (restored)", "Now"),
        ),
        may_revert=not disabled,
        revert_disabled=disabled,
    )


def _current_record(model, item):
    return model.history.filter(id=item.pk).order_by("-history_date").first()
