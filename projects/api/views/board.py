"""``/projects/<slug>/milestones/`` and ``/projects/<slug>/tasks/``."""

import django_filters
from rest_framework import status
from rest_framework.response import Response

from projects import selectors
from projects.api import serializers as s
from projects.api.views.team import ProjectNestedViewSet
from projects.models import (
    Milestone,
    Task,
)
from projects.services import board


class MilestoneViewSet(ProjectNestedViewSet):
    model = Milestone
    serializer_class = s.MilestoneSerializer

    def scoped_queryset(self):
        return selectors.milestones_of(self.project)

    def list(self, request, slug: str):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, slug: str, pk: int):
        return Response(self.get_serializer(self.object_get(self.get_queryset(), pk=pk)).data)

    def create(self, request, slug: str):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        milestone = board.milestone_create(actor=request.user, project=self.project, **data.validated_data)
        return Response(
            self.get_serializer(self.object_get(self.get_queryset(), pk=milestone.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request, slug: str, pk: int):
        milestone = self.object_get(self.get_queryset(), pk=pk)
        data = self.get_serializer(milestone, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        board.milestone_update(actor=request.user, milestone=milestone, **data.validated_data)
        return Response(self.get_serializer(self.object_get(self.get_queryset(), pk=pk)).data)

    def destroy(self, request, slug: str, pk: int):
        board.milestone_delete(actor=request.user, milestone=self.object_get(self.get_queryset(), pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Task.Status.choices)
    assignee = django_filters.CharFilter(field_name="assignee__username", lookup_expr="iexact")
    milestone = django_filters.NumberFilter(field_name="milestone_id")

    class Meta:
        model = Task
        fields = ["status", "assignee", "milestone"]


class TaskViewSet(ProjectNestedViewSet):
    """The board. Members update tasks (status, assignee…); maintainers create and delete."""

    model = Task
    serializer_class = s.TaskSerializer
    filterset_class = TaskFilter

    def scoped_queryset(self):
        return selectors.tasks_of(self.project)

    def list(self, request, slug: str):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    def retrieve(self, request, slug: str, pk: int):
        return Response(self.get_serializer(self.object_get(self.get_queryset(), pk=pk)).data)

    def create(self, request, slug: str):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = board.task_create(actor=request.user, project=self.project, **data.validated_data)
        return Response(
            self.get_serializer(self.object_get(self.get_queryset(), pk=task.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request, slug: str, pk: int):
        task = self.object_get(self.get_queryset(), pk=pk)
        data = self.get_serializer(task, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        board.task_update(actor=request.user, task=task, **data.validated_data)
        return Response(self.get_serializer(self.object_get(self.get_queryset(), pk=pk)).data)

    def destroy(self, request, slug: str, pk: int):
        board.task_delete(actor=request.user, task=self.object_get(self.get_queryset(), pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
