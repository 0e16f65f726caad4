"""The agents' section of a project page (listed in ``settings.PROJECT_PAGE_PANELS``, as
projects/ may not import agents/): for the project's maintainers, the buttons that start
runs and the project's latest runs."""

from __future__ import annotations

from agents.models import AgentRun
from agents.runs.selectors import runs_visible_to
from projects.permissions import Role

RECENT_RUNS = 3

DESCRIPTIONS = {
    AgentRun.Kind.SKILL_MATCH: "Rank people whose skills, level and hours fit.",
    AgentRun.Kind.TEAM_FORMATION: "Choose the people who complete the team.",
    AgentRun.Kind.PROJECT_PLAN: "Draft milestones and tasks for the board.",
    AgentRun.Kind.ASSEMBLE: "Find people, form the team and plan the work, in one run.",
}


def panels(request, *, project, access) -> list[dict]:
    if access.role < Role.MAINTAINER:
        return []
    recent = list(runs_visible_to(request.user).filter(project=project)[:RECENT_RUNS])
    return [
        {
            "template": "agents/runs/project_panel.html",
            "kinds": [(kind.value, kind.label, DESCRIPTIONS[kind]) for kind in AgentRun.Kind],
            "recent_runs": recent,
            "project": project,
        }
    ]
