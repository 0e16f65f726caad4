"""Dashboard panels (config.views.home): your projects, invitations and requests waiting
for you, and your notifications.

Notifications are marked read when you open one (a POST that then follows its link) or
with "Mark all read"; showing them on the dashboard does not mark them, so the unread
count keeps meaning "not yet looked at"."""

from __future__ import annotations

from projects import selectors

RECENT_NOTIFICATIONS = 8
PROJECTS_SHOWN = 6


def panels(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    projects = list(selectors.projects_for_member(user)[: PROJECTS_SHOWN + 1])
    invitations = list(selectors.invitations_open_for_user(user)[:20])
    join_requests = list(selectors.join_requests_pending_for_manager(user)[:20])
    notifications = list(selectors.notifications_for(user)[:RECENT_NOTIFICATIONS])
    return [
        {
            "template": "projects/dashboard_invitations.html",
            "invitations": invitations,
            "join_requests": join_requests,
        },
        {
            "template": "projects/dashboard_projects.html",
            "projects": projects[:PROJECTS_SHOWN],
            "more": len(projects) > PROJECTS_SHOWN,
        },
        {
            "template": "projects/dashboard_notifications.html",
            "notifications": notifications,
            "unread_count": selectors.notifications_unread_count(user),
            "email_enabled": selectors.notification_email_enabled(user),
        },
    ]
