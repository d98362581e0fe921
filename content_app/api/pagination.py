"""Page-number pagination with a hard cap, strict parameters and relative page links.

Malformed `page`/`page_size` are a 400 naming the parameter; a page past the end is a 404.
Links are relative (like every `url` in the API) so cached pages do not depend on the Host.
"""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Page:
    number: int
    items: list
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self, page_size: int) -> bool:
        return (self.number - 1) * page_size + len(self.items) < self.count


def paginate(request, rows) -> tuple[Page, int]:
    """(page, page_size) for `rows` (a queryset or list); raises 400/404 problems.

    A first page shorter than the page size is the whole collection, so it needs no COUNT.
    """
    page_size = positive_int(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    number = positive_int(request, "page", 1)
    offset = (number - 1) * page_size
    items = list(rows[offset : offset + page_size])
    if number == 1 and len(items) < page_size:
        count = len(items)
    else:
        count = len(rows) if isinstance(rows, list) else rows.count()
    if not items and number > 1:
        last = max(1, -(-count // page_size))
        raise exceptions.NotFound(f"Page {number} is past the last page ({last}).")
    return Page(number, items, count), page_size


def page_envelope(request, page: Page, page_size: int, results: list) -> dict:
    url = request.get_full_path()
    next_url = (
        replace_query_param(url, "page", page.number + 1) if page.has_next(page_size) else None
    )
    if not page.has_previous:
        previous_url = None
    elif page.number == 2:
        previous_url = remove_query_param(url, "page")
    else:
        previous_url = replace_query_param(url, "page", page.number - 1)
    return {"count": page.count, "next": next_url, "previous": previous_url, "results": results}
