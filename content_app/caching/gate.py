"""The gate: a cached response still passes the view's authentication, permissions and
throttles. Views that apply none skip the step, so their hits cost no database query."""

from __future__ import annotations

from django.conf import settings
from django.urls import Resolver404, get_urlconf, resolve
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

_open_views: dict[type, bool] = {}
_key_only_views: dict[type, bool] = {}
_resolved: dict[tuple, object] = {}
# Where a request carries an API key; without them API-key authentication is anonymous.
_KEY_HEADERS = ("HTTP_AUTHORIZATION", "HTTP_X_API_KEY")


def _is_open(view_class) -> bool:
    """True when the view applies no authentication, permission or throttle at all."""
    known = _open_views.get(view_class)
    if known is None:
        known = _open_views[view_class] = (
            not view_class.authentication_classes
            and not view_class.throttle_classes
            and all(p is AllowAny for p in view_class.permission_classes)
        )
    return known


def _key_only(view_class) -> bool:
    """True when the view authenticates by API key only and lets anyone read (AllowAny)."""
    known = _key_only_views.get(view_class)
    if known is None:
        from content_app.api.authentication import ApiKeyAuthentication

        known = _key_only_views[view_class] = all(
            a is ApiKeyAuthentication for a in view_class.authentication_classes
        ) and all(p is AllowAny for p in view_class.permission_classes)
    return known


class _AnonymousRequest:
    """What the throttles read of an anonymous request: DRF's Request proxies every attribute
    through `__getattr__`, which cost more than the rest of a cached hit."""

    auth = None

    def __init__(self, request):
        self._request = request
        self.META = request.META
        self.method = request.method

    @property
    def headers(self):
        return self._request.headers


def resolve_cached(request):
    """`resolve()` memoised per (urlconf, path); None when nothing matches."""
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    key = (urlconf, request.path_info)
    match = _resolved.get(key)
    if match is None:
        try:
            match = resolve(request.path_info, urlconf)
        except Resolver404:
            return None
        if len(_resolved) > 4096:
            _resolved.clear()
        _resolved[key] = match
    return match


def gate_allows(request, match) -> bool:
    """Authentication, permissions and throttles of the resolved DRF view.

    Everything else a view checks depends only on what the cache key holds (path, query,
    Accept), and the stored entry proves it passed. False lets the view answer instead.
    """
    view_class = getattr(match.func, "cls", None)
    if view_class is None:
        return False
    if _is_open(view_class):
        return True
    if _key_only(view_class) and not any(request.META.get(h) for h in _KEY_HEADERS):
        # Anonymous for certain (no key, nothing else authenticates, anyone may read): only
        # the throttles remain, and they read the address, never the user.
        anonymous = _AnonymousRequest(request)
        return all(
            throttle().allow_request(anonymous, None) for throttle in view_class.throttle_classes
        )
    view = view_class(**getattr(match.func, "initkwargs", {}))
    actions = getattr(match.func, "actions", None)
    if actions:
        view.action_map = actions
        view.action = actions.get(request.method.lower()) or actions.get("get")
    view.args, view.kwargs = match.args, match.kwargs
    drf_request = Request(request, authenticators=view.get_authenticators())
    view.request = drf_request
    try:
        view.perform_authentication(drf_request)
        view.check_permissions(drf_request)
        view.check_throttles(drf_request)
    except APIException:
        return False
    return True


def clear() -> None:
    _open_views.clear()
    _key_only_views.clear()
    _resolved.clear()
