"""Drafts never leak (issue 4): walk every public GET endpoint the OpenAPI schema describes.

A draft, an in-review and an archived item of every type carry a canary in every text field
and in their slug, and are linked from published items through every relation (and cited by
them). Every published item also has a working copy (its next version, issue 11) whose texts,
relation notes and links carry the canary: nothing of it may show either. Media assets too: a
draft, an in-review and an archived picture are shown on published items, and a published
picture has a next version whose texts and new files (their names and hashes) carry the
canary. Every endpoint is
then called with every documented query parameter value — filters, search, `expand`,
`fields`, ordering, sync and bundle — and no response may contain the canary; the hidden
slugs answer 404, and filtering by them finds nothing. New endpoints and parameters are
covered as soon as they appear in the schema.
"""

import itertools
import json
from types import SimpleNamespace

import pytest

from content_app import models as m
from content_app.models import Status
from content_app.working_copies import start_working_copy
from tests import factories as f

CANARY = "zqxcanary"
HIDDEN_STATUSES = (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED)
pytestmark = pytest.mark.django_db


def _secret(label):
    return f"{CANARY} secret {label}"


def _hidden(factory, status, kind, source, **extra):
    return factory(
        slug=f"{CANARY}-{status}-{kind}".replace("_", "-"),
        name=_secret(f"{kind} name"),
        summary=_secret(f"{kind} summary"),
        body=_secret(f"{kind} body"),
        status=status,
        sources=[source],
        **extra,
    )


