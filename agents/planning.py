"""The project planner: milestones and tasks for a project, for its team.

Contract (synchronous; ORM reads only)::

    plan_project(project, *, horizon_weeks=8, team_usernames=None)
    → {"milestones": [{"title", "goal", "week_start", "week_end"}],
       "tasks": [{"title", "description", "milestone", "estimate_hours", "skill", "assignee"}]}

The result always validates against ``PLAN_SCHEMA``, every required skill appears in at
least one task, each task's ``milestone`` is the title of one of the milestones, weeks lie
within ``1..horizon_weeks``, and every assignee is one of the team (the project's members,
or ``team_usernames`` when given, e.g. the team proposed inside an ``assemble`` run) or
null.

Providers: with the ``openai`` provider the model writes the plan through structured
output (the schema, with the team as the assignee enum), with the one repair retry of
``complete_json``; small slips the schema cannot express (a task naming a milestone that
does not exist, an assignee outside the team, a required skill left out) are then fixed
deterministically rather than failing the run. Output still invalid after the repair
raises ``PlanError`` (a readable, non-retryable DomainError); transient provider failures
propagate as ``agents.llm.errors.LLMError`` subclasses so the caller may retry them. The
``offline`` provider builds the plan here from the description and required skills:
set-up, one stream of work per skill area, integration, testing, launch; assignees by
skill, then by load.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from asgiref.sync import async_to_sync
from django.db.models import Q

from agents.llm import LLMInvalidOutput, Message, get_provider
from agents.llm.json_output import schema_validator
from agents.matching import Candidate, OverlapCache, Requirement, blank_candidate, match_scored, score
from config.errors import DomainError
from profiles.models import Skill
from profiles.taxonomy import skill_key
from projects.models import Membership, Project

MAX_HORIZON_WEEKS = 52
MAX_FEATURES = 8
GOOD_ENOUGH = 0.15  # a member within this much of the best credit for a skill may take its task
MAX_DESCRIPTION_CHARS = 4000

PLAN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["milestones", "tasks"],
    "properties": {
        "milestones": {
            "type": "array",
            "minItems": 1,
            "maxItems": 20,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title", "goal", "week_start", "week_end"],
                "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": 200},
                    "goal": {"type": "string", "maxLength": 2000},
                    "week_start": {"type": "integer", "minimum": 1, "maximum": MAX_HORIZON_WEEKS},
                    "week_end": {"type": "integer", "minimum": 1, "maximum": MAX_HORIZON_WEEKS},
                },
            },
        },
        "tasks": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title", "description", "milestone", "estimate_hours", "skill", "assignee"],
                "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": 200},
                    "description": {"type": "string", "maxLength": 4000},
                    "milestone": {"type": "string", "minLength": 1, "maxLength": 200},
                    "estimate_hours": {"type": "number", "exclusiveMinimum": 0, "maximum": 500},
                    "skill": {"type": ["string", "null"], "maxLength": 80},
                    "assignee": {"type": ["string", "null"], "maxLength": 150},
                },
            },
        },
    },
}

AREAS = {
    "language": "Application",
    "framework": "Application",
    "database": "Data storage",
    "devops": "Infrastructure and delivery",
    "data": "Data and ML",
    "design": "Design and UX",
    "mobile": "Mobile app",
    "testing": "Quality",
    "other": "Other work",
}


class PlanError(DomainError):
    """The planner could not produce a valid plan (the AI model's output stayed invalid)."""

    status_code = 502
    type = "plan_invalid"
    default_detail = "The planner could not produce a valid plan."
    retryable = False


@dataclass
class PlanContext:
    project: Project
    horizon: int
    requirements: list[Requirement]
    team: list[Candidate]  # in the order given (members: by joining date)
    features: list[str]  # from the description; read here because offline_plan runs in async code


def plan_context(
    project: Project, *, horizon_weeks: int = 8, team_usernames: Iterable[str] | None = None
) -> PlanContext:
    horizon = max(1, min(MAX_HORIZON_WEEKS, int(horizon_weeks)))
    members = list(
        Membership.objects.filter(project=project)
        .order_by("joined_at", "id")
        .values_list("user__username", flat=True)
    )
    names = members if team_usernames is None else list(dict.fromkeys(team_usernames))
    needs, scored = match_scored(project, usernames=names, include_members=True)
    # Members without a visible profile still take tasks that need no particular skill.
    by_name = {c.username: c for c in scored}
    overlaps = OverlapCache(needs.on)
    team = [
        by_name.get(name) or score(blank_candidate(name), needs, overlaps)
        for name in names
        if name in by_name or name in members
    ]
    return PlanContext(
        project=project,
        horizon=horizon,
        requirements=needs.requirements,
        team=team,
        features=description_features(project.description),
    )


def plan_project(
    project: Project, *, horizon_weeks: int = 8, team_usernames: Iterable[str] | None = None
) -> dict[str, Any]:
    """A validated plan for ``project`` (see the module docstring)."""
    context = plan_context(project, horizon_weeks=horizon_weeks, team_usernames=team_usernames)
    provider = get_provider()
    schema = plan_schema(context)
    try:
        result = async_to_sync(provider.complete_json)(
            messages=plan_messages(context),
            schema=schema,
            schema_name="project_plan",
            temperature=0.2,
            offline_result=lambda: offline_plan(context),
        )
    except LLMInvalidOutput as exc:
        listed = "; ".join(exc.problems[:3]) or exc.detail
        raise PlanError(
            f"The AI model did not produce a valid plan, even after being asked to correct it ({listed}). "
            "Try again, or switch to the offline planner."
        ) from exc
    plan = normalise(result.data, context)
    problems = sorted(error.message for error in schema_validator(PLAN_SCHEMA).iter_errors(plan))
    if problems:  # normalise() keeps plans valid; this guards against a bug there
        raise PlanError(f"The plan is not valid: {problems[0]}.")
    return plan


# -- Asking the model ----------------------------------------------------------------------------
def plan_schema(context: PlanContext) -> dict[str, Any]:
    """``PLAN_SCHEMA`` narrowed to this project: weeks within the horizon, assignees from the team."""
    schema = copy.deepcopy(PLAN_SCHEMA)
    milestone = schema["properties"]["milestones"]["items"]["properties"]
    milestone["week_start"]["maximum"] = context.horizon
    milestone["week_end"]["maximum"] = context.horizon
    task = schema["properties"]["tasks"]["items"]["properties"]
    task["assignee"] = {"enum": [*(c.username for c in context.team), None]}
    return schema


def plan_messages(context: PlanContext) -> list[Message]:
    project = context.project
    facts = {
        "project": project.name,
        "summary": project.summary,
        "description": (project.description or "")[:MAX_DESCRIPTION_CHARS],
        "horizon_weeks": context.horizon,
        "required_skills": [
            {
                "skill": req.name,
                "importance": "must" if req.must else "nice",
                "min_level": req.min_level or None,
            }
            for req in context.requirements
        ],
        "team": [
            {
                "username": member.username,
                "level": member.level or None,
                "hours_per_week": member.availability_hours,
                "skills": sorted(member.names.values()),
            }
            for member in context.team
        ],
    }
    return [
        {
            "role": "system",
            "content": (
                "You are DevCrew's project planner. Plan the project's next weeks as milestones "
                "(week_start..week_end, weeks numbered from 1 to horizon_weeks) and concrete tasks. "
                "Every required skill must appear as the skill of at least one task; each task's "
                "milestone is the exact title of one of your milestones; assign tasks only to team "
                "members whose skills fit (null when nobody fits); estimates are in hours and must fit "
                "the members' weekly hours."
            ),
        },
        {"role": "user", "content": json.dumps(facts, ensure_ascii=False)},
    ]


# -- Making any plan consistent ------------------------------------------------------------------
def normalise(raw: dict[str, Any], context: PlanContext) -> dict[str, Any]:
    """A consistent plan from a schema-valid one: weeks in range, milestones that exist,
    team assignees chosen by skill, and a task for every required skill."""
    horizon = context.horizon
    milestones: list[dict[str, Any]] = []
    titles: dict[str, str] = {}
    for item in raw["milestones"]:
        title = " ".join(str(item["title"]).split())[:200] or "Milestone"
        base, suffix = title, 2
        while title.casefold() in titles:
            title, suffix = f"{base} ({suffix})"[:200], suffix + 1
        titles[title.casefold()] = title
        start = max(1, min(horizon, int(item["week_start"])))
        end = max(1, min(horizon, int(item["week_end"])))
        milestones.append(
            {
                "title": title,
                "goal": str(item.get("goal") or ""),
                "week_start": min(start, end),
                "week_end": max(start, end),
            }
        )
    by_key = {skill_key(req.name): req.name for req in context.requirements}
    tasks: list[dict[str, Any]] = []
    for item in raw["tasks"]:
        skill = item.get("skill")
        if skill:
            skill = by_key.get(skill_key(skill), " ".join(str(skill).split())[:80])
        tasks.append(
            {
                "title": " ".join(str(item["title"]).split())[:200] or "Task",
                "description": str(item.get("description") or ""),
                "milestone": _closest_title(str(item["milestone"]), titles, milestones),
                "estimate_hours": float(item["estimate_hours"]),
                "skill": skill or None,
                "assignee": item.get("assignee"),
            }
        )
    covered = {skill_key(t["skill"]) for t in tasks if t["skill"]}
    build = _build_milestone(milestones)
    for req in context.requirements:
        if skill_key(req.name) not in covered:
            tasks.append(
                {
                    "title": f"{req.name}: build the parts that need it",
                    "description": f"The plan had no task for {req.name}, which the project requires.",
                    "milestone": build,
                    "estimate_hours": 8.0,
                    "skill": req.name,
                    "assignee": None,
                }
            )
    _assign(tasks, context)
    return {"milestones": milestones, "tasks": tasks}


def _closest_title(name: str, titles: dict[str, str], milestones: list[dict[str, Any]]) -> str:
    folded = " ".join(name.split()).casefold()
    if folded in titles:
        return titles[folded]
    close = difflib.get_close_matches(folded, list(titles), n=1, cutoff=0.6)
    return titles[close[0]] if close else _build_milestone(milestones)


def _build_milestone(milestones: list[dict[str, Any]]) -> str:
    """The milestone most in the middle of the plan: where an unplaced task goes."""
    middle = len(milestones) // 2 if len(milestones) > 2 else 0
    return milestones[middle]["title"]


def _assign(tasks: list[dict[str, Any]], context: PlanContext) -> None:
    """Keep assignees that are in the team and fit; give the others by skill, then load."""
    team = {member.username: member for member in context.team}
    index_of = {skill_key(req.name): index for index, req in enumerate(context.requirements)}
    load: dict[str, float] = defaultdict(float)

    def relative_load(member: Candidate) -> float:
        return load[member.username] / max(1, member.availability_hours or 10)

    for task in tasks:
        if task["assignee"] is not None and task["assignee"] not in team:
            task["assignee"] = None
    for task in tasks:  # the model's (or an earlier pass's) choices count towards load
        if task["assignee"]:
            load[task["assignee"]] += task["estimate_hours"]
    for task in tasks:
        if task["assignee"] or not team:
            continue
        index = index_of.get(skill_key(task["skill"])) if task["skill"] else None
        if index is not None:
            able = [m for m in team.values() if m.coverage and m.coverage[index] > 0]
            if not able:
                continue  # nobody on the team has it: left for someone to pick up
            # Anyone close to the best fit will do: then the least loaded takes it.
            best = max(m.credits[index] for m in able)
            good = [m for m in able if m.credits[index] >= best - GOOD_ENOUGH]
            chosen = min(good, key=lambda m: (relative_load(m), -m.credits[index], m.username))
        else:
            chosen = min(team.values(), key=lambda m: (relative_load(m), m.username))
        task["assignee"] = chosen.username
        load[chosen.username] += task["estimate_hours"]


# -- The offline plan ----------------------------------------------------------------------------
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(?P<text>.+?)\s*$")


def description_features(description: str) -> list[str]:
    """The bullet points of a Markdown description: the features worth a task each.

    Bullets that only name a skill ("**Go** (must)", a list of what the project needs)
    are not features and are left out (one query for all of them).
    """
    bullets = []
    for line in (description or "").splitlines():
        match = _BULLET.match(line)
        if match:
            text = re.sub(r"[*_`]+", "", match.group("text")).strip().rstrip(".")
            if text and text not in bullets:
                bullets.append(text[:150])
    if not bullets:
        return []
    keys = {bullet: skill_key(re.sub(r"\([^)]*\)", "", bullet)) for bullet in bullets}
    wanted = set(keys.values())
    known: set[str] = set()
    for key, alias_key in Skill.objects.filter(Q(key__in=wanted) | Q(aliases__key__in=wanted)).values_list(
        "key", "aliases__key"
    ):
        known |= {key, alias_key or ""}
    return [bullet for bullet in bullets if keys[bullet] not in known][:MAX_FEATURES]


def _phases(horizon: int) -> dict[str, tuple[int, int]]:
    """Week ranges of the five phases; on short horizons phases share weeks."""

    def at(fraction: float) -> int:
        return max(1, min(horizon, round(horizon * fraction)))

    setup_end = at(0.15)
    build_end = max(setup_end, at(0.6))
    integration_end = max(build_end, at(0.75))
    testing_end = max(integration_end, at(0.9))

    def span(after: int, end: int) -> tuple[int, int]:
        start = min(after + 1, horizon)
        return start, max(start, end)

    return {
        "setup": (1, setup_end),
        "build": span(setup_end, build_end),
        "integration": span(build_end, integration_end),
        "testing": span(integration_end, testing_end),
        "launch": span(testing_end, horizon),
    }


def offline_plan(context: PlanContext) -> dict[str, Any]:
    """A deterministic plan from the description and required skills (see module docstring)."""
    project = context.project
    phases = _phases(context.horizon)
    build_weeks = phases["build"][1] - phases["build"][0] + 1
    streams: dict[str, list[Requirement]] = {}
    for req in context.requirements:
        streams.setdefault(AREAS.get(req.category, AREAS["other"]), []).append(req)
    milestones = [
        {
            "title": "Set-up",
            "goal": f"Everyone can build, run and test {project.name}; "
            "the scope of the first release is agreed.",
            "week_start": phases["setup"][0],
            "week_end": phases["setup"][1],
        }
    ]
    tasks = [
        _task(
            "Set up the repository, CI and development environment",
            "Set-up",
            6,
            "A repository with a README, a one-command local setup and CI running the tests on every push.",
        ),
        _task(
            "Agree the scope and architecture of the first release",
            "Set-up",
            4,
            f"Write down what the first release of {project.name} does and how its parts fit together.",
        ),
    ]
    stream_titles = []
    for area, reqs in streams.items():
        title = f"{area}: {', '.join(req.name for req in reqs)}"[:200]
        stream_titles.append(title)
        milestones.append(
            {
                "title": title,
                "goal": f"{area} work of the first release, done with {', '.join(req.name for req in reqs)}.",
                "week_start": phases["build"][0],
                "week_end": phases["build"][1],
            }
        )
        for req in reqs:
            hours = float(max(6, min(40, (4 if req.must else 2) * build_weeks)))
            level = f" (at least {req.min_level} level)" if req.min_level else ""
            tasks.append(
                _task(
                    f"{req.name}: build the core of the {area} work",
                    title,
                    hours,
                    f"The {'must-have' if req.must else 'nice-to-have'} {req.name}{level} part "
                    f"of {project.name}.",
                    skill=req.name,
                )
            )
    if not stream_titles:
        stream_titles.append("Build")
        milestones.append(
            {
                "title": "Build",
                "goal": "Build the first release.",
                "week_start": phases["build"][0],
                "week_end": phases["build"][1],
            }
        )
    features = context.features or ([project.summary.rstrip(".")] if project.summary else [])
    for index, feature in enumerate(features):
        title = stream_titles[index % len(stream_titles)]
        skill = next((req.name for req in streams.get(title.split(":")[0], [])), None)
        tasks.append(
            _task(
                f"Implement: {feature}"[:200],
                title,
                8,
                f"From the project description: {feature}.",
                skill=skill,
            )
        )
    must = [req.name for req in context.requirements if req.must]
    for key, title, goal, items in (
        (
            "integration",
            "Integration",
            "The parts work together end to end.",
            [
                ("Connect the parts and run the main user journey end to end", 8),
                ("Review and merge the open work; fix integration bugs", 6),
            ],
        ),
        (
            "testing",
            "Testing",
            "The first release is tested and its known bugs are fixed.",
            [
                ("Write end-to-end tests of the main journeys", 8),
                (f"Test and fix: {', '.join(must)}" if must else "Test and fix the first release", 6),
            ],
        ),
        (
            "launch",
            "Launch",
            f"{project.name}'s first release is out and people can use it.",
            [
                ("Deploy the first release and write the release notes", 4),
                ("Collect feedback and plan the next iteration", 2),
            ],
        ),
    ):
        milestones.append(
            {"title": title, "goal": goal, "week_start": phases[key][0], "week_end": phases[key][1]}
        )
        tasks += [_task(text[:200], title, hours, goal) for text, hours in items]
    plan = {"milestones": milestones, "tasks": tasks}
    _assign(plan["tasks"], context)
    return plan


def _task(
    title: str, milestone: str, hours: float, description: str, *, skill: str | None = None
) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "milestone": milestone,
        "estimate_hours": float(hours),
        "skill": skill,
        "assignee": None,
    }
