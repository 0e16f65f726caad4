"""Demo agents for `make run`: a few custom agents of the ``demo`` user (idempotent)."""

from typing import Any

from accounts.models import User
from agents.builtins import builtin_agents_sync
from agents.models import Agent
from agents.services import agent_create
from projects.models import Membership

DEMO_AGENTS: list[dict[str, Any]] = [
    {
        "name": "Code reviewer",
        "description": "Reviews diffs for bugs, readability and missing tests.",
        "system_prompt": (
            "You are a meticulous senior reviewer. For each change, list bugs first, then "
            "security issues, then readability; suggest the missing tests. Be specific and kind."
        ),
        "temperature": 0.2,
    },
    {
        "name": "Standup writer",
        "description": "Turns my open tasks into a short daily standup note.",
        "system_prompt": (
            "Write a three-part standup (yesterday, today, blockers) from the user's open "
            "tasks. Keep it under 80 words."
        ),
        "temperature": 0.5,
        "status": Agent.Status.INACTIVE,
    },
]
SHARED_AGENT: dict[str, Any] = {
    "name": "Team onboarding buddy",
    "description": "Helps new members find their way around our project.",
    "system_prompt": (
        "You welcome new members of the project: explain its goal, who does what, and a good "
        "first task for someone with their skills."
    ),
    "temperature": 0.6,
}


def seed(stdout) -> None:
    builtin_agents_sync(Agent)
    demo = User.objects.filter(username="demo").first()
    if demo is None:
        stdout.write("Demo agents: skipped (no demo user)")
        return
    specs: list[dict[str, Any]] = [dict(spec) for spec in DEMO_AGENTS]
    membership = Membership.objects.filter(user=demo).select_related("project").order_by("joined_at").first()
    if membership is not None:
        specs.append({**SHARED_AGENT, "visibility": Agent.Visibility.PROJECT, "project": membership.project})
    created = 0
    for spec in specs:
        if not Agent.objects.filter(owner=demo, name=spec["name"]).exists():
            agent_create(owner=demo, **spec)
            created += 1
    stdout.write(f"Demo agents: {len(specs)} for demo ({created} created)")
