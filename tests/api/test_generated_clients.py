"""Partners' generated code against a live server, built from the committed openapi/v1.yaml.

- openapi-python-client generates a client package; `pip wheel` builds it (a PEP 440
  `info.version`), and every operation is called through it: each answers 200 and parses into
  its typed model.
- datamodel-code-generator writes strict pydantic models (closed, strict types, nullable only
  where declared); every real response validates strictly, and wrong types are refused.
"""

import importlib
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from tests.api.test_contract import contract_content

BIN = Path(sys.executable).parent
SCHEMA = Path(settings.BASE_DIR) / "openapi" / "v1.yaml"
PACKAGE = "knee_care_content_api_client"
# A value for every required parameter the generated functions take.
ARGUMENTS = {"slug": None, "q": "knee"}


def _run(*command, cwd):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    _run(
        BIN / "openapi-python-client",
        "generate",
        "--path",
        str(SCHEMA),
        "--output-path",
        "client",
        "--meta",
        "setup",
        cwd=folder,
    )
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        "wheels",
        "./client",
        cwd=folder,
    )
    _run(
        BIN / "datamodel-codegen",
        "--input",
        str(SCHEMA),
        "--input-file-type",
        "openapi",
        "--output",
        "strict_models.py",
        "--output-model-type",
        "pydantic_v2.BaseModel",
        "--strict-nullable",
        "--strict-types",
        "str",
        "int",
        "float",
        "bool",
        "--use-annotated",
        "--field-constraints",
        "--formatters",
        "ruff-format",
        cwd=folder,
    )
    sys.path[:0] = [str(folder / "client"), str(folder)]
    yield folder
    sys.path.remove(str(folder / "client"))
    sys.path.remove(str(folder))
    for name in [n for n in sys.modules if n.startswith((PACKAGE, "strict_models"))]:
        del sys.modules[name]


def test_the_client_builds_as_a_wheel(generated):
    wheels = list((generated / "wheels").glob("*.whl"))

    assert [w.name for w in wheels] == [
        f"{PACKAGE}-{settings.API_CONTRACT_VERSION}-py3-none-any.whl"
    ]


def _operations():
    api = importlib.import_module(f"{PACKAGE}.api")
    for tag in pkgutil.iter_modules(api.__path__):
        tag_module = importlib.import_module(f"{PACKAGE}.api.{tag.name}")
        for operation in pkgutil.iter_modules(tag_module.__path__):
            yield importlib.import_module(f"{PACKAGE}.api.{tag.name}.{operation.name}")


def test_every_operation_answers_through_the_generated_client(
    generated, live_server, transactional_db
):
    contract_content()
    client_module = importlib.import_module(PACKAGE)
    client = client_module.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    examples = yaml.safe_load(SCHEMA.read_text())
    slugs = {
        path.split("/")[3]: _example_slug(examples, path)
        for path in examples["paths"]
        if path.endswith("{slug}/")
    }
    called = []
    for module in _operations():
        kwargs = {"client": client}
        if "slug" in module.sync_detailed.__code__.co_varnames:
            collection = module.__name__.rsplit(".", 1)[1].removesuffix("_head")
            collection = collection.removesuffix("_retrieve")
            kwargs["slug"] = slugs[collection.replace("_", "-")]
        if "q" in module.sync_detailed.__code__.co_varnames:
            kwargs["q"] = "knee"
        if "body" in module.sync_detailed.__code__.co_varnames:  # the self-check's answers
            request_model = importlib.import_module(f"{PACKAGE}.models").SelfCheckRequestRequest
            kwargs["body"] = request_model(symptoms=["pain-behind-the-knee"])
        response = module.sync_detailed(**kwargs)
        assert response.status_code == 200, (module.__name__, response.content[:300])
        if module.__name__.endswith("_head"):  # HEAD: the GET's headers, no body to parse
            assert response.content == b"", module.__name__
            called.append(module.__name__.rsplit(".", 1)[1])
            continue
        assert response.parsed is not None, module.__name__
        assert type(response.parsed).__name__ not in ("Problem", "ValidationProblem")
        called.append(module.__name__.rsplit(".", 1)[1])

    operation_ids = {
        operation["operationId"]
        for item in examples["paths"].values()
        for operation in item.values()
    }
    assert set(called) == operation_ids


def _response_models(schema):
    for path, item in schema["paths"].items():
        if "get" not in item:  # the self-check POST: its answers are health data, no example
            continue
        content = item["get"]["responses"]["200"]["content"]["application/json"]
        yield path, content["schema"]["$ref"].rsplit("/", 1)[1]


def test_strict_models_validate_every_real_response(
    generated, live_server, transactional_db, client
):
    contract_content()
    models = importlib.import_module("strict_models")
    schema = yaml.safe_load(SCHEMA.read_text())
    validated = 0
    for path, model_name in _response_models(schema):
        url = path.replace("{slug}", _example_slug(schema, path))
        if path.endswith("/search/"):
            url += "?q=knee"
        response = client.get(url)
        assert response.status_code == 200, url
        getattr(models, model_name).model_validate_json(response.content, strict=True)
        validated += 1
    assert validated == sum("get" in item for item in schema["paths"].values())


def _example_slug(schema, path):
    if "{slug}" not in path:
        return ""
    parameters = schema["paths"][path]["get"]["parameters"]
    parameter = next(p for p in parameters if p["name"] == "slug")
    return next(iter(parameter["examples"].values()))["value"]


def test_strict_models_accept_a_null_parent_and_refuse_wrong_types(
    generated, live_server, transactional_db, client
):
    contract_content()
    models = importlib.import_module("strict_models")
    served = client.get("/api/v1/anatomy/knee-joint/").json()
    assert served["parent"] is None
    models.AnatomyDetail.model_validate_json(json.dumps(served), strict=True)

    for key, wrong in (("parent", "knee"), ("revision", "1"), ("extra", 1), ("kind", "elbow")):
        with pytest.raises(ValueError):
            models.AnatomyDetail.model_validate_json(json.dumps({**served, key: wrong}))
