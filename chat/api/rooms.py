"""``/api/v1/projects/<slug>/room/messages/``: a project room's history and writes, for
its members (anyone else: 404, the room does not exist for them).

History pages by message id: without a cursor the latest messages; ``?before=<id>`` the
ones just older (scrolling up); ``?since=<id>`` the ones a reconnecting client missed,
oldest first. Each page lists messages oldest first, says whether there are more in the
direction read (``has_more``) and gives the cursors to go on (``before``: the oldest id
of the page, ``since``: the newest id, or the one asked for when nothing is newer).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from chat import frames
from chat.api.serializers import RoomMessageSerializer
from chat.models import MAX_CONTENT_CHARS
from chat.rooms import selectors, services
from chat.rooms.selectors import MAX_PAGE_SIZE, PAGE_SIZE
from config.api.openapi import error_statuses


class RoomHistoryQuerySerializer(serializers.Serializer):
    before = serializers.IntegerField(min_value=1, required=False, help_text="A message id: older messages.")
    since = serializers.IntegerField(min_value=0, required=False, help_text="A message id: newer messages.")
    limit = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE)

    def validate(self, attrs):
        if "before" in attrs and "since" in attrs:
            raise serializers.ValidationError({"since": ["Give either before or since, not both."]})
        return attrs


class RoomMessageSendSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=MAX_CONTENT_CHARS, trim_whitespace=True)
    client_id = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="Echoed in `message.created`."
    )


class RoomMessageEditSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=MAX_CONTENT_CHARS, trim_whitespace=True)


RoomHistory = inline_serializer(
    "RoomHistory",
    {
        "results": RoomMessageSerializer(many=True),
        "has_more": serializers.BooleanField(),
        "before": serializers.IntegerField(allow_null=True),
        "since": serializers.IntegerField(allow_null=True),
    },
)


class RoomMessagesView(APIView):
    @extend_schema(parameters=[RoomHistoryQuerySerializer], responses=RoomHistory)
    def get(self, request, slug: str):
        """The room's history (members only), oldest first in each page."""
        project, _access = selectors.room_for(user=request.user, slug=slug)
        query = RoomHistoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page, has_more = selectors.room_messages(project=project, **query.validated_data)
        since = page[-1].pk if page else query.validated_data.get("since")
        return Response(
            {
                "results": [frames.person_message_payload(message) for message in page],
                "has_more": has_more,
                "before": page[0].pk if page else None,
                "since": since,
            }
        )

    @extend_schema(request=RoomMessageSendSerializer, responses={201: RoomMessageSerializer})
    def post(self, request, slug: str):
        """Post a message (Markdown; `@username` mentions a member)."""
        project, _access = selectors.room_for(user=request.user, slug=slug)
        body = RoomMessageSendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = services.room_message_send(user=request.user, project=project, **body.validated_data)
        return Response(frames.person_message_payload(message), status=status.HTTP_201_CREATED)


class RoomMessageView(APIView):
    @extend_schema(request=RoomMessageEditSerializer, responses=RoomMessageSerializer)
    @error_statuses(409)  # the message was deleted
    def patch(self, request, slug: str, message_id: int):
        """Edit one of your messages."""
        project, _access = selectors.room_for(user=request.user, slug=slug)
        body = RoomMessageEditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = services.room_message_edit(
            user=request.user, project=project, message_id=message_id, content=body.validated_data["content"]
        )
        return Response(frames.person_message_payload(message))

    @extend_schema(request=None, responses=RoomMessageSerializer)
    @error_statuses(409)  # an agent's answer still being written
    def delete(self, request, slug: str, message_id: int):
        """Delete a message: yours, or anyone's for maintainers and the owner. The message
        stays in the history without its content (``deleted: true``)."""
        project, _access = selectors.room_for(user=request.user, slug=slug)
        message = services.room_message_delete(user=request.user, project=project, message_id=message_id)
        return Response(frames.person_message_payload(message))
