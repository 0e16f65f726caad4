"""``/projects/<slug>/…`` nested resources: the base view that loads the project and the
viewer's access once, and the team resources (members, invitations, join requests,
share links)."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from config.api.openapi import error_statuses
from config.errors import NotFound
from projects import selectors
from projects.api import serializers as s
from projects.api.views.projects import project_access
from projects.models import (
    Invitation,
    JoinRequest,
    Membership,
    Project,
    ShareLink,
)
from projects.permissions import Access, Action, access_for
from projects.services import invitations, join_requests, membership, share_links

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
        return selectors.members_of(self.project, viewer=self.request.user)

    def list(self, request, slug: str):
        return self.paginated(self.get_queryset())

    def retrieve(self, request, slug: str, username: str):
        return Response(
            self.get_serializer(self.object_get(self.get_queryset(), user__username=username)).data
        )

    @extend_schema(request=s.MemberRoleSerializer, responses=s.MemberSerializer)
    @error_statuses(409)  # the owner's role changes only by transfer
    def partial_update(self, request, slug: str, username: str):
        member = self.object_get(self.get_queryset(), user__username=username)
        role = s.MemberRoleSerializer(data=request.data)
        role.is_valid(raise_exception=True)
        membership.member_role_set(
            actor=request.user, project=self.project, user=member.user, role=role.validated_data["role"]
        )
        return Response(self.get_serializer(self.object_get(self.get_queryset(), pk=member.pk)).data)

    @error_statuses(409)  # the owner cannot be removed
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
    @error_statuses(409)  # already a member, or invited
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
    @error_statuses(409)  # expired or answered
    def accept(self, request, slug: str, pk: int):
        invitation = self.object_get(selectors.invitations_of(self.project), pk=pk)
        invitations.invitation_accept(invitation=invitation, user=request.user)
        return Response(
            self.get_serializer(selectors.invitations_of(self.project).get(pk=invitation.pk)).data
        )

    @extend_schema(request=None, responses=s.InvitationSerializer)
    @action(detail=True, methods=["post"])
    @error_statuses(409)  # expired or answered
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

    @error_statuses(409)  # already a member, or asked
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
    @error_statuses(409)  # already answered
    def accept(self, request, slug: str, pk: int):
        join_request = self.object_get(self.get_queryset(), pk=pk)
        join_requests.join_request_accept(actor=request.user, join_request=join_request)
        return Response(
            self.get_serializer(selectors.join_requests_of(self.project).get(pk=join_request.pk)).data
        )

    @extend_schema(request=None, responses=s.JoinRequestSerializer)
    @action(detail=True, methods=["post"])
    @error_statuses(409)  # already answered
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

    @error_statuses(409)  # public projects need no link
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
