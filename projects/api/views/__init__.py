"""Projects API: ``/api/v1/projects/`` by slug, with nested team, invitations, join
requests, share links, milestones and tasks; plus the viewer's own invitations and
notifications.

Every nested view works out the viewer's access to the project once (``project_access``);
a project the viewer may not see is a 404 whatever the nested path. Writes go through the
services, which check the same permission module again.
"""

from projects.api.views.board import MilestoneViewSet, TaskViewSet
from projects.api.views.mine import MyInvitationsView, NotificationListView, NotificationsReadView
from projects.api.views.projects import ProjectViewSet, SharedProjectView, project_access
from projects.api.views.team import (
    InvitationViewSet,
    JoinRequestViewSet,
    MemberViewSet,
    ProjectNestedViewSet,
    ShareLinkViewSet,
)

__all__ = [
    "InvitationViewSet",
    "JoinRequestViewSet",
    "MemberViewSet",
    "MilestoneViewSet",
    "MyInvitationsView",
    "NotificationListView",
    "NotificationsReadView",
    "ProjectNestedViewSet",
    "ProjectViewSet",
    "ShareLinkViewSet",
    "SharedProjectView",
    "TaskViewSet",
    "project_access",
]
