"""The real API plus two gated views, to prove cached responses still pass the gate."""

from django.urls import include, path
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView


class TwoPerMinute(SimpleRateThrottle):
    scope = "test-two"
    rate = "2/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class HasTestKey(BasePermission):
    def has_permission(self, request, view):
        return request.headers.get("X-Test-Key") == "open-sesame"


class ThrottledView(APIView):
    throttle_classes = (TwoPerMinute,)

    def get(self, request):
        return Response({"hello": "throttled"})


class KeyedView(APIView):
    permission_classes = (HasTestKey,)

    def get(self, request):
        return Response({"hello": "keyed"})


urlpatterns = [
    path("api/v1/throttled/", ThrottledView.as_view()),
    path("api/v1/keyed/", KeyedView.as_view()),
    path("api/v1/", include(("content_app.api.v1.urls", "v1"), namespace="v1")),
]
