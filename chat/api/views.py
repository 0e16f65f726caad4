from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.settings import api_settings

from chat import frames, selectors, services
from chat.api.serializers import (
    ConversationCreateSerializer,
    ConversationSerializer,
    ConversationUpdateSerializer,
    ExchangeSerializer,
    MessageContentSerializer,
    MessageSerializer,
)
from chat.api.streaming import EVENT_STREAM, EventStreamRenderer, answer_events
from chat.generation import generation_run_blocking, generation_start_blocking, generation_stop_blocking
from chat.models import Conversation, Message
from config.api.openapi import error_statuses, sse_event_schema
from config.api.pagination import CursorPagination

if TYPE_CHECKING:
    from rest_framework.renderers import BaseRenderer


def _archived_filter(value: str | None) -> bool | None:
    if value in (None, "", "false", "0", "no"):
        return False
    if value == "all":
        return None
    return True


class ConversationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The user's conversations with agents: pinned first, then most recent."""

    serializer_class = ConversationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Conversation.objects.none()
        return selectors.conversations_for(
            self.request.user,
            archived=_archived_filter(self.request.query_params.get("archived")),
            q=self.request.query_params.get("q", ""),
        )

    def get_object(self):
        return selectors.conversation_for(user=self.request.user, conversation_id=self.kwargs["pk"])

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "archived", str, description="`true`: only archived; `all`: both; default: active."
            ),
            OpenApiParameter("q", str, description="Search titles and message text."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ConversationCreateSerializer, responses={201: ConversationSerializer})
    @error_statuses(404, 409)  # no such agent (or project); the agent is inactive
    def create(self, request):
        serializer = ConversationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conversation = services.conversation_create(
            user=request.user, **_create_args(serializer.validated_data)
        )
        return Response(ConversationSerializer(conversation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConversationUpdateSerializer, responses=ConversationSerializer)
    def partial_update(self, request, pk=None):
        serializer = ConversationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        conversation = services.conversation_update(
            conversation=self.get_object(), **serializer.validated_data
        )
        return Response(ConversationSerializer(conversation).data)

    def perform_destroy(self, instance):
        generation_stop_blocking(conversation_id=instance.pk)
        services.conversation_delete(conversation=instance)

    @extend_schema(
        request=None,
        responses={202: inline_serializer("StopAnswer", {"stopping": serializers.BooleanField()})},
    )
    def stop(self, request, pk=None):
        """Stop the answer being written (in whichever server process writes it)."""
        conversation = self.get_object()
        generation_stop_blocking(conversation_id=conversation.pk)
        return Response({"stopping": True}, status=status.HTTP_202_ACCEPTED)


def _create_args(data: dict) -> dict:
    return {"title": data.get("title") or "", "agent_id": data.get("agent"), "project": data.get("project")}


class MessageCursorPagination(CursorPagination):
    ordering = ("-created_at", "-id")  # type: ignore[assignment]  # DRF takes a tuple; the stubs say str


ANSWER_RESPONSES = {
    (201, "application/json"): ExchangeSerializer,
    # A stream starts before the answer exists: 200, as event streams are served.
    (200, EVENT_STREAM): OpenApiResponse(
        response=sse_event_schema(
            "message.created",
            "assistant.delta",
            "assistant.completed",
            "error",
            description="Server-Sent Events: `message.created` (question, answer), `assistant.delta`…,"
            " then `assistant.completed` or `error`; each `data` is the WebSocket frame of the same type.",
        ),
        description="The answer as it is written",
    ),
}


class _AnswerView(GenericAPIView):
    """Shared by send, edit and regenerate: the reply comes back as JSON once complete
    (201 ``{user_message, assistant_message}``), or as Server-Sent Events with
    ``Accept: text/event-stream``."""

    renderer_classes = [
        *cast("list[type[BaseRenderer]]", api_settings.DEFAULT_RENDERER_CLASSES),  # classes once loaded
        EventStreamRenderer,
    ]
    serializer_class = MessageSerializer

    def conversation(self):
        return selectors.conversation_for(
            user=self.request.user, conversation_id=self.kwargs["conversation_id"]
        )

    def answer(self, exchange: services.Exchange):
        conversation_id = exchange.assistant_message.conversation_id
        if self.request.accepted_renderer.media_type == EVENT_STREAM:
            created = [
                frames.message_created(exchange.user_message),
                frames.message_created(exchange.assistant_message),
            ]
            generation = generation_start_blocking(
                conversation_id=conversation_id, message_id=exchange.assistant_message.pk
            )
            response = StreamingHttpResponse(
                answer_events(generation, created=created), content_type=EVENT_STREAM
            )
            response["Cache-Control"] = "no-cache"
            response["X-Accel-Buffering"] = "no"  # nginx: pass events through at once
            return response
        generation = generation_run_blocking(
            conversation_id=conversation_id, message_id=exchange.assistant_message.pk
        )
        if generation.error is not None:
            raise generation.error
        answer = Message.objects.get(pk=exchange.assistant_message.pk)
        question = Message.objects.get(pk=exchange.user_message.pk)
        body = ExchangeSerializer({"user_message": question, "assistant_message": answer}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ConversationMessagesView(_AnswerView):
    pagination_class = MessageCursorPagination
    queryset = Message.objects.none()  # only tells the schema generator the model; get() selects

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.request is not None and self.request.method == "GET":  # the history is JSON only
            return [renderer for renderer in renderers if not isinstance(renderer, EventStreamRenderer)]
        return renderers

    @extend_schema(responses=MessageSerializer(many=True))
    def get(self, request, conversation_id):
        """The active branch, newest first, cursor-paginated (`?cursor=`)."""
        conversation = self.conversation()
        queryset = Message.objects.filter(pk__in=selectors.active_branch_ids(conversation))
        page = self.paginate_queryset(queryset.order_by("-created_at", "-id"))
        return self.get_paginated_response(MessageSerializer(page, many=True).data)

    @extend_schema(request=MessageContentSerializer, responses=ANSWER_RESPONSES)
    @error_statuses(409, 502, 504)  # an answer is in progress; the AI service failed or timed out
    def post(self, request, conversation_id):
        """Send a message; the answer comes back once complete, or streams as SSE."""
        serializer = MessageContentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        exchange = services.message_send(
            user=request.user, conversation=self.conversation(), content=serializer.validated_data["content"]
        )
        return self.answer(exchange)


class MessageRegenerateView(_AnswerView):
    @extend_schema(request=None, responses=ANSWER_RESPONSES)
    @error_statuses(409, 502, 504)  # not a question/answer; answer in progress; AI service
    def post(self, request, conversation_id, message_id):
        """A new answer beside ``message_id`` (an answer) or to it (a question)."""
        exchange = services.message_regenerate(
            user=request.user, conversation=self.conversation(), message_id=message_id
        )
        return self.answer(exchange)


class MessageEditView(_AnswerView):
    @extend_schema(request=MessageContentSerializer, responses=ANSWER_RESPONSES)
    @error_statuses(409, 502, 504)  # not your question; answer in progress; AI service
    def post(self, request, conversation_id, message_id):
        """Ask again with new text instead of the question ``message_id``: a new branch."""
        serializer = MessageContentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        exchange = services.message_edit(
            user=request.user,
            conversation=self.conversation(),
            message_id=message_id,
            content=serializer.validated_data["content"],
        )
        return self.answer(exchange)
