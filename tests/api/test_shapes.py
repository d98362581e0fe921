"""The serializers (the schema's description) and the representations (what is served) agree.

Every response shape is walked beside its schema: each object must carry exactly the declared
properties, in the declared order, all of them required (only `item`, present with `expand`,
and the per-type keys of a sync page may be absent) and closed (`additionalProperties: false`).
A key added to or dropped from a representation, or reordered, fails here.
"""

import orjson
import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

from content_app import models as m
from content_app import notices
from content_app.api.v1 import representations as rep
from tests import factories as f
from tests.media.conftest import (
    media_root,  # noqa: F401  (uploads go to a temporary folder)
    published_asset,
)

pytestmark = pytest.mark.django_db

# Properties a served object may leave out, and why.
MAY_BE_ABSENT = {
    "item": "present only when the relation is named in ?expand=",
}
# Per component: keys of which exactly one is served.
ONE_OF_KEYS = {
    "Vector": {"output", "error"},  # a vector's result, or the refusal of its input
}
SYNC_CONTENT = "SyncContent"  # types without changes are omitted from a sync page


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator(api_version="v1").get_schema(request=None, public=True)


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _component_name(node):
    return node["$ref"].rsplit("/", 1)[1] if "$ref" in node else None


def _allows_null(node) -> bool:
    kind = node.get("type")
    return kind == "null" or (isinstance(kind, list) and "null" in kind)


def walk(schema, node, value, where, seen):
    name = _component_name(node)
    node = _resolve(schema, node)
    if "anyOf" in node:  # OpenAPI 3.1: a nullable reference is a union with {type: 'null'}
        options = [o for o in node["anyOf"] if not _allows_null(o)]
        if value is None:
            assert len(options) < len(node["anyOf"]), f"{where}: null but not nullable"
            return
        assert len(options) == 1, where
        return walk(schema, options[0], value, where, seen)
    if "allOf" in node:
        assert len(node["allOf"]) == 1, where
        return walk(schema, node["allOf"][0], value, where, seen)
    if value is None:
        assert _allows_null(node), f"{where}: null but not nullable"
        return
    if node.get("type") == "array":
        assert isinstance(value, list), where
        for index, item in enumerate(value):
            walk(schema, node["items"], item, f"{where}[{index}]", seen)
        return
    if node.get("type") != "object" or "properties" not in node:
        return
    assert isinstance(value, dict), where
    properties = list(node["properties"])
    assert node.get("additionalProperties") is False, f"{where} ({name}) is not closed"
    optional = set(properties) if name == SYNC_CONTENT else set(MAY_BE_ABSENT) & set(properties)
    if name in ONE_OF_KEYS:
        optional |= ONE_OF_KEYS[name]
        assert len(ONE_OF_KEYS[name] & set(value)) == 1, f"{where} ({name}): not exactly one"
    assert set(node.get("required", [])) == set(properties) - optional, f"{where} ({name})"
    expected = [key for key in properties if key in value or key not in optional]
    assert list(value) == expected, f"{where} ({name}): served keys differ from the schema"
    seen.add(name)
    for key, item in value.items():
        walk(schema, node["properties"][key], item, f"{where}.{key}", seen)


def walk_request(schema, node, value, where, seen):
    """A request body: closed objects, only declared keys (a request may leave keys out)."""
    name = _component_name(node)
    node = _resolve(schema, node)
    if node.get("type") == "array":
        for index, item in enumerate(value):
            walk_request(schema, node["items"], item, f"{where}[{index}]", seen)
    elif node.get("type") == "object" and "properties" in node:
        assert node.get("additionalProperties") is False, f"{where} ({name}) is not closed"
        assert set(value) <= set(node["properties"]), f"{where} ({name}): undeclared keys"
        seen.add(name)
        for key, item in value.items():
            walk_request(schema, node["properties"][key], item, f"{where}.{key}", seen)


def _response_schema(schema, path, status="200", media="application/json", method="get"):
    template = path.split("?")[0]
    for api_type in m.MODELS_BY_API_TYPE:
        prefix = f"/api/v1/{api_type}/"
        if template.startswith(prefix) and template != prefix:
            template = prefix + "{slug}/"
    operation = schema["paths"][template][method]
    return operation["responses"][status]["content"][media]["schema"]


def _illustrate(graph):
    """Media on an exercise, an anatomy structure and a treatment: an image with renditions
    and a video link."""
    image = published_asset(slug="bridge-start")
    video = m.MediaAsset.objects.create(
        slug="bridge-video",
        kind=m.MediaKind.VIDEO,
        title="Glute bridge",
        alt_text="Video of a person doing a slow glute bridge.",
        caption="Glute bridge",
        credit="Example",
        licence=m.MediaLicence.PERMISSION,
        source="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        video_provider=m.VideoProvider.YOUTUBE,
        video_id="dQw4w9WgXcQ",
        status=m.Status.PUBLISHED,
    )
    exercise = m.Exercise.objects.published().get(slug="glute-bridge")
    m.ExerciseMedia.objects.create(exercise=exercise, media=image, role="start", order=0)
    m.ExerciseMedia.objects.create(exercise=exercise, media=video, role="demonstration", order=1)
    structure = m.AnatomyStructure.objects.get(slug="biceps-femoris")
    m.AnatomyMedia.objects.create(structure=structure, media=image)
    m.TreatmentMedia.objects.create(treatment=m.Treatment.objects.get(slug="massage"), media=image)


