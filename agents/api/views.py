"""Agents API: ``/api/v1/agents/``.

Lists what the user may use (built-ins, their own, those shared with their projects).
An agent the user cannot see is a 404; one they see but do not own (built-in, shared by
another member) is a 403 on PATCH and DELETE.

Chat refuses an inactive agent with 409 ``{"type": "agent_inactive"}``
(``agents.selectors.agent_for_chat``); here inactive agents are listed and editable.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from agents import selectors, services
from agents.api import serializers as s
from agents.models import Agent


class AgentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Custom agents and the built-in ones. Inactive agents are listed but cannot be chatted with."""

    serializer_class = s.AgentSerializer
    filterset_fields = ["kind", "status", "visibility", "is_builtin"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Agent]:
        return selectors.agents_available_to(self.request.user)

    def get_object(self) -> Agent:
        return selectors.agent_visible_to(user=self.request.user, agent_id=self.kwargs["pk"])

    def _write(self, *, instance: Agent | None = None, partial: bool = False) -> dict:
        serializer = s.AgentWriteSerializer(
            instance, data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=s.AgentWriteSerializer, responses={201: s.AgentSerializer})
    def create(self, request, *args, **kwargs):
        agent = services.agent_create(owner=request.user, **self._write())
        return Response(self.get_serializer(agent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.AgentWriteSerializer, responses={200: s.AgentSerializer})
    def partial_update(self, request, *args, **kwargs):
        agent = self.get_object()
        services.agent_ensure_owner(user=request.user, agent=agent)  # a 403 before any 400
        agent = services.agent_update(
            user=request.user, agent=agent, data=self._write(instance=agent, partial=True)
        )
        return Response(self.get_serializer(agent).data)

    def destroy(self, request, *args, **kwargs):
        services.agent_delete(user=request.user, agent=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
