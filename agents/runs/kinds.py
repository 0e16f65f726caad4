"""The steps of each kind of run, on top of the engines (matching, team formation,
planning, explanations). Each returns the run's result:

* ``skill_match``    → ``{"candidates": [candidate + "explanation"]}``
* ``team_formation`` → ``{"teams": [team + "explanation"], "team_needed", "team_ignored"}``
  (the best team first; how many people were still needed; named people not considered)
* ``project_plan``   → ``{"plan": {"milestones": [...], "tasks": [...]}}``
* ``assemble``       → all three keys: candidates, the teams formed from them, and the
  plan for the current members plus the best team.

Scores come from the engines, never from the LLM; the LLM (or the offline provider)
only writes the explanations and the plan.
"""

from __future__ import annotations

from typing import Any

from agents.models import AgentRun
from agents.runs.execution import RunContext, StepFunction


def _candidates(context: RunContext, *, limit: int) -> list[dict[str, Any]]:
    from agents import explanations, matching

    context.step("Reading the project's required skills and looking for people", 0.05)
    candidates = matching.match_candidates(context.project, limit=limit)
    context.step(f"Ranked {len(candidates)} candidates; explaining each choice", 0.5)
    for candidate in candidates:
        candidate["explanation"] = explanations.explain_candidate(candidate, context.project)
    return candidates


def _teams(context: RunContext, **options: Any) -> dict[str, Any]:
    """``{"teams", "needed", "ignored"}``: the teams, how many people the project still
    needed, and the named people who could not be considered (no visible profile, members)."""
    from agents import explanations, team_formation

    context.step("Choosing the members that cover the required skills best", 0.1)
    formed = team_formation.form_team(context.project, **options)
    teams = formed["teams"]
    context.step(f"Compared {len(teams)} teams; explaining the choice", 0.6)
    for team in teams:
        team["explanation"] = explanations.explain_team(team, context.project)
    return {"teams": teams, "needed": formed.get("needed"), "ignored": formed.get("ignored", [])}


def _plan(
    context: RunContext, *, horizon_weeks: int, team_usernames: list[str] | None = None
) -> dict[str, Any]:
    from agents import planning

    context.step("Drafting milestones and tasks", 0.1)
    plan = planning.plan_project(context.project, horizon_weeks=horizon_weeks, team_usernames=team_usernames)
    context.step(f"Planned {len(plan['milestones'])} milestones and {len(plan['tasks'])} tasks", 0.95)
    return plan


def skill_match(context: RunContext) -> dict[str, Any]:
    return {"candidates": _candidates(context, limit=context.params["limit"])}


def team_formation(context: RunContext) -> dict[str, Any]:
    params = context.params
    options: dict[str, Any] = {
        "pool": params["pool"],
        "size": params["size"],
        "pool_size": params["pool_size"],
    }
    if params["pool"] == "usernames":
        options["usernames"] = params["usernames"]
    formed = _teams(context, **options)
    return {"teams": formed["teams"], "team_needed": formed["needed"], "team_ignored": formed["ignored"]}


def project_plan(context: RunContext) -> dict[str, Any]:
    return {"plan": _plan(context, horizon_weeks=context.params["horizon_weeks"])}


def assemble(context: RunContext) -> dict[str, Any]:
    params = context.params
    context.span(0, 35)
    candidates = _candidates(context, limit=params["limit"])
    context.span(35, 65)
    formed = (
        _teams(context, pool="usernames", usernames=[c["username"] for c in candidates], size=params["size"])
        if candidates
        else {"teams": [], "needed": None, "ignored": []}
    )
    teams = formed["teams"]
    context.span(65, 100)
    members = list(context.project.memberships.values_list("user__username", flat=True))
    proposed = teams[0]["members"] if teams else []
    plan = _plan(
        context,
        horizon_weeks=params["horizon_weeks"],
        team_usernames=[*members, *[name for name in proposed if name not in members]],
    )
    return {"candidates": candidates, "teams": teams, "team_needed": formed["needed"], "plan": plan}


STEPS: dict[str, StepFunction] = {
    AgentRun.Kind.SKILL_MATCH: skill_match,
    AgentRun.Kind.TEAM_FORMATION: team_formation,
    AgentRun.Kind.PROJECT_PLAN: project_plan,
    AgentRun.Kind.ASSEMBLE: assemble,
}
