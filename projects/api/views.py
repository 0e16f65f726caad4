"""Projects API: ``/api/v1/projects/`` by slug, with nested team, invitations, join
requests, share links, milestones and tasks.

Every nested view works out the viewer's access to the project once (``project_access``);
a project the viewer may not see is a 404 whatever the nested path. Writes go through the
services, which check the same permission module again.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.fields import IntegerField
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import NotFound
from projects import selectors
from projects.api import serializers as s
from projects.models import (
    Invitation,
    JoinRequest,
    Membership,
    Milestone,
    Notification,
    Project,
    ShareLink,
    Task,
)
from projects.notifications import notifications_mark_read
from projects.permissions import Access, Action, access_for
from projects.services import board, invitations, join_requests, membership, share_links
from projects.services.projects import project_create, project_delete, project_update
from projects.skills import skill_filter

User = get_user_model()


# --- projects -------------------------------------------------------------------------------


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Text in name, summary, description or tags")
    skill = django_filters.CharFilter(method="filter_skill", label="Required skill (name or alias)")
    status = django_filters.ChoiceFilter(choices=Project.Status.choices)
    visibility = django_filters.ChoiceFilter(choices=Project.Visibility.choices)
    mine = django_filters.BooleanFilter(method="filter_mine", label="Only projects I belong to")

    class Meta:
        model = Project
        fields = ["q", "skill", "status", "visibility", "mine"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(selectors.project_text_q(value)) if value.strip() else queryset

    def filter_skill(self, queryset, name, value):
        return queryset.filter(skill_filter(value)) if value.strip() else queryset

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
        new_owner = User.objects.filter(username__iexact=username).first()
        if new_owner is None:
            raise s.serializers.ValidationError({"username": ["Only a current member can become the owner."]})
        membership.ownership_transfer(actor=request.user, project=project, new_owner=new_owner)
        return Response(self._fresh(project.slug))

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
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


# --- nested resources -----------------------------------------------------------------------


class ProjectNestedViewSet(viewsets.GenericViewSet):
    """Base of ``/projects/<slug>/<resource>/``: ``self.project`` and ``self.access``."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_class: type[django_filters.FilterSet] | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.project, self.access = self.project_load(request, kwargs["slug"])

    def project_load(self, request, slug: str) -> tuple[Project, Access]:
        return project_access(request, slug)

    model: type = Project

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no project
            return self.model.objects.none()
        return self.scoped_queryset()

    def scoped_queryset(self):
        raise NotImplementedError

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["project"] = getattr(self, "project", None)
        return context

    def paginated(self, queryset):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def object_get(self, queryset, **lookup):
        obj = queryset.filter(**lookup).first()
        if obj is None:
            raise NotFound()
        return obj


class MemberViewSet(ProjectNestedViewSet):
    """The team. The owner changes roles; maintainers remove members; DELETE yourself to leave."""

    model = Membership
    serializer_class = s.MemberSerializer
    lookup_field = "username"

    def scoped_queryset(self):
        return selectors.members_of(self.project)

    def list(self, request, slug: str):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, slug: str, username: str):
        return Response(
            self.get_serializer(self.object_get(self.get_queryset(), user__username=username)).data
        )

    @extend_schema(request=s.MemberRoleSerializer, responses=s.MemberSerializer)
    def partial_update(self, request, slug: str, username: str):
        member = self.object_get(self.get_queryset(), user__username=username)
        role = s.MemberRoleSerializer(data=request.data)
        role.is_valid(raise_exception=True)
        membership.member_role_set(
            actor=request.user, project=self.project, user=member.user, role=role.validated_data["role"]
        )
        return Response(self.get_serializer(self.object_get(self.get_queryset(), pk=member.pk)).data)

    def destroy(self, request, slug: str, username: str):
        member = self.object_get(self.get_queryset(), user__username=username)
        membership.member_remove(actor=request.user, project=self.project, user=member.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationViewSet(ProjectNestedViewSet):
    """Maintainers see and manage every invitation; an invitee sees and answers their own."""

    model = Invitation
    serializer_class = s.InvitationSerializer

    def project_load(self, request, slug: str):
        if self.action in ("accept", "decline"):
            # The invitee answers even once their pending invitation (and with it their
            # view of a private project) has expired: the service says 404 to anyone else.
            project = selectors.project_by_slug(slug)
            if project is None:
                raise NotFound("Project not found.")
            return project, access_for(request.user, project)
        return super().project_load(request, slug)

    def scoped_queryset(self):
        queryset = selectors.invitations_of(self.project)
        if self.access.can(Action.VIEW_TEAM_ADMIN):
            return queryset
        if not self.request.user.is_authenticated:
            return queryset.none()
        return queryset.filter(selectors.invitation_addressed_q(self.request.user))

    def list(self, request, slug: str):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, slug: str, pk: int):
        return Response(self.get_serializer(self.object_get(self.get_queryset(), pk=pk)).data)

    @extend_schema(request=s.InvitationCreateSerializer, responses={201: s.InvitationSerializer})
    def create(self, request, slug: str):
        data = s.InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = invitations.invitation_create(
            actor=request.user, project=self.project, **data.validated_data
        )
        return Response(self.get_serializer(invitation).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, slug: str, pk: int):
        """Revoke a pending invitation (maintainers)."""
        invitation = self.object_get(self.get_queryset(), pk=pk)
        invitations.invitation_revoke(actor=request.user, invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.InvitationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, slug: str, pk: int):
        invitation = self.object_get(selectors.invitations_of(self.project), pk=pk)
        invitations.invitation_accept(invitation=invitation, user=request.user)
        return Response(self.get_serializer(Invitation.objects.get(pk=invitation.pk)).data)

    @extend_schema(request=None, responses=s.InvitationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, slug: str, pk: int):
        invitation = self.object_get(selectors.invitations_of(self.project), pk=pk)
        invitation = invitations.invitation_decline(invitation=invitation, user=request.user)
        return Response(self.get_serializer(invitation).data)