def _build_world():
    source = f.SourceFactory(title="Public source")
    pub = SimpleNamespace(
        structure=f.AnatomyStructureFactory(sources=[source]),
        cause=f.CauseFactory(sources=[source]),
        symptom=f.SymptomFactory(sources=[source]),
        risk=f.RiskFactorFactory(sources=[source]),
        flag=f.RedFlagFactory(sources=[source]),
        exercise=f.ExerciseFactory(sources=[source]),
        treatment=f.TreatmentFactory(sources=[source]),
    )
    # A fully public web of links, so list filters and expansions have something to return.
    f.CauseStructureFactory(cause=pub.cause, structure=pub.structure)
    f.CauseExerciseFactory(cause=pub.cause, exercise=pub.exercise)
    f.ExerciseTargetFactory(exercise=pub.exercise, structure=pub.structure)
    f.TreatmentTargetFactory(treatment=pub.treatment, structure=pub.structure)
    f.SymptomRedFlagFactory(symptom=pub.symptom, red_flag=pub.flag)
    f.DisclaimerFactory()  # the one published disclaimer

    note = {"note": _secret("link note")}
    for status in HIDDEN_STATUSES:
        src = f.SourceFactory(
            slug=f"{CANARY}-{status}-source".replace("_", "-"),
            title=_secret("source title"),
            author=_secret("author"),
            publisher=_secret("publisher"),
            url=f"https://example.org/{CANARY}",
            note=_secret("source note"),
            status=status,
        )
        structure = _hidden(
            f.AnatomyStructureFactory,
            status,
            "structure",
            src,
            latin_name=_secret("latin"),
            parent=pub.structure,
        )
        f.AnatomyStructureFactory(parent=structure, sources=[source])  # public child
        symptom = _hidden(f.SymptomFactory, status, "symptom", src)
        risk = _hidden(f.RiskFactorFactory, status, "risk", src)
        flag = _hidden(f.RedFlagFactory, status, "flag", src, action=_secret("action"))
        treatment = _hidden(f.TreatmentFactory, status, "treatment", src)
        exercise = _hidden(
            f.ExerciseFactory,
            status,
            "exercise",
            src,
            dosage_note=_secret("dose"),
            stop_rule=_secret("stop rule"),
            cautions=_secret("caution"),
        )
        f.DisclaimerFactory(
            slug=f"{CANARY}-{status}-disclaimer".replace("_", "-"),
            name=_secret("disclaimer name"),
            summary=_secret("disclaimer summary"),
            body=_secret("disclaimer body"),
            status=status,
        )
        cause = _hidden(f.CauseFactory, status, "cause", src)
        f.ExerciseStepFactory(exercise=exercise, text=_secret("step"))

        # Published items link to every hidden one, through every relation...
        m.CauseStructure.objects.create(cause=pub.cause, structure=structure, **note)
        m.CauseSymptom.objects.create(cause=pub.cause, symptom=symptom, **note)
        m.CauseRiskFactor.objects.create(cause=pub.cause, risk_factor=risk, **note)
        m.CauseRedFlag.objects.create(cause=pub.cause, red_flag=flag, **note)
        m.CauseExercise.objects.create(cause=pub.cause, exercise=exercise, **note)
        m.CauseTreatment.objects.create(cause=pub.cause, treatment=treatment, **note)
        m.SymptomRedFlag.objects.create(symptom=pub.symptom, red_flag=flag, **note)
        m.ExerciseTarget.objects.create(exercise=pub.exercise, structure=structure, **note)
        m.ExerciseProgression.objects.create(easier=pub.exercise, harder=exercise, **note)
        m.ExerciseProgression.objects.create(easier=exercise, harder=pub.exercise, **note)
        m.TreatmentTarget.objects.create(treatment=pub.treatment, structure=structure, **note)
        # ...and every hidden item links to the published ones (the reverse direction).
        m.CauseStructure.objects.create(cause=cause, structure=pub.structure, **note)
        m.SymptomRedFlag.objects.create(symptom=symptom, red_flag=pub.flag, **note)
        m.CauseSymptom.objects.create(cause=cause, symptom=pub.symptom, **note)
        m.CauseRiskFactor.objects.create(cause=cause, risk_factor=pub.risk, **note)
        m.CauseRedFlag.objects.create(cause=cause, red_flag=pub.flag, **note)
        m.CauseExercise.objects.create(cause=cause, exercise=pub.exercise, **note)
        m.CauseTreatment.objects.create(cause=cause, treatment=pub.treatment, **note)
        m.ExerciseTarget.objects.create(exercise=exercise, structure=pub.structure, **note)
        m.TreatmentTarget.objects.create(treatment=treatment, structure=pub.structure, **note)
        for item in vars(pub).values():
            item.sources.add(src)
        hidden_asset = _asset(f"{CANARY}-{status}-media", status, _secret("media"))
        m.ExerciseMedia.objects.create(exercise=pub.exercise, media=hidden_asset, **note)
        m.AnatomyMedia.objects.create(structure=pub.structure, media=hidden_asset, **note)
        m.TreatmentMedia.objects.create(treatment=pub.treatment, media=hidden_asset, **note)
    pub.media = _asset("public-picture", Status.PUBLISHED, "Public picture")
    m.ExerciseMedia.objects.create(exercise=pub.exercise, media=pub.media, order=1)
    _working_copies(pub, source, hidden_source=src, note=note)


def _asset(slug, status, text, *, digest="0" * 64):
    """An image asset with one stored file (rows only: the walk never downloads files)."""
    reviewed = (
        {"reviewed_at": "2026-01-01T00:00:00Z", "reviewer_name": "R", "reviewer_role": "editorial"}
        if status == Status.PUBLISHED
        else {}
    )
    asset = m.MediaAsset.objects.create(
        slug=slug,
        status=status,
        title=text,
        alt_text=text,
        caption=text,
        credit=text,
        source=text,
        licence=m.MediaLicence.OWN_WORK,
        original=f"originals/{digest[:2]}/{digest}.jpg",
        width=640,
        height=480,
        sha256=digest,
        **reviewed,
    )
    _rendition(asset, digest)
    return asset


