"""Property: whatever editors do, a client applying sync pages ends with the published set.

Random sequences of create / edit / publish / unpublish / archive / delete / relink / cite /
slug change, interleaved with a simulated client that syncs in small pages and sometimes
starts over from the bundle. After a final sync the client must hold exactly what the bundle
holds, item for item (embedded references included).
"""

import itertools

from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from content_app import models as m
from content_app.caching import reset_process_caches
from tests import factories as f

FACTORIES = {
    "symptoms": f.SymptomFactory,
    "exercises": f.ExerciseFactory,
    "causes": f.CauseFactory,
    "sources": f.SourceFactory,
}
TYPES = st.sampled_from(sorted(FACTORIES))
# Published twice as often: most interesting changes happen to public items.
STATUSES = st.sampled_from([*m.Status.values, m.Status.PUBLISHED, m.Status.PUBLISHED])
INDEX = st.integers(min_value=0, max_value=3)

OPERATIONS = st.one_of(
    st.tuples(st.just("create"), TYPES, STATUSES),
    st.tuples(st.just("edit"), TYPES, INDEX),
    st.tuples(st.just("status"), TYPES, INDEX, STATUSES),
    st.tuples(st.just("delete"), TYPES, INDEX),
    st.tuples(st.just("slug"), TYPES, INDEX),
    st.tuples(st.just("link"), INDEX, INDEX),
    st.tuples(st.just("unlink"), INDEX, INDEX),
    st.tuples(st.just("cite"), st.sampled_from(["symptoms", "exercises", "causes"]), INDEX, INDEX),
    st.tuples(st.just("sync"), st.integers(min_value=1, max_value=4)),
    st.tuples(st.just("bundle")),
)


# Every example starts from a small linked, cited, published set, so most operations touch
# items the client already holds and items that embed each other.
SEED = [
    *[("create", api_type, "published") for api_type in sorted(FACTORIES) for _ in range(2)],
    ("link", 0, 0),
    ("link", 1, 0),
    ("link", 1, 1),
    ("cite", "causes", 0, 0),
    ("cite", "exercises", 1, 1),
]


class Client:
    """What a mobile app keeps: items by (type, slug) and its cursor."""

    def __init__(self, api_client):
        self.api = api_client
        self.items: dict[tuple[str, str], dict] = {}
        self.cursor = None

    def load_bundle(self):
        body = self.api.get("/api/v1/bundle/").json()
        self.items = {
            (api_type, item["slug"]): item
            for api_type, items in body["content"].items()
            for item in items
        }
        self.cursor = body["cursor"]

    def sync(self, limit=500):
        url = f"/api/v1/sync/?limit={limit}"
        if self.cursor is not None:
            url += f"&since={self.cursor}"
        while url:
            response = self.api.get(url)
            assert response.status_code == 200, response.content
            page = response.json()
            for tombstone in page["removed"]:
                self.items.pop((tombstone["type"], tombstone["slug"]), None)
            for api_type, items in page["changed"].items():
                for item in items:
                    self.items[(api_type, item["slug"])] = item
            self.cursor = page["cursor"]
            url = page["next"]


def _pick(pool, api_type, index):
    items = pool[api_type]
    return items[index % len(items)] if items else None


def _apply(operation, pool, client, slugs):
    kind, *args = operation
    if kind == "create":
        api_type, status = args
        pool[api_type].append(
            FACTORIES[api_type](slug=f"{api_type}-{next(slugs)}", status=status)
            if api_type == "sources"
            else FACTORIES[api_type](slug=f"{api_type}-{next(slugs)}", status=status, sources=[])
        )
    elif kind in ("edit", "status", "delete", "slug"):
        item = _pick(pool, args[0], args[1])
        if item is None:
            return
        item.refresh_from_db()
        if kind == "edit":
            if args[0] == "sources":
                item.title = f"{item.title}!"
            else:
                item.name = f"{item.name}!"
            item.save()
        elif kind == "status":
            item.status = args[2]
            item.save()
        elif kind == "slug":
            item.slug = f"{args[0]}-{next(slugs)}"
            item.save()
        else:
            item.delete()
            pool[args[0]].remove(item)
    elif kind in ("link", "unlink"):
        cause, exercise = _pick(pool, "causes", args[0]), _pick(pool, "exercises", args[1])
        if cause is None or exercise is None:
            return
        if kind == "link":
            m.CauseExercise.objects.get_or_create(cause=cause, exercise=exercise)
        else:
            for link in m.CauseExercise.objects.filter(cause=cause, exercise=exercise):
                link.delete()
    elif kind == "cite":
        item, source = _pick(pool, args[0], args[1]), _pick(pool, "sources", args[2])
        if item is None or source is None:
            return
        if item.sources.filter(pk=source.pk).exists():
            item.sources.remove(source)
        else:
            item.sources.add(source)
    elif kind == "sync":
        client.sync(limit=args[0])
    elif kind == "bundle":
        client.load_bundle()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operations=st.lists(OPERATIONS, min_size=5, max_size=30),
    start_from_bundle=st.booleans(),
)
# Neighbours: what a published cause embeds changes when the linked items change.
@example(
    operations=[
        ("create", "causes", "published"),
        ("create", "exercises", "published"),
        ("create", "sources", "published"),
        ("link", 0, 0),
        ("cite", "causes", 0, 0),
        ("sync", 2),
        ("edit", "exercises", 0),
        ("sync", 1),
        ("slug", "exercises", 0),
        ("edit", "sources", 0),
        ("sync", 3),
        ("status", "exercises", 0, "draft"),
        ("delete", "sources", 0),
    ],
    start_from_bundle=False,
)
def test_client_applying_sync_pages_ends_with_the_published_set(
    api_client, db, operations, start_from_bundle
):
    with transaction.atomic():
        # Each example starts clean: ids are reused after the rollback below.
        cache.clear()
        reset_process_caches()
        pool = {api_type: [] for api_type in FACTORIES}
        slugs = itertools.count()
        for operation in SEED:
            _apply(operation, pool, None, slugs)
        client = Client(api_client)
        if start_from_bundle:
            client.load_bundle()
        for operation in operations:
            _apply(operation, pool, client, slugs)
        client.sync(limit=3)

        bundle = api_client.get("/api/v1/bundle/").json()
        expected = {
            (api_type, item["slug"]): item
            for api_type, items in bundle["content"].items()
            for item in items
        }
        assert client.items == expected
        assert client.cursor == bundle["cursor"]
        transaction.set_rollback(True)
    cache.clear()
    reset_process_caches()