class JoinRequestViewSet(ProjectNestedViewSet):
    """Ask to join a public project (POST); maintainers accept or decline; DELETE withdraws."""

    model = JoinRequest
    serializer_class = s.JoinRequestSerializer

    def scoped_queryset(self):
        queryset = selectors.join_requests_of(self.project)
        if self.access.can(Action.VIEW_TEAM_ADMIN):
            return queryset
        if not self.request.user.is_authenticated:
            return queryset.none()
        return queryset.filter(user=self.request.user)

    def list(self, request, slug: str):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, slug: str, pk: int):
        return Response(self.get_serializer(self.object_get(self.get_queryset(), pk=pk)).data)

    def create(self, request, slug: str):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        join_request = join_requests.join_request_create(
            user=request.user, project=self.project, message=data.validated_data.get("message", "")
        )
        return Response(self.get_serializer(join_request).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, slug: str, pk: int):
        join_request = self.object_get(self.get_queryset(), pk=pk)
        join_requests.join_request_withdraw(user=request.user, join_request=join_request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.JoinRequestSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, slug: str, pk: int):
        join_request = self.object_get(self.get_queryset(), pk=pk)
        join_requests.join_request_accept(actor=request.user, join_request=join_request)
        return Response(self.get_serializer(JoinRequest.objects.get(pk=join_request.pk)).data)

    @extend_schema(request=None, responses=s.JoinRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, slug: str, pk: int):
        join_request = self.object_get(self.get_queryset(), pk=pk)
        join_request = join_requests.join_request_decline(actor=request.user, join_request=join_request)
        return Response(self.get_serializer(join_request).data)


class ShareLinkViewSet(ProjectNestedViewSet):
    """Share links of an unlisted or private project (maintainers). DELETE revokes."""

    model = ShareLink
    serializer_class = s.ShareLinkSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.access.ensure(Action.SHARE_LINK_MANAGE)

    def scoped_queryset(self):
        return selectors.share_links_of(self.project)

    def list(self, request, slug: str):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, slug: str, pk: int):
        return Response(self.get_serializer(self.object_get(self.get_queryset(), pk=pk)).data)

    def create(self, request, slug: str):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        link = share_links.share_link_create(
            actor=request.user, project=self.project, expires_at=data.validated_data.get("expires_at")
        )
        return Response(self.get_serializer(link).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, slug: str, pk: int):
        link = self.object_get(self.get_queryset(), pk=pk)
        share_links.share_link_revoke(actor=request.user, share_link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)


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


# --- the viewer's own: invitations and notifications ---------------------------------------


class MyInvitationsView(ListAPIView):
    """Open invitations addressed to me, across projects (accept or decline them through
    ``projects/<slug>/invitations/<id>/accept|decline``)."""

    serializer_class = s.MyInvitationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return selectors.invitations_open_for_user(self.request.user)


class NotificationListView(ListAPIView):
    """My notifications, newest first; ``?unread=true`` for the unread ones only. The body
    also carries ``unread_count``."""

    serializer_class = s.NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        queryset = selectors.notifications_for(self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="Only unread notifications")])
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["unread_count"] = selectors.notifications_unread_count(request.user)
        return response


class NotificationsReadView(APIView):
    """Mark my notifications read: the given ``ids``, or all of them."""

    @extend_schema(
        request=s.NotificationsReadSerializer,
        responses={
            200: inline_serializer(
                "NotificationsRead", {"marked": IntegerField(), "unread_count": IntegerField()}
            )
        },
    )
    def post(self, request):
        data = s.NotificationsReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = notifications_mark_read(user=request.user, ids=data.validated_data.get("ids"))
        return Response(
            {"marked": marked, "unread_count": selectors.notifications_unread_count(request.user)}
        )


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
            "members": s.MemberSerializer(selectors.members_of(project), many=True, context=context).data,
            "milestones": s.MilestoneSerializer(
                selectors.milestones_of(project), many=True, context=context
            ).data,
            "tasks": s.TaskSerializer(selectors.tasks_of(project), many=True, context=context).data,
            "share_link": {"expires_at": link.expires_at, "views": link.views},
        }
        return Response(data)
