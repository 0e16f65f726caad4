"""What a run's page shows, built from the run's result JSON: candidate rows, each team's
skill-coverage heatmap (skills by people, with symbols and words so it reads without
colour), and the plan as a timeline of milestones over the weeks."""

from __future__ import annotations

from typing import Any

from agents.models import AgentRun
from agents.runs.selectors import run_can_manage

CELL = {
    "full": ("✓", "covers"),
    "partial": ("◐", "partly covers"),
    "": ("·", "does not cover"),
}


def heatmap(team: dict[str, Any]) -> dict[str, Any]:
    """Rows of required skills, a column per person (current members first)."""
    current = list(team.get("current_members") or [])
    proposed = [name for name in team.get("members") or [] if name not in current]
    people = [*current, *proposed]
    levels = team.get("coverage_levels") or {
        skill: dict.fromkeys(names, "full") for skill, names in (team.get("coverage") or {}).items()
    }
    skills = [*levels, *[skill for skill in team.get("uncovered") or [] if skill not in levels]]
    rows = []
    for skill in skills:
        cells = []
        for person in people:
            level = (levels.get(skill) or {}).get(person, "")
            symbol, words = CELL.get(level, CELL[""])
            cells.append({"level": level or "none", "symbol": symbol, "label": f"{person} {words} {skill}"})
        rows.append({"skill": skill, "cells": cells, "uncovered": skill in (team.get("uncovered") or [])})
    return {
        "people": [{"username": name, "proposed": name in proposed} for name in people],
        "rows": rows,
    }


def timeline(plan: dict[str, Any]) -> dict[str, Any]:
    milestones = plan.get("milestones") or []
    horizon = max([int(m.get("week_end") or 1) for m in milestones] or [1])
    tasks_by_milestone: dict[str, list[dict]] = {}
    for task in plan.get("tasks") or []:
        tasks_by_milestone.setdefault(str(task.get("milestone")), []).append(task)
    rows = []
    for milestone in milestones:
        start, end = int(milestone.get("week_start") or 1), int(milestone.get("week_end") or 1)
        tasks = tasks_by_milestone.get(str(milestone.get("title")), [])
        rows.append(
            {
                **milestone,
                "left": round((start - 1) / horizon * 100, 2),
                "width": round((end - start + 1) / horizon * 100, 2),
                "tasks": tasks,
                "hours": sum(float(t.get("estimate_hours") or 0) for t in tasks),
            }
        )
    return {"horizon": horizon, "weeks": list(range(1, horizon + 1)), "milestones": rows}


def run_page_context(run: AgentRun, *, user) -> dict[str, Any]:
    result = run.result or {}
    teams = [{**team, "heatmap": heatmap(team)} for team in result.get("teams") or []]
    can_manage = run_can_manage(user, run)
    applicable = run.status == AgentRun.Status.SUCCEEDED and ("plan" in result or bool(teams))
    return {
        "run": run,
        "candidates": result.get("candidates"),
        "teams": teams,
        "team_needed": result.get("team_needed"),
        "plan": timeline(result["plan"]) if result.get("plan") else None,
        "plan_raw": result.get("plan"),
        "can_apply": can_manage and applicable and run.applied_at is None,
        "can_cancel": can_manage and not run.is_finished,
        "applied": run.applied,
    }