def _requests(graph):
    notices.record_changes.call()  # the graded change feed
    paths = ["/api/v1/", "/api/v1/search/?q=hamstring", "/api/v1/sync/", "/api/v1/bundle/"]
    paths.append("/api/v1/changes/")
    paths.append("/api/v1/sync/?since=1&limit=3")
    for api_type, model in m.MODELS_BY_API_TYPE.items():
        paths.append(f"/api/v1/{api_type}/")
        for obj in model.objects.published():
            expand = ",".join(rep.EXPANDABLE[api_type])
            paths.append(obj.get_absolute_url())
            if expand:
                paths.append(f"{obj.get_absolute_url()}?expand={expand}")
    return paths


def test_every_served_shape_is_exactly_its_schema(api_client, graph, schema):
    leaving = f.SymptomFactory(slug="leaving", sources=[graph.source])
    leaving.status = m.Status.ARCHIVED  # a tombstone in sync
    leaving.save()
    _illustrate(graph)
    seen = set()
    for path in _requests(graph):
        response = api_client.get(path)
        assert response.status_code == 200, path
        walk(schema, _response_schema(schema, path), response.json(), path, seen)
    # What a webhook POSTs (content_app/notices.py), as its receiver reads it.
    for change in m.ContentChange.objects.all():
        event = orjson.loads(orjson.dumps(notices.event_payload(change)))
        body = schema["webhooks"]["contentChange"]["post"]["requestBody"]
        walk(schema, body["content"]["application/json"]["schema"], event, "webhook", seen)

    described = {
        name
        for name, component in schema["components"]["schemas"].items()
        if component.get("type") == "object" and "properties" in component
    }
    problems = {"Problem", "ValidationProblem", "InvalidParam"}
    media = {"MediaAsset", "MediaLink", "MediaRendition", "MediaVideo"}
    assert media <= seen, "media shapes not walked"
    # Self-check shapes are walked on the launch content's ruleset (the test below).
    selfcheck = {name for name in described if _is_self_check(schema, name)}
    assert described - problems - selfcheck - seen == set(), "shapes no served response walked"


def _is_self_check(schema, name) -> bool:
    reachable = set()

    def follow(node):
        if isinstance(node, dict):
            if "$ref" in node:
                target = node["$ref"].rsplit("/", 1)[1]
                if target not in reachable:
                    reachable.add(target)
                    follow(schema["components"]["schemas"][target])
            for value in node.values():
                follow(value)
        elif isinstance(node, list):
            for value in node:
                follow(value)

    for path, item in schema["paths"].items():
        if path.startswith("/api/v1/self-check/"):
            follow(item)
    return name in reachable


SELF_CHECK_ANSWERS = [
    {"symptoms": ["pain-behind-the-knee"], "answers": []},
    {"symptoms": ["pain-in-the-calf", "swelling-of-the-leg"], "answers": []},
    {"symptoms": ["tight-muscles-behind-the-knee"], "answers": []},
    {"symptoms": ["lump-or-fullness-behind-the-knee"], "answers": []},
    {
        "symptoms": ["pain-in-the-hamstring", "pain-after-a-sudden-increase-in-training"],
        "answers": [],
    },
]


@pytest.mark.launch_content
def test_every_self_check_shape_is_exactly_its_schema(api_client, schema, settings):
    """The ruleset, the vectors (inputs, results, refusals) and real answers, walked key by key
    on the launch content's rules; the vectors' inputs replay as exact request bodies."""
    settings.API_RATE_ANON = None
    call_command("load_launch_content", verbosity=0)
    # No self-care cause of the launch content lists something to avoid; one does here.
    overuse = m.Cause.objects.get(slug="overuse")
    m.CauseTreatment.objects.create(
        cause=overuse,
        treatment=m.Treatment.objects.published().exclude(cause_links__cause=overuse).first(),
        role=m.TreatmentRole.AVOID,
        caution="Not while the pain is fresh.",
    )
    seen = set()
    for path in ("/api/v1/self-check/ruleset/", "/api/v1/self-check/vectors/"):
        response = api_client.get(path)
        assert response.status_code == 200, path
        walk(schema, _response_schema(schema, path), response.json(), path, seen)
    request_schema = schema["paths"]["/api/v1/self-check/"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    vectors = api_client.get("/api/v1/self-check/vectors/").json()["vectors"]
    for payload in [*SELF_CHECK_ANSWERS, *(vector["input"] for vector in vectors)]:
        walk_request(schema, request_schema, payload, f"request {payload}", seen)
        response = api_client.post("/api/v1/self-check/", payload, format="json")
        if response.status_code == 400:  # a vector that is refused on purpose
            walk(
                schema,
                _response_schema(schema, "/api/v1/self-check/", "400", PROBLEM, "post"),
                response.json(),
                f"refused {payload}",
                seen,
            )
            continue
        assert response.status_code == 200, (payload, response.content[:300])
        path = f"answer {payload}"
        walk(
            schema,
            _response_schema(schema, "/api/v1/self-check/", method="post"),
            response.json(),
            path,
            seen,
        )

    selfcheck = {
        name
        for name, component in schema["components"]["schemas"].items()
        if component.get("type") == "object"
        and "properties" in component
        and _is_self_check(schema, name)
    }
    problems = {"Problem", "ValidationProblem", "InvalidParam"}
    assert selfcheck - problems - seen == set(), "self-check shapes not walked"


PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/causes/?page_size=500", "400"),
        ("/api/v1/causes/no-such-cause/", "404"),
    ],
)
def test_problems_are_exactly_their_schema(api_client, graph, schema, path, status):
    response = api_client.get(path)

    assert response.status_code == int(status)
    walk(
        schema,
        _response_schema(schema, path, status, "application/problem+json"),
        response.json(),
        path,
        set(),
    )


def test_every_object_in_the_schema_is_closed(schema):
    open_objects = [
        name
        for name, component in schema["components"]["schemas"].items()
        if component.get("type") == "object"
        and "properties" in component
        and component.get("additionalProperties") is not False
    ]
    assert open_objects == []