def _rendition(asset, digest):
    asset.renditions.all().delete()
    m.MediaRendition.objects.create(
        asset=asset,
        file=f"renditions/{digest[:2]}/{digest}.webp",
        format=m.ImageFormat.WEBP,
        width=640,
        height=480,
        bytes=1000,
        sha256=digest,
    )


def _working_copies(pub, source, *, hidden_source, note):
    """Every published item gets a next version full of canaries, linked everywhere."""
    editor = f.UserFactory(username="wc-editor", is_superuser=True)
    disclaimer = m.Disclaimer.objects.published().get()
    copies = {}
    for label, item in [*vars(pub).items(), ("source", source), ("disclaimer", disclaimer)]:
        copy = start_working_copy(item=item, user=editor).item
        media_texts = ("title", "alt_text", "caption", "credit", "source")
        texts = (
            {"title": "title", "note": "note", "author": "author"}
            if label == "source"
            else {name: name for name in media_texts}
            if label == "media"
            else {
                "name": "name",
                "summary": "summary",
                "body": "body",
            }
        )
        extra = {
            "flag": {"action": "action"},
            "exercise": {"dosage_note": "dose", "stop_rule": "stop rule", "cautions": "caution"},
            "structure": {"latin_name": "latin"},
        }.get(label, {})
        for field, what in {**texts, **extra}.items():
            setattr(copy, field, _secret(f"copy {label} {what}"))
        if label == "media":  # a new image: its files' names and hashes carry the canary
            digest = (CANARY * 8)[:64]
            copy.sha256, copy.original = digest, f"originals/{digest[:2]}/{digest}.jpg"
            _rendition(copy, digest)
        copy.save()
        if label not in ("disclaimer", "source", "media"):
            copy.sources.add(hidden_source)
        copies[label] = copy
    c = SimpleNamespace(**copies)
    for copy in copies.values():  # the rows copied from the live item get canary notes
        for through, fk in m.owned_relations(type(copy)):
            if any(f.name == "note" for f in through._meta.fields):
                through.objects.filter(**{fk: copy}).update(note=note["note"])
    # ...and new links from the copies to published items.
    m.CauseSymptom.objects.create(cause=c.cause, symptom=pub.symptom, **note)
    m.CauseRiskFactor.objects.create(cause=c.cause, risk_factor=pub.risk, **note)
    m.CauseRedFlag.objects.create(cause=c.cause, red_flag=pub.flag, **note)
    m.CauseTreatment.objects.create(cause=c.cause, treatment=pub.treatment, **note)
    m.ExerciseStep.objects.create(exercise=c.exercise, order=99, text=_secret("copy step"))
    m.ExerciseProgression.objects.create(easier=c.exercise, harder=pub.exercise, **note)


