"""`/api/v1/changes/`: the graded change feed (the same events webhooks deliver), for polling.

Cursor-paginated like sync: `since` is the `cursor` of the last page (a change id), pages
hold at most `limit` changes, oldest first; `grade` keeps only changes of that grade.
"""

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    OpenApiWebhook,
    extend_schema,
)
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from content_app import models as m
from content_app.api.v1.schema import ERROR_RESPONSES
from content_app.api.v1.sync import _integer
from content_app.api.v1.views import StrictQueryMixin
from content_app.notices import change_representation

CHANGES_PAGE_SIZE = 100
CHANGES_PAGE_SIZE_MAX = 500


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The top-level field of the item that changed.")
    grade = serializers.ChoiceField(choices=m.ChangeGrade.choices, help_text="What it means.")


class ContentChangeSerializer(serializers.Serializer):
    """One change of a published item, graded by what changed (a webhook event's `data`)."""

    id = serializers.IntegerField(min_value=1, help_text="Change id; also the event id `evt_<id>`.")
    event = serializers.ChoiceField(
        choices=m.ChangeEvent.choices, help_text="Published, updated or removed."
    )
    type = serializers.ChoiceField(
        choices=[(t, t) for t in m.MODELS_BY_API_TYPE], help_text="The collection."
    )
    slug = serializers.SlugField(help_text="The item's slug.")
    url = serializers.CharField(allow_null=True, help_text="Its detail path; null once removed.")
    grades = serializers.ListField(
        child=serializers.ChoiceField(choices=m.ChangeGrade.choices),
        help_text="Grades of the changed fields, most serious first: safety (red flags, "
        "urgency, cautions), clinical (dosage, relations, advice), editorial (wording).",
    )
    changes = FieldChangeSerializer(many=True, help_text="Every changed field and its grade.")
    changed_at = serializers.DateTimeField(help_text="When the change was graded.")


class ChangesPageSerializer(serializers.Serializer):
    """One page of graded changes, oldest first. Store `cursor` and send it as `since`."""

    since = serializers.IntegerField(min_value=0, help_text="The cursor this page starts after.")
    cursor = serializers.IntegerField(min_value=0, help_text="Send this as `since` next time.")
    has_more = serializers.BooleanField(help_text="True: fetch `next` now for the rest.")
    next = serializers.CharField(allow_null=True, help_text="Path of the next page, or null.")
    results = ContentChangeSerializer(many=True)


class ChangesView(StrictQueryMixin, APIView):
    def allowed_query_params(self):
        return {"since", "limit", "grade"}

    @extend_schema(
        operation_id="changes",
        summary="Graded changes since a cursor",
        description=(
            "Every publish, update and removal of content, each labelled by what changed: "
            "`safety` (red flags, urgency, cautions), `clinical` (dosage, relations, advice) or "
            "`editorial` (wording), with the changed fields. The same events webhooks deliver, "
            "for partners who poll. Omit `since` for everything; a `since` newer than the "
            "feed is a 400."
        ),
        tags=["changes"],
        parameters=[
            OpenApiParameter(
                "since",
                {"type": "integer", "minimum": 0},
                description="The `cursor` of the last page; omit for the whole feed.",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": CHANGES_PAGE_SIZE_MAX},
                description=f"Changes per page; default {CHANGES_PAGE_SIZE}, "
                f"at most {CHANGES_PAGE_SIZE_MAX}.",
            ),
            OpenApiParameter(
                "grade",
                str,
                enum=list(m.ChangeGrade.values),
                description="Only changes with this grade among their `grades`.",
            ),
        ],
        responses={200: ChangesPageSerializer, **ERROR_RESPONSES(400)},
        examples=[
            OpenApiExample(
                "A dosage change",
                value={
                    "since": 0,
                    "cursor": 7,
                    "has_more": False,
                    "next": None,
                    "results": [
                        {
                            "id": 7,
                            "event": "content.updated",
                            "type": "exercises",
                            "slug": "calf-stretch",
                            "url": "/api/v1/exercises/calf-stretch/",
                            "grades": ["clinical"],
                            "changes": [{"field": "dosage", "grade": "clinical"}],
                            "changed_at": "2026-12-01T10:00:00Z",
                        }
                    ],
                },
                response_only=True,
                status_codes=[200],
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        since = _integer(request, "since", default=0, low=0)
        limit = _integer(
            request, "limit", default=CHANGES_PAGE_SIZE, low=1, high=CHANGES_PAGE_SIZE_MAX
        )
        grade = request.query_params.get("grade")
        if grade is not None and grade not in m.ChangeGrade.values:
            raise exceptions.ValidationError(
                {"grade": [f"Unknown grade. Allowed: {', '.join(m.ChangeGrade.values)}."]}
            )
        head = m.ContentChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        if since > head:
            raise exceptions.ValidationError(
                {"since": [f"Cursor {since} is ahead of the feed (at {head})."]}
            )
        changes = m.ContentChange.objects.filter(id__gt=since).order_by("id")
        if grade is not None:
            changes = (
                changes.filter(grades__contains=[grade])
                if _json_contains()
                else [change for change in changes if grade in change.grades]
            )
        page = list(changes[: limit + 1])
        has_more = len(page) > limit
        page = page[:limit]
        cursor = page[-1].id if has_more else max(head, since)
        next_path = None
        if has_more:
            query = request.query_params.copy()
            query["since"] = str(cursor)
            next_path = f"{request.path}?{query.urlencode()}"
        return Response(
            {
                "since": since,
                "cursor": cursor,
                "has_more": has_more,
                "next": next_path,
                "results": [change_representation(change) for change in page],
            }
        )


def _json_contains() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


# --- The webhook partners subscribe to (content_app/notices.py sends it) -----------------------


class ChangeNoticeSerializer(serializers.Serializer):
    """A webhook delivery's JSON body (content_app.notices.event_payload)."""

    type = serializers.ChoiceField(choices=m.ChangeEvent.choices, help_text="The event.")
    timestamp = serializers.DateTimeField(help_text="When the change was graded.")
    data = ContentChangeSerializer(help_text="The change, as `/api/v1/changes/` lists it.")


change_notice_webhook = OpenApiWebhook(
    name="contentChange",
    decorator=extend_schema(
        summary="A graded change of published content",
        description=(
            "POSTed to every active subscription of a partner key (set up in the admin) whose "
            "grades match, for each publish, update and removal. Standard Webhooks headers: "
            "`webhook-id` (`evt_<id>`, stable across retries: de-duplicate on it), "
            "`webhook-timestamp` (Unix seconds: reject stale ones against replay) and "
            '`webhook-signature` (`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, '
            "keyed with the base64 after `whsec_` of the subscription's secret). Any 2xx is a "
            "delivery; anything else, or no answer within 5 s, is retried with exponential "
            "backoff."
        ),
        request=ChangeNoticeSerializer,
        responses={
            200: OpenApiResponse(description="Received (any 2xx)."),
            500: OpenApiResponse(description="Anything but a 2xx: retried later."),
        },
    ),
)
