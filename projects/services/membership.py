"""The team: joining, leaving, removal, roles and ownership."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from config import frames
from config.errors import Conflict, Forbidden, InvalidField, NotFound
from projects import live
from projects.models import Membership, Notification, Project, Task
from projects.permissions import Action, access_for, ensure
from projects.services.notifications import notification_create


def membership_add(*, project: Project, user, role: str = Membership.Role.MEMBER) -> Membership:
    """Add ``user`` to the team (no permission check: callers are the invitation and
    join-request services, which checked theirs). Idempotent for existing members."""
    existing = Membership.objects.filter(project=project, user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Membership.objects.create(project=project, user=user, role=role)
    except IntegrityError:  # a concurrent accept added them first
        return Membership.objects.get(project=project, user=user)


def _membership_get(project: Project, user) -> Membership:
    membership = Membership.objects.select_for_update().filter(project=project, user=user).first()
    if membership is None:
        raise NotFound("This person is not a member of the project.")
    return membership


def _tasks_unassign(project: Project, user) -> None:
    tasks = Task.objects.filter(project=project, assignee=user)
    task_ids = list(tasks.values_list("pk", flat=True))
    tasks.update(assignee=None)
    for task_id in task_ids:  # a member's own tasks: a handful, one query each
        live.broadcast(project, frames.task_updated(live.task_payload(Task(pk=task_id, project=project))))


@transaction.atomic
def member_leave(*, user, project: Project) -> None:
    access = ensure(user, project, Action.VIEW)
    if not access.is_member:
        raise Conflict("You are not a member of this project.", type="not_a_member")
    membership = _membership_get(project, user)
    if membership.role == Membership.Role.OWNER:
        raise Conflict("Transfer the ownership before you leave.", type="owner_cannot_leave")
    membership.delete()
    _tasks_unassign(project, user)


@transaction.atomic
def member_remove(*, actor, project: Project, user) -> None:
    """Maintainers remove plain members; the owner removes anyone but themselves."""
    if actor.pk == user.pk:
        return member_leave(user=user, project=project)
    access = ensure(actor, project, Action.MEMBER_REMOVE)
    membership = _membership_get(project, user)
    if membership.role == Membership.Role.OWNER:
        raise Forbidden("The owner cannot be removed.")
    if membership.role == Membership.Role.MAINTAINER and not access.can(Action.MEMBER_ROLE_CHANGE):
        raise Forbidden("Only the owner removes maintainers.")
    membership.delete()
    _tasks_unassign(project, user)


@transaction.atomic
def member_role_set(*, actor, project: Project, user, role: str) -> Membership:
    ensure(actor, project, Action.MEMBER_ROLE_CHANGE)
    if role not in (Membership.Role.MAINTAINER, Membership.Role.MEMBER):
        raise InvalidField(
            "role",
            "Choose maintainer or member; transfer the ownership to make someone owner.",
            detail="Choose maintainer or member.",
        )
    membership = _membership_get(project, user)
    if membership.role == Membership.Role.OWNER:
        raise Conflict("Transfer the ownership instead.", type="owner_role")
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def ownership_transfer(*, actor, project: Project, new_owner) -> Project:
    """Make a current member the owner; the previous owner stays on as maintainer."""
    ensure(actor, project, Action.TRANSFER)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if new_owner.pk == project.owner_id:
        return project
    target = Membership.objects.select_for_update().filter(project=project, user=new_owner).first()
    if target is None:
        raise InvalidField(
            "username",
            "Only a current member can become the owner.",
            detail="The new owner must be a member.",
        )
    previous_owner = project.owner
    Membership.objects.filter(project=project, role=Membership.Role.OWNER).update(
        role=Membership.Role.MAINTAINER
    )
    target.role = Membership.Role.OWNER
    target.save(update_fields=["role"])
    project.owner = new_owner
    project.save(update_fields=["owner", "updated_at"])
    notification_create(
        recipient=new_owner,
        kind=Notification.Kind.OWNERSHIP_TRANSFERRED,
        text=f"{previous_owner.username} made you the owner of {project.name}",
        url=project.get_absolute_url(),
    )
    return project


def is_member(user, project: Project) -> bool:
    return access_for(user, project).is_member
