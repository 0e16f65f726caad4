"""Agent runs API: ``/api/v1/agent-runs/``.

``POST`` starts a run (202, queued) on a project the caller maintains; ``GET`` lists the
caller's own runs (filters ``project`` slug, ``kind``, ``status``); a run's detail,
``cancel`` and ``apply`` are for its owner and the project's maintainers. A run of a
hidden project is a 404, a maintainer-only thing of a visible project a 403.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from agents.api import serializers as s
from agents.models import AgentRun
from agents.runs import selectors
from agents.runs.apply import agent_run_apply
from agents.runs.services import agent_run_cancel, agent_run_start
from config.api.openapi import error_statuses
from config.errors import NotFound
from projects.selectors import project_by_slug


class AgentRunFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(field_name="project__slug", help_text="Project slug.")
    kind = django_filters.ChoiceFilter(choices=AgentRun.Kind.choices)
    status = django_filters.ChoiceFilter(choices=AgentRun.Status.choices)

    class Meta:
        model = AgentRun
        fields = ["project", "kind", "status"]


class AgentRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Background runs of the built-in agents: skill matching, team formation, planning."""

    filterset_class = AgentRunFilter

    queryset = AgentRun.objects.none()  # for the schema; get_queryset scopes to the user

    def get_queryset(self) -> QuerySet[AgentRun]:
        if getattr(self, "swagger_fake_view", False):
            return AgentRun.objects.none()
        return selectors.runs_of_owner(self.request.user)

    def get_serializer_class(self):
        return s.AgentRunListSerializer if self.action == "list" else s.AgentRunSerializer

    def get_object(self) -> AgentRun:
        return selectors.run_for(user=self.request.user, run_id=self.kwargs["pk"])

    @extend_schema(request=s.AgentRunCreateSerializer, responses={202: s.AgentRunSerializer})
    @error_statuses(404, 409)  # no such project; too many runs in progress
    def create(self, request, *args, **kwargs):
        data = s.AgentRunCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = project_by_slug(data.validated_data["project"])
        if project is None:
            raise NotFound("Project not found.")
        run = agent_run_start(
            owner=request.user,
            project=project,
            kind=data.validated_data["kind"],
            params=data.validated_data["params"],
        )
        return Response(s.AgentRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: s.AgentRunSerializer})
    @action(detail=True, methods=["post"])
    @error_statuses(409)  # already finished
    def cancel(self, request, pk=None):
        run = agent_run_cancel(actor=request.user, run=self.get_object())
        return Response(s.AgentRunSerializer(run).data)

    @extend_schema(request=s.AgentRunApplySerializer, responses={200: s.AgentRunSerializer})
    @action(detail=True, methods=["post"])
    @error_statuses(409)  # not succeeded, or already applied
    def apply(self, request, pk=None):
        run = self.get_object()
        data = s.AgentRunApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = agent_run_apply(actor=request.user, run=run, team_index=data.validated_data["team"])
        return Response(s.AgentRunSerializer(run).data)
