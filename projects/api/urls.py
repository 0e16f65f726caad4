"""Projects routes under /api/v1/ (every path ends with "/"; the request guard also
serves it without, so ``invitations/<id>/accept`` works as documented)."""

from typing import Any

from django.urls import path

from projects.api import views

LIST: dict[str, Any] = {"get": "list", "post": "create"}
DETAIL: dict[str, Any] = {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
ONE: dict[str, Any] = {"get": "retrieve", "delete": "destroy"}

urlpatterns = [
    path("invitations/", views.MyInvitationsView.as_view(), name="api-my-invitations"),
    path("notifications/", views.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/read/", views.NotificationsReadView.as_view(), name="api-notifications-read"),
    path("projects/", views.ProjectViewSet.as_view(LIST), name="api-project-list"),
    path(
        "projects/<slug:slug>/",
        views.ProjectViewSet.as_view({**DETAIL, "put": "update"}),
        name="api-project-detail",
    ),
    path(
        "projects/<slug:slug>/transfer/",
        views.ProjectViewSet.as_view({"post": "transfer"}),
        name="api-project-transfer",
    ),
    path(
        "projects/<slug:slug>/leave/",
        views.ProjectViewSet.as_view({"post": "leave"}),
        name="api-project-leave",
    ),
    path(
        "projects/<slug:slug>/members/",
        views.MemberViewSet.as_view({"get": "list"}),
        name="api-project-members",
    ),
    path(
        "projects/<slug:slug>/members/<str:username>/",
        views.MemberViewSet.as_view(DETAIL),
        name="api-project-member",
    ),
    path(
        "projects/<slug:slug>/invitations/",
        views.InvitationViewSet.as_view(LIST),
        name="api-project-invitations",
    ),
    path(
        "projects/<slug:slug>/invitations/<int:pk>/",
        views.InvitationViewSet.as_view(ONE),
        name="api-project-invitation",
    ),
    path(
        "projects/<slug:slug>/invitations/<int:pk>/accept/",
        views.InvitationViewSet.as_view({"post": "accept"}),
        name="api-project-invitation-accept",
    ),
    path(
        "projects/<slug:slug>/invitations/<int:pk>/decline/",
        views.InvitationViewSet.as_view({"post": "decline"}),
        name="api-project-invitation-decline",
    ),
    path(
        "projects/<slug:slug>/join-requests/",
        views.JoinRequestViewSet.as_view(LIST),
        name="api-project-join-requests",
    ),
    path(
        "projects/<slug:slug>/join-requests/<int:pk>/",
        views.JoinRequestViewSet.as_view(ONE),
        name="api-project-join-request",
    ),
    path(
        "projects/<slug:slug>/join-requests/<int:pk>/accept/",
        views.JoinRequestViewSet.as_view({"post": "accept"}),
        name="api-project-join-request-accept",
    ),
    path(
        "projects/<slug:slug>/join-requests/<int:pk>/decline/",
        views.JoinRequestViewSet.as_view({"post": "decline"}),
        name="api-project-join-request-decline",
    ),
    path(
        "projects/<slug:slug>/share-links/",
        views.ShareLinkViewSet.as_view(LIST),
        name="api-project-share-links",
    ),
    path(
        "projects/<slug:slug>/share-links/<int:pk>/",
        views.ShareLinkViewSet.as_view(ONE),
        name="api-project-share-link",
    ),
    path(
        "projects/<slug:slug>/milestones/",
        views.MilestoneViewSet.as_view(LIST),
        name="api-project-milestones",
    ),
    path(
        "projects/<slug:slug>/milestones/<int:pk>/",
        views.MilestoneViewSet.as_view(DETAIL),
        name="api-project-milestone",
    ),
    path("projects/<slug:slug>/tasks/", views.TaskViewSet.as_view(LIST), name="api-project-tasks"),
    path(
        "projects/<slug:slug>/tasks/<int:pk>/",
        views.TaskViewSet.as_view(DETAIL),
        name="api-project-task",
    ),
    # Last: "shared" is a reserved slug, so `projects/shared/milestones/` is the (missing)
    # project "shared"'s milestones, a 404, never a share link whose token is "milestones".
    path("projects/shared/<slug:token>/", views.SharedProjectView.as_view(), name="api-project-shared"),
]
