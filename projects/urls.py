"""Browser pages under /projects/ (mounted at the site root by config.urls)."""

from django.urls import path

from projects.views import board, notifications, pages, team

app_name = "projects"

urlpatterns = [
    path("projects/", pages.project_list, name="list"),
    path("projects/new/", pages.project_new, name="new"),
    path("projects/shared/<str:token>/", pages.project_shared, name="shared"),
    path("projects/invitations/<int:pk>/accept/", team.invitation_accept, name="invitation-accept"),
    path("projects/invitations/<int:pk>/decline/", team.invitation_decline, name="invitation-decline"),
    path("projects/join-requests/<int:pk>/accept/", team.join_request_accept, name="join-request-accept"),
    path("projects/join-requests/<int:pk>/decline/", team.join_request_decline, name="join-request-decline"),
    path("projects/notifications/<int:pk>/", notifications.notification_follow, name="notification"),
    path("projects/notifications/read/", notifications.notifications_read_all, name="notifications-read"),
    path(
        "projects/notifications/email/",
        notifications.notification_email_preference,
        name="notifications-email",
    ),
    path("projects/<slug:slug>/", pages.project_detail, name="detail"),
    path("projects/<slug:slug>/edit/", pages.project_edit, name="edit"),
    path("projects/<slug:slug>/delete/", pages.project_delete_view, name="delete"),
    path("projects/<slug:slug>/transfer/", pages.project_transfer, name="transfer"),
    path("projects/<slug:slug>/join/", team.project_join, name="join"),
    path("projects/<slug:slug>/leave/", team.project_leave, name="leave"),
    path("projects/<slug:slug>/members/", team.members_page, name="members"),
    path("projects/<slug:slug>/members/<str:username>/role/", team.member_role, name="member-role"),
    path("projects/<slug:slug>/members/<str:username>/remove/", team.member_remove, name="member-remove"),
    path(
        "projects/<slug:slug>/invitations/<int:pk>/revoke/", team.invitation_revoke, name="invitation-revoke"
    ),
    path("projects/<slug:slug>/share-links/", team.share_links_page, name="share-links"),
    path(
        "projects/<slug:slug>/share-links/<int:pk>/revoke/", team.share_link_revoke, name="share-link-revoke"
    ),
    path("projects/<slug:slug>/board/", pages.board_fragment, name="board-fragment"),
    path("projects/<slug:slug>/tasks/new/", board.task_create, name="task-new"),
    path("projects/<slug:slug>/tasks/<int:pk>/", board.task_edit, name="task-edit"),
    path("projects/<slug:slug>/tasks/<int:pk>/status/", board.task_status, name="task-status"),
    path("projects/<slug:slug>/tasks/<int:pk>/delete/", board.task_delete, name="task-delete"),
    path("projects/<slug:slug>/milestones/new/", board.milestone_create, name="milestone-new"),
]
