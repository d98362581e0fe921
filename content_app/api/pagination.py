"""Page-number pagination with a hard cap, strict parameters and relative page links.

Malformed `page`/`page_size` are a 400 naming the parameter; a page past the end is a 404.
Links are relative (like every `url` in the API) so cached pages do not depend on the Host.
"""

from django.core.paginator import EmptyPage, Paginator
from rest_framework import exceptions
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def positive_int(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or raw.strip("0") == "":
        raise exceptions.ValidationError({name: ["Must be a whole number of at least 1."]})
    if len(raw) > 9:  # past any page; also keeps int() away from huge strings
        if maximum is not None:
            raise exceptions.ValidationError({name: [f"Must be at most {maximum}."]})
        raise exceptions.NotFound(f"Page {raw[:12]}… is past the last page.")
    value = int(raw)
    if maximum is not None and value > maximum:
        raise exceptions.ValidationError({name: [f"Must be at most {maximum}."]})
    return value


def paginate(request, rows):
    """(page, count) for `rows` (a queryset or list); raises 400/404 problems."""
    page_size = positive_int(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    number = positive_int(request, "page", 1)
    paginator = Paginator(rows, page_size)
    try:
        page = paginator.page(number)
    except EmptyPage:
        raise exceptions.NotFound(
            f"Page {number} is past the last page ({paginator.num_pages})."
        ) from None
    return page, paginator.count


def page_envelope(request, page, count: int, results: list) -> dict:
    url = request.get_full_path()
    next_url = (
        replace_query_param(url, "page", page.next_page_number()) if page.has_next() else None
    )
    if not page.has_previous():
        previous_url = None
    elif page.previous_page_number() == 1:
        previous_url = remove_query_param(url, "page")
    else:
        previous_url = replace_query_param(url, "page", page.previous_page_number())
    return {"count": count, "next": next_url, "previous": previous_url, "results": results}
