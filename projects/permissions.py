"""Who may do what with a project: the one rulebook for pages, API, consumers and admin.

A caller works out the viewer's :class:`Access` once (``access_for``) and asks it
``can(Action.X)``; or calls ``ensure`` which raises the right domain error:
``NotFound`` when the viewer may not even see the project (never a hint that it
exists), ``Forbidden`` when they see it but may not do this.

Roles, weakest first:

* ``NONE`` — sees public projects only; may ask to join a public project when logged in.
* ``GUEST`` — holds a valid share link, or a pending invitation: reads the project
  (overview, team, milestones, board) and nothing more.
* ``MEMBER`` — reads everything, creates tasks, moves any task on the board, edits the
  tasks they created or are assigned to, deletes the ones they created, leaves.
* ``MAINTAINER`` — also edits the project and milestones, edits and deletes every task,
  manages invitations, join requests, share links and removes plain members.

Task rules depend on the task too: ``Access.can_task(action, task)`` (and
``ensure_task``) answer for ``TASK_EDIT`` and ``TASK_DELETE`` on one task.
* ``OWNER`` — also deletes, transfers ownership, changes visibility and roles.

Superusers act as owners of every project (the admin's actions rely on it), without
appearing as members.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

from config.errors import Forbidden, NotFound
from projects.models import Membership, Project, ShareLink


class Role(IntEnum):
    NONE = 0
    GUEST = 1
    MEMBER = 2
    MAINTAINER = 3
    OWNER = 4


class Action(StrEnum):
    VIEW = "view"
    REQUEST_JOIN = "request_join"
    LEAVE = "leave"
    VIEW_TEAM_ADMIN = "view_team_admin"  # invitations, join requests, share links
    TASK_CREATE = "task_create"
    TASK_UPDATE = "task_update"  # move any task between the board's columns
    TASK_EDIT = "task_edit"  # details of one task: any for managers, own for members (can_task)
    TASK_DELETE = "task_delete"  # one task: any for managers, created by them for members (can_task)
    TASK_MANAGE = "task_manage"  # edit and delete every task, create tasks in bulk (agents)
    MILESTONE_MANAGE = "milestone_manage"
    EDIT = "edit"
    INVITATION_MANAGE = "invitation_manage"
    JOIN_REQUEST_MANAGE = "join_request_manage"
    SHARE_LINK_MANAGE = "share_link_manage"
    MEMBER_REMOVE = "member_remove"
    MEMBER_ROLE_CHANGE = "member_role_change"
    VISIBILITY_CHANGE = "visibility_change"
    TRANSFER = "transfer"
    DELETE = "delete"


_MINIMUM_ROLE: dict[Action, Role] = {
    Action.VIEW: Role.GUEST,
    Action.VIEW_TEAM_ADMIN: Role.MAINTAINER,
    Action.TASK_CREATE: Role.MEMBER,
    Action.TASK_UPDATE: Role.MEMBER,
    # Without a task: whether the viewer may edit / delete some task (their own).
    Action.TASK_EDIT: Role.MEMBER,
    Action.TASK_DELETE: Role.MEMBER,
    Action.TASK_MANAGE: Role.MAINTAINER,
    Action.MILESTONE_MANAGE: Role.MAINTAINER,
    Action.EDIT: Role.MAINTAINER,
    Action.INVITATION_MANAGE: Role.MAINTAINER,
    Action.JOIN_REQUEST_MANAGE: Role.MAINTAINER,
    Action.SHARE_LINK_MANAGE: Role.MAINTAINER,
    Action.MEMBER_REMOVE: Role.MAINTAINER,
    Action.MEMBER_ROLE_CHANGE: Role.OWNER,
    Action.VISIBILITY_CHANGE: Role.OWNER,
    Action.TRANSFER: Role.OWNER,
    Action.DELETE: Role.OWNER,
}

_ROLE_OF_MEMBERSHIP: dict[str, Role] = {
    Membership.Role.OWNER: Role.OWNER,
    Membership.Role.MAINTAINER: Role.MAINTAINER,
    Membership.Role.MEMBER: Role.MEMBER,
}


@dataclass(frozen=True)
class Access:
    project: Project
    role: Role
    authenticated: bool
    is_member: bool
    user_id: int | None = None

    def can(self, action: Action) -> bool:
        if action == Action.VIEW:
            return self.role >= Role.GUEST or self.project.visibility == Project.Visibility.PUBLIC
        if not self.can(Action.VIEW):
            return False
        if action == Action.REQUEST_JOIN:
            return (
                self.authenticated
                and not self.is_member
                and self.project.visibility == Project.Visibility.PUBLIC
                and self.project.status not in (Project.Status.COMPLETED, Project.Status.ARCHIVED)
            )
        if action == Action.LEAVE:
            return self.is_member and self.role != Role.OWNER
        return self.role >= _MINIMUM_ROLE[action]

    def can_task(self, action: Action, task) -> bool:
        """``TASK_EDIT`` / ``TASK_DELETE`` of one task: managers any task; members the
        tasks they created (and, to edit, the ones assigned to them). Other actions do
        not depend on the task."""
        if action not in (Action.TASK_EDIT, Action.TASK_DELETE):
            return self.can(action)
        if self.can(Action.TASK_MANAGE):
            return True
        if not self.can(action) or self.user_id is None:
            return False
        own = {task.created_by_id} if action == Action.TASK_DELETE else {task.created_by_id, task.assignee_id}
        return self.user_id in own

    def ensure_task(self, action: Action, task) -> None:
        self.ensure(action)
        if not self.can_task(action, task):
            raise Forbidden()

    def ensure(self, action: Action) -> None:
        """Raise ``NotFound`` if the project is hidden from the viewer, ``Forbidden`` if
        they see it but may not do ``action``."""
        if not self.can(Action.VIEW):
            raise NotFound("Project not found.")
        if not self.can(action):
            raise Forbidden()

    @property
    def allowed(self) -> dict[str, bool]:
        """``{action: bool}`` for templates: ``{% if access.allowed.edit %}``."""
        return {action.value: self.can(action) for action in Action}


def _membership_role(user, project: Project) -> str | None:
    # Reuse a prefetched ``memberships`` when the caller loaded one (no query per row).
    cache = getattr(project, "_prefetched_objects_cache", {})
    if "memberships" in cache:
        return next((m.role for m in cache["memberships"] if m.user_id == user.pk), None)
    return Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()


def _has_pending_invitation(user, project: Project) -> bool:
    from projects.selectors import invitations_open_for_user

    return invitations_open_for_user(user).filter(project=project).exists()


def access_for(user, project: Project, *, share_link: ShareLink | None = None) -> Access:
    """The viewer's access to ``project``; ``share_link`` is the link they came with, if any."""
    authenticated = bool(user and user.is_authenticated)
    role, is_member = Role.NONE, False
    if authenticated:
        membership_role = _membership_role(user, project)
        if membership_role is not None:
            role, is_member = _ROLE_OF_MEMBERSHIP[membership_role], True
        if user.is_superuser:
            role = Role.OWNER
    if (
        role == Role.NONE
        and share_link is not None
        and share_link.project_id == project.pk
        and share_link.is_valid
    ):
        role = Role.GUEST
    if (
        role == Role.NONE
        and authenticated
        and project.visibility != Project.Visibility.PUBLIC
        and _has_pending_invitation(user, project)
    ):
        role = Role.GUEST
    return Access(
        project=project,
        role=role,
        authenticated=authenticated,
        is_member=is_member,
        user_id=user.pk if authenticated else None,
    )


def can(user, project: Project, action: Action, *, share_link: ShareLink | None = None) -> bool:
    return access_for(user, project, share_link=share_link).can(action)


def ensure(user, project: Project, action: Action, *, share_link: ShareLink | None = None) -> Access:
    access = access_for(user, project, share_link=share_link)
    access.ensure(action)
    return access
