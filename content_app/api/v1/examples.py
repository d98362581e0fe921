"""Response examples for the schema, taken from the launch content.

`examples.json` holds real responses of the API serving the launch fixtures (a test keeps
them equal to what the API answers: `UPDATE_API_EXAMPLES=1 pytest tests/api/test_schema.py`
rewrites the file after a deliberate change).
"""

import json
from functools import cache
from pathlib import Path

from drf_spectacular.utils import OpenApiExample

EXAMPLES_FILE = Path(__file__).with_name("examples.json")

# Real slugs of the launch content: examples of the path parameter, and the example details.
EXAMPLE_SLUGS = {
    "anatomy": "knee-joint",
    "causes": "bakers-cyst",
    "symptoms": "pain-behind-the-knee",
    "risk-factors": "sudden-training-increase",
    "red-flags": "severe-pain",
    "exercises": "squat",
    "treatments": "foam-rolling",
    "sources": "posterior-knee-pain-during-exercise",
    "disclaimers": "general-information",
}


def example_requests() -> dict[str, str]:
    """Example name -> the request whose response is the example."""
    requests = {"root": "/api/v1/", "search": "/api/v1/search/?q=hamstring&page_size=2"}
    for api_type, slug in EXAMPLE_SLUGS.items():
        requests[f"{api_type}-list"] = f"/api/v1/{api_type}/?page_size=2"
        requests[f"{api_type}-detail"] = f"/api/v1/{api_type}/{slug}/"
    return requests


@cache
def _stored() -> dict:
    if not EXAMPLES_FILE.exists():
        return {}
    return json.loads(EXAMPLES_FILE.read_text())


def response_examples(name: str) -> list:
    """The 200 example for one operation (empty until examples.json has it)."""
    value = _stored().get(name)
    if value is None:
        return []
    return [
        OpenApiExample(
            "launch content",
            summary=f"GET {example_requests()[name]}",
            value=value,
            response_only=True,
            status_codes=[200],
        )
    ]
