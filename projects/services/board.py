"""Milestones and the task board."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from config import frames
from config.errors import InvalidField
from profiles.services import skill_resolve
from projects import live
from projects.models import Membership, Milestone, Notification, Project, Task
from projects.permissions import Action, access_for, ensure
from projects.services.notifications import notification_create

# What milestone_update / task_update change; forms and serializers offer these fields.
MILESTONE_FIELDS = ("title", "goal", "due_date", "order")
TASK_FIELDS = (
    "title",
    "description",
    "status",
    "priority",
    "assignee",
    "milestone",
    "estimate_hours",
    "required_skill",
)


@transaction.atomic
def milestone_create(
    *,
    actor,
    project: Project,
    title: str,
    goal: str = "",
    due_date: date | None = None,
    order: int | None = None,
) -> Milestone:
    ensure(actor, project, Action.MILESTONE_MANAGE)
    if order is None:
        order = (project.milestones.aggregate(top=Max("order"))["top"] or 0) + 1
    milestone = Milestone(project=project, title=title.strip(), goal=goal, due_date=due_date, order=order)
    milestone.full_clean()
    milestone.save()
    live.broadcast(project, frames.milestone_created(live.milestone_payload(milestone)))
    return milestone


@transaction.atomic
def milestone_update(*, actor, milestone: Milestone, **changes) -> Milestone:
    unknown = set(changes) - set(MILESTONE_FIELDS)
    if unknown:
        raise TypeError(f"milestone_update() got unexpected fields: {', '.join(sorted(unknown))}")
    ensure(actor, milestone.project, Action.MILESTONE_MANAGE)
    for field, value in changes.items():
        setattr(milestone, field, value)
    milestone.full_clean()
    milestone.save(update_fields=list(changes))
    live.broadcast(milestone.project, frames.milestone_updated(live.milestone_payload(milestone)))
    return milestone


@transaction.atomic
def milestone_delete(*, actor, milestone: Milestone) -> None:
    """Delete a milestone; its tasks stay on the board without one."""
    ensure(actor, milestone.project, Action.MILESTONE_MANAGE)
    milestone_id = milestone.pk
    milestone.delete()
    live.broadcast(milestone.project, frames.milestone_deleted(milestone_id))


def _task_changes_validate(project: Project, changes: dict) -> dict:
    assignee = changes.get("assignee")
    if assignee is not None and not Membership.objects.filter(project=project, user=assignee).exists():
        raise InvalidField("assignee", "Tasks can only be assigned to members of the project.")
    milestone = changes.get("milestone")
    if milestone is not None and milestone.project_id != project.pk:
        raise InvalidField("milestone", "This milestone belongs to another project.")
    skill = changes.get("required_skill")
    if isinstance(skill, str):
        changes["required_skill"] = skill_resolve(skill) if skill.strip() else None
    return changes


def _assignment_notify(*, actor, task: Task) -> None:
    if task.assignee is not None and task.assignee_id != getattr(actor, "pk", None):
        notification_create(
            recipient=task.assignee,
            kind=Notification.Kind.TASK_ASSIGNED,
            text=f"{actor.username} assigned you “{task.title}” in {task.project.name}",
            url=f"{task.project.get_absolute_url()}#task-{task.pk}",
        )


@transaction.atomic
def task_create(
    *,
    actor,
    project: Project,
    title: str,
    description: str = "",
    status: str = Task.Status.TODO,
    assignee=None,
    estimate_hours: Decimal | None = None,
    priority: int = Task.Priority.MEDIUM,
    milestone: Milestone | None = None,
    required_skill=None,
) -> Task:
    ensure(actor, project, Action.TASK_CREATE)
    changes = _task_changes_validate(
        project, {"assignee": assignee, "milestone": milestone, "required_skill": required_skill}
    )
    task = Task(
        project=project,
        title=title.strip(),
        description=description,
        status=status,
        estimate_hours=estimate_hours,
        priority=priority,
        created_by=actor,
        **changes,
    )
    task.full_clean()
    task.save()
    _assignment_notify(actor=actor, task=task)
    live.broadcast(project, frames.task_created(live.task_payload(task)))
    return task


@transaction.atomic
def task_update(*, actor, task: Task, **changes) -> Task:
    """Any member moves any task (``status``) and takes an unassigned one (``assignee``:
    themselves); other changes need ``TASK_EDIT`` of this task (projects.permissions:
    managers any task, members the ones they created or are assigned to)."""
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"task_update() got unexpected fields: {', '.join(sorted(unknown))}")
    access = ensure(actor, task.project, Action.TASK_UPDATE)
    takes_it = changes.get("assignee") == actor and task.assignee_id in (None, actor.pk)
    if set(changes) - {"status"} - ({"assignee"} if takes_it else set()):
        access.ensure_task(Action.TASK_EDIT, task)
    changes = _task_changes_validate(task.project, changes)
    previous_assignee_id = task.assignee_id
    for field, value in changes.items():
        setattr(task, field, value)
    task.full_clean()
    task.save(update_fields=[*changes, "updated_at"])
    if "assignee" in changes and task.assignee_id != previous_assignee_id:
        _assignment_notify(actor=actor, task=task)
    live.broadcast(task.project, frames.task_updated(live.task_payload(task)))
    return task


def task_status_set(*, actor, task: Task, status: str) -> Task:
    """The board's quick move between columns."""
    if status not in Task.Status.values:
        raise InvalidField("status", "Choose to do, doing or done.")
    return task_update(actor=actor, task=task, status=status)


@transaction.atomic
def task_delete(*, actor, task: Task) -> None:
    access_for(actor, task.project).ensure_task(Action.TASK_DELETE, task)
    task_id = task.pk
    task.delete()
    live.broadcast(task.project, frames.task_deleted(task_id))
