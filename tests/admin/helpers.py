"""Build admin change-form POST data from a rendered change page, as a browser would send it."""

from django.urls import reverse


def admin_url(obj_or_model, view="change", *args):
    opts = obj_or_model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
    if view in ("changelist", "add"):
        return reverse(name)
    return reverse(name, args=(obj_or_model.pk, *args))


def change_form_data(response, **overrides) -> dict:
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)
    data.update(overrides)
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
