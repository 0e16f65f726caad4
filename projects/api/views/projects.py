"""Projects by slug: browse, create, read, edit, delete, transfer, leave; and the
project as read through a share link."""

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import user_by_username
from config.api.filters import FilterSet, StrictBooleanFilter
from config.api.openapi import error_statuses
from config.errors import NotFound
from projects import selectors
from projects.api import serializers as s
from projects.models import (
    Project,
)
from projects.permissions import Access, Action, access_for
from projects.services import membership, share_links
from projects.services.projects import project_create, project_delete, project_update

# --- projects -------------------------------------------------------------------------------


class ProjectFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Text in name, summary, description or tags")
    skill = django_filters.CharFilter(method="filter_skill", label="Required skill (name or alias)")
    status = django_filters.ChoiceFilter(choices=Project.Status.choices)
    visibility = django_filters.ChoiceFilter(choices=Project.Visibility.choices)
    mine = StrictBooleanFilter(method="filter_mine", label="Only projects I belong to")

    class Meta:
        model = Project
        fields = ["q", "skill", "status", "visibility", "mine"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(selectors.project_text_q(value)) if value.strip() else queryset

    def filter_skill(self, queryset, name, value):
        return queryset.filter(selectors.skill_filter(value)) if value.strip() else queryset

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        user = self.request.user
        if not user.is_authenticated:
            return queryset.none()
        return queryset.filter(pk__in=selectors.projects_for_member(user).values("pk"))


def project_access(request, slug: str, *, detail: bool = False) -> tuple[Project, Access]:
    """The project for ``slug`` and the viewer's access; NotFound when it is hidden."""
    project = selectors.project_detail(slug) if detail else selectors.project_by_slug(slug)
    if project is None:
        raise NotFound("Project not found.")
    access = access_for(request.user, project)
    access.ensure(Action.VIEW)
    return project, access


class ProjectViewSet(viewsets.GenericViewSet):
    """Browse, create, read, edit and delete projects. Anyone reads public projects."""

    lookup_field = "slug"
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = s.ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self) -> QuerySet[Project]:
        user = self.request.user
        queryset = selectors.projects_visible_to(user)
        return selectors.project_for_viewer_prefetch(queryset, user)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, slug: str):
        project, _ = project_access(request, slug, detail=True)
        return Response(self.get_serializer(project).data)

    @extend_schema(request=s.ProjectWriteSerializer, responses={201: s.ProjectSerializer})
    def create(self, request):
        data = self._validated(s.ProjectWriteSerializer(data=request.data))
        project = project_create(owner=request.user, **data)
        return Response(self._fresh(project.slug), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ProjectWriteSerializer, responses=s.ProjectSerializer)
    def partial_update(self, request, slug: str):
        project, _ = project_access(request, slug)
        data = self._validated(s.ProjectWriteSerializer(data=request.data, partial=True))
        project_update(actor=request.user, project=project, **data)
        return Response(self._fresh(project.slug))

    @extend_schema(request=s.ProjectWriteSerializer, responses=s.ProjectSerializer)
    def update(self, request, slug: str):
        project, _ = project_access(request, slug)
        data = self._validated(s.ProjectWriteSerializer(data=request.data))
        project_update(actor=request.user, project=project, **data)
        return Response(self._fresh(project.slug))

    def destroy(self, request, slug: str):
        project, _ = project_access(request, slug)
        project_delete(actor=request.user, project=project)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.UsernameSerializer, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, slug: str):
        """Make another member the owner (owner only); you stay on as maintainer."""
        project, _ = project_access(request, slug)
        username = self._validated(s.UsernameSerializer(data=request.data))["username"]
        new_owner = user_by_username(username)
        if new_owner is None:
            raise s.serializers.ValidationError({"username": ["Only a current member can become the owner."]})
        membership.ownership_transfer(actor=request.user, project=project, new_owner=new_owner)
        return Response(self._fresh(project.slug))

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    @error_statuses(409)  # not a member, or the owner
    def leave(self, request, slug: str):
        project, _ = project_access(request, slug)
        membership.member_leave(user=request.user, project=project)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _validated(self, serializer) -> dict:
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _fresh(self, slug: str) -> dict:
        project = selectors.project_detail(slug)
        return self.get_serializer(project).data


# --- share links, from the holder's side ----------------------------------------------------


class SharedProjectView(APIView):
    """Read a project through a share link: overview, team, milestones and board.

    Each call counts as a view of the link. Unknown, expired and revoked tokens are 404.
    """

    permission_classes = [AllowAny]

    @extend_schema(
        responses=s.SharedProjectSerializer,
        parameters=[OpenApiParameter("token", str, OpenApiParameter.PATH)],
    )
    def get(self, request, token: str):
        link = share_links.share_link_open(token=token)
        project = selectors.project_detail(link.project.slug) or link.project
        context = {"request": request, "project": project}
        data = {
            "project": s.ProjectSerializer(project, context=context).data,
            "members": s.MemberSerializer(
                selectors.members_of(project, viewer=request.user), many=True, context=context
            ).data,
            "milestones": s.MilestoneSerializer(
                selectors.milestones_of(project), many=True, context=context
            ).data,
            "tasks": s.TaskSerializer(selectors.tasks_of(project), many=True, context=context).data,
            "share_link": {"expires_at": link.expires_at, "views": link.views},
        }
        return Response(data)
