"""Fixtures for the partner tests."""

from tests.api.conftest import graph  # noqa: F401  (a small published content graph)
