"""Routes under /api/v1/. Written by hand (no nested-router dependency); a trailing slash
is optional everywhere, so ``invitations/<id>/accept`` and ``shared/<token>`` work as
documented."""

from typing import Any

from django.urls import re_path

from projects.api import views

SLUG = r"(?P<slug>[-a-zA-Z0-9_]+)"
PK = r"(?P<pk>[0-9]+)"


def route(pattern: str, view, name: str):
    return re_path(rf"^projects/{pattern}/?$" if pattern else r"^projects/?$", view, name=name)


LIST: dict[str, Any] = {"get": "list", "post": "create"}
DETAIL: dict[str, Any] = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}

urlpatterns = [
    re_path(r"^invitations/?$", views.MyInvitationsView.as_view(), name="api-my-invitations"),
    re_path(r"^notifications/?$", views.NotificationListView.as_view(), name="api-notifications"),
    re_path(r"^notifications/read/?$", views.NotificationsReadView.as_view(), name="api-notifications-read"),
    route("", views.ProjectViewSet.as_view(LIST), "api-project-list"),
    route(
        SLUG,
        views.ProjectViewSet.as_view({**DETAIL, "put": "update"}),
        "api-project-detail",
    ),
    route(f"{SLUG}/transfer", views.ProjectViewSet.as_view({"post": "transfer"}), "api-project-transfer"),
    route(f"{SLUG}/leave", views.ProjectViewSet.as_view({"post": "leave"}), "api-project-leave"),
    route(f"{SLUG}/members", views.MemberViewSet.as_view({"get": "list"}), "api-project-members"),
    route(
        rf"{SLUG}/members/(?P<username>[\w.@+-]+)",
        views.MemberViewSet.as_view(DETAIL),
        "api-project-member",
    ),
    route(f"{SLUG}/invitations", views.InvitationViewSet.as_view(LIST), "api-project-invitations"),
    route(
        f"{SLUG}/invitations/{PK}",
        views.InvitationViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        "api-project-invitation",
    ),
    route(
        f"{SLUG}/invitations/{PK}/accept",
        views.InvitationViewSet.as_view({"post": "accept"}),
        "api-project-invitation-accept",
    ),
    route(
        f"{SLUG}/invitations/{PK}/decline",
        views.InvitationViewSet.as_view({"post": "decline"}),
        "api-project-invitation-decline",
    ),
    route(f"{SLUG}/join-requests", views.JoinRequestViewSet.as_view(LIST), "api-project-join-requests"),
    route(
        f"{SLUG}/join-requests/{PK}",
        views.JoinRequestViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        "api-project-join-request",
    ),
    route(
        f"{SLUG}/join-requests/{PK}/accept",
        views.JoinRequestViewSet.as_view({"post": "accept"}),
        "api-project-join-request-accept",
    ),
    route(
        f"{SLUG}/join-requests/{PK}/decline",
        views.JoinRequestViewSet.as_view({"post": "decline"}),
        "api-project-join-request-decline",
    ),
    route(f"{SLUG}/share-links", views.ShareLinkViewSet.as_view(LIST), "api-project-share-links"),
    route(
        f"{SLUG}/share-links/{PK}",
        views.ShareLinkViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        "api-project-share-link",
    ),
    route(f"{SLUG}/milestones", views.MilestoneViewSet.as_view(LIST), "api-project-milestones"),
    route(f"{SLUG}/milestones/{PK}", views.MilestoneViewSet.as_view(DETAIL), "api-project-milestone"),
    route(f"{SLUG}/tasks", views.TaskViewSet.as_view(LIST), "api-project-tasks"),
    route(f"{SLUG}/tasks/{PK}", views.TaskViewSet.as_view(DETAIL), "api-project-task"),
    # Last: "shared" is a reserved slug, so `projects/shared/milestones` is the (missing)
    # project "shared"'s milestones, a 404, never a share link whose token is "milestones".
    route(r"shared/(?P<token>[-\w]+)", views.SharedProjectView.as_view(), "api-project-shared"),
]
