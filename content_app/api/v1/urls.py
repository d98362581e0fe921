"""API v1 routes. URL names: `v1:<collection>-list`, `v1:<collection>-detail` (kwarg `slug`)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from content_app.api.v1 import views
from content_app.api.v1.selfcheck import (
    SelfCheckRulesetView,
    SelfCheckVectorsView,
    SelfCheckView,
)
from content_app.api.v1.sync import BundleView, SyncView

router = SimpleRouter(trailing_slash=True)
for viewset in views.CONTENT_VIEWSETS:
    router.register(viewset.model.api_type, viewset, basename=viewset.model.api_type)

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("search/", views.SearchView.as_view(), name="search"),
    # Mobile delivery (content_app/api/v1/sync.py).
    path("sync/", SyncView.as_view(), name="sync"),
    path("bundle/", BundleView.as_view(), name="bundle"),
    # Symptom self-check (content_app/api/v1/selfcheck.py).
    path("self-check/", SelfCheckView.as_view(), name="self-check"),
    path("self-check/ruleset/", SelfCheckRulesetView.as_view(), name="self-check-ruleset"),
    path("self-check/vectors/", SelfCheckVectorsView.as_view(), name="self-check-vectors"),
    path("schema/", views.SchemaView.as_view(api_version="v1"), name="schema"),
    path("docs/", views.SwaggerView.as_view(url_name="v1:schema"), name="docs"),
    path("redoc/", views.RedocView.as_view(url_name="v1:schema"), name="redoc"),
    *router.urls,
]
