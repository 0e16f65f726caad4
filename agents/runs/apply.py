"""Apply a finished run's result to the project, once.

* a team (``team_formation``, ``assemble``) becomes invitations, through the projects
  invitation service, each with a message saying why that person was chosen;
* a plan (``project_plan``, ``assemble``) becomes milestones and tasks on the board,
  through the projects board services. A task's proposed assignee is assigned only if
  they are a member already; otherwise the description names them.

The run row is locked while applying and records what was created (``applied``);
applying again returns that record and creates nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from agents.models import AgentRun
from agents.runs.selectors import run_can_manage
from config.errors import Conflict, DomainError, Forbidden, InvalidField
from projects.models import Membership, Project
from projects.permissions import Action, ensure
from projects.services.board import milestone_create, task_create
from projects.services.invitations import invitation_create

MESSAGE_LIMIT = 1900


def _member_reasons(team: dict[str, Any], username: str) -> str:
    covers = sorted(skill for skill, names in (team.get("coverage") or {}).items() if username in names)
    return f"you bring {', '.join(covers)}" if covers else "you round out the team"


def invitation_message(
    *, project: Project, team: dict[str, Any], username: str, candidate: dict | None
) -> str:
    """Why ``username`` is invited: the skills they cover, and the explanations."""
    parts = [
        f"DevCrew's team-formation agent chose you for {project.name}: {_member_reasons(team, username)}."
    ]
    if candidate and candidate.get("explanation"):
        parts.append(str(candidate["explanation"]))
    if team.get("explanation"):
        parts.append(f"About the team: {team['explanation']}")
    return "\n\n".join(parts)[:MESSAGE_LIMIT]


def _apply_team(*, actor, project: Project, result: dict, team_index: int) -> dict[str, list]:
    teams = result.get("teams") or []
    if not teams:
        return {"invitations": [], "skipped": []}
    if team_index >= len(teams):
        raise InvalidField("team", "No such team.", detail=f"This run proposed {len(teams)} teams.")
    team = teams[team_index]
    candidates = {c["username"]: c for c in result.get("candidates") or []}
    members = set(Membership.objects.filter(project=project).values_list("user__username", flat=True))
    invitations, skipped = [], []
    for username in team.get("members") or []:
        if username in members:
            continue  # a team lists the current members too
        message = invitation_message(
            project=project, team=team, username=username, candidate=candidates.get(username)
        )
        try:
            invitation = invitation_create(actor=actor, project=project, username=username, message=message)
        except (Conflict, DomainError) as error:
            if isinstance(error, Forbidden):
                raise
            skipped.append({"username": username, "reason": str(error.detail)})
            continue
        invitations.append({"id": invitation.pk, "username": username})
    return {"invitations": invitations, "skipped": skipped}


def _estimate(value: Any) -> Decimal | None:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return hours if Decimal(0) <= hours < Decimal(100000) else None


def _apply_plan(*, actor, project: Project, plan: dict) -> dict[str, list]:
    today = timezone.localdate()
    milestones_by_key: dict[Any, Any] = {}
    milestones = []
    for index, item in enumerate(plan.get("milestones") or []):
        week_end = item.get("week_end")
        milestone = milestone_create(
            actor=actor,
            project=project,
            title=str(item["title"])[:200],
            goal=str(item.get("goal") or ""),
            due_date=today + timedelta(weeks=int(week_end)) if isinstance(week_end, int) else None,
        )
        milestones_by_key[index] = milestones_by_key[str(item["title"])] = milestone
        milestones.append({"id": milestone.pk, "title": milestone.title})

    users = {
        m.user.username: m.user for m in Membership.objects.filter(project=project).select_related("user")
    }
    tasks = []
    for item in plan.get("tasks") or []:
        description = str(item.get("description") or "")
        proposed = item.get("assignee") or ""
        assignee = users.get(proposed)
        if proposed and assignee is None:
            description = (
                f"{description}\n\nProposed assignee: @{proposed} (invited, not yet a member).".strip()
            )
        task = task_create(
            actor=actor,
            project=project,
            title=str(item["title"])[:200],
            description=description,
            assignee=assignee,
            estimate_hours=_estimate(item.get("estimate_hours")),
            milestone=milestones_by_key.get(item.get("milestone")),
            required_skill=str(item.get("skill") or ""),
        )
        tasks.append({"id": task.pk, "title": task.title})
    return {"milestones": milestones, "tasks": tasks}


@transaction.atomic
def agent_run_apply(*, actor, run: AgentRun, team_index: int = 0) -> AgentRun:
    run = AgentRun.objects.select_for_update().select_related("project", "owner").get(pk=run.pk)
    if not run_can_manage(actor, run):
        raise Forbidden("Only the run's owner and the project's maintainers can apply it.")
    ensure(actor, run.project, Action.INVITATION_MANAGE)
    ensure(actor, run.project, Action.TASK_MANAGE)
    if run.applied_at is not None:
        return run
    if run.status != AgentRun.Status.SUCCEEDED:
        raise Conflict("Only a run that succeeded can be applied.", type="run_not_succeeded")
    result = run.result or {}
    if "teams" not in result and "plan" not in result:
        raise Conflict(
            "A list of candidates has nothing to apply; invite people from their profiles, or form a team.",
            type="nothing_to_apply",
        )
    applied: dict[str, Any] = {"invitations": [], "skipped": [], "milestones": [], "tasks": []}
    if "teams" in result:
        applied.update(_apply_team(actor=actor, project=run.project, result=result, team_index=team_index))
        applied["team"] = team_index
    if "plan" in result:
        applied.update(_apply_plan(actor=actor, project=run.project, plan=result["plan"]))
    run.applied_at = timezone.now()
    run.applied_by = actor
    run.applied = applied
    run.save(update_fields=["applied_at", "applied_by", "applied", "updated_at"])
    return run