def _schema(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def _hidden_slugs():
    return {
        item.slug
        for model in (*m.CONTENT_MODELS, m.MediaAsset)
        for item in model.objects.exclude(status=Status.PUBLISHED)
    }


def _values(param, *, hidden_slugs, public_slugs):
    """Every value worth sending for one documented query parameter."""
    schema = param.get("schema", {})
    kind = schema.get("type")
    enum = schema.get("enum") or schema.get("items", {}).get("enum")
    name = param["name"]
    if enum:
        values = [str(v) for v in enum]
        return values + ([",".join(values)] if kind == "array" else [])
    if kind == "boolean":
        return ["true", "false"]
    if kind == "integer":
        if name == "page_size":
            return [str(schema.get("maximum", 100))]
        return ["0", "1"]
    if name == "q":
        # Exact words, a prefix and typos: the prefix, trigram and spelling-correction
        # paths of search (did_you_mean) must not know hidden items either.
        return [CANARY, "secret", "name", "summary", CANARY[:-2], "zqxcanery", "secert nmae"]
    return sorted(hidden_slugs) + sorted(public_slugs) + [CANARY]


def _query_variants(parameters, **slugs):
    query_params = [p for p in parameters if p["in"] == "query"]
    base = {}
    if any(p["name"] == "page_size" for p in query_params):
        size = next(p for p in query_params if p["name"] == "page_size").get("schema", {})
        base["page_size"] = str(size.get("maximum", 100))
    yield dict(base)
    for param in query_params:
        for value in _values(param, **slugs):
            yield {**base, param["name"]: value}
    # Every documented expansion at once, together with every filter value for searches.
    names = {p["name"]: p for p in query_params}
    if "expand" in names and "fields" in names:
        expand = ",".join(names["expand"]["schema"]["items"]["enum"])
        yield {**base, "expand": expand}


def _collection(path):
    return path.removeprefix("/api/v1/").split("/", 1)[0]


def test_no_hidden_item_leaks_through_any_public_endpoint(client, settings):
    settings.API_RATE_ANON = None  # thousands of anonymous calls: no rate limit here
    _build_world()
    hidden_slugs = _hidden_slugs()
    types = len(m.CONTENT_MODELS) + 1  # media assets too
    copies = types  # one working copy of a published item per type
    assert len(hidden_slugs) == len(HIDDEN_STATUSES) * types + copies
    public_slugs = {item.slug for model in m.CONTENT_MODELS for item in model.objects.published()}
    schema = _schema(client)
    calls = 0
    checked_paths = set()

    def get(path, params):
        nonlocal calls
        calls += 1
        response = client.get(path, params)
        body = _without_echo(response, path, params)
        where = f"GET {path} {params} -> {response.status_code}"
        assert response.status_code < 500, where
        assert CANARY not in body, f"canary leaked: {where}"
        for slug in hidden_slugs:
            assert slug not in body, f"hidden slug {slug} leaked: {where}"
        return response

    for path, operations in schema["paths"].items():
        if "get" not in operations or path.endswith(("/schema/", "/docs/", "/redoc/")):
            continue
        parameters = operations["get"].get("parameters", [])
        path_params = [p["name"] for p in parameters if p["in"] == "path"]
        assert set(path_params) <= {"slug"}, f"teach this test the path parameters of {path}"
        variants = list(
            _query_variants(parameters, hidden_slugs=hidden_slugs, public_slugs=public_slugs)
        )
        if not path_params:
            for params in variants:
                response = get(path, params)
                _assert_hidden_filter_finds_nothing(response, params, hidden_slugs)
            checked_paths.add(path)
            continue
        model = m.MODELS_BY_API_TYPE[_collection(path)]
        for slug in model.objects.exclude(status=Status.PUBLISHED).values_list("slug", flat=True):
            for params in itertools.islice(variants, 0, None, 3):
                url = path.replace("{slug}", slug)
                response = client.get(url, params)
                assert response.status_code == 404, f"{path} {slug} {params}"
                assert CANARY not in _without_echo(response, url, params)
        for slug in model.objects.published().values_list("slug", flat=True):
            for params in variants:
                get(path.replace("{slug}", slug), params)
        checked_paths.add(path)

    # Sync and bundle are covered the day they appear in the schema.
    assert {"/api/v1/causes/", "/api/v1/causes/{slug}/", "/api/v1/search/"} <= checked_paths
    assert calls > 500, calls


def _without_echo(response, path, params):
    """The body without the request's own URL and values (error bodies may echo them)."""
    body = response.content.decode("utf-8", "replace")
    for echoed in sorted([path, *params.values()], key=len, reverse=True):
        body = body.replace(echoed, "")
    return body.lower()


def _assert_hidden_filter_finds_nothing(response, params, hidden_slugs):
    """`?exercise=<hidden slug>` must not reveal that the hidden exercise exists."""
    if response.status_code != 200 or not any(v in hidden_slugs for v in params.values()):
        return
    data = json.loads(response.content)
    if isinstance(data, dict) and "results" in data:
        assert data["results"] == [], f"filtering by a hidden slug found items: {params}"
