"""The schema's parameter examples work on the launch content, alone and together.

Swagger UI's "Try it out" prefills every parameter that has an example and sends them all at
once: on every list operation that combination must answer 200 with results (not a page past
the end, not an empty intersection), and every single example must find something.
"""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = [pytest.mark.django_db, pytest.mark.launch_content]


def _examples(operation) -> dict:
    prefilled = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] not in ("query", "path"):
            continue
        if "examples" in parameter:
            value = next(iter(parameter["examples"].values()))["value"]
        elif "example" in parameter.get("schema", {}):
            value = parameter["schema"]["example"]
        else:
            continue
        prefilled[(parameter["in"], parameter["name"])] = (
            ",".join(value) if isinstance(value, list) else str(value)
        )
    return prefilled


def _url(path, prefilled, only=None):
    query = {}
    for (where, name), value in prefilled.items():
        if where == "path":
            path = path.replace("{" + name + "}", value)
        elif only is None or name == only:
            query[name] = value
    return path, query


def _operations():
    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        if "get" in item:  # the self-check is a POST of answers, not a filtered list
            yield path, item["get"]


def _found(body) -> bool:
    if "results" in body:
        return body["count"] > 0 and bool(body["results"])
    return bool(body)


def test_prefilled_examples_together_answer_200_with_results(api_client, launch_content):
    for path, operation in _operations():
        prefilled = _examples(operation)
        if not prefilled:
            continue
        url, query = _url(path, prefilled)
        response = api_client.get(url, query)
        assert response.status_code == 200, (url, query, response.content[:300])
        assert _found(response.json()), (url, query)


def test_every_parameter_example_finds_something(api_client, launch_content):
    checked = 0
    for path, operation in _operations():
        prefilled = _examples(operation)
        for where, name in prefilled:
            if where == "path":
                continue
            url, query = _url(path, prefilled, only=name)
            if operation["operationId"] == "search" and name != "q":
                query["q"] = prefilled[("query", "q")]
            response = api_client.get(url, query)
            assert response.status_code == 200, (url, query, response.content[:300])
            assert _found(response.json()), (url, query)
            checked += 1
    assert checked > 40
