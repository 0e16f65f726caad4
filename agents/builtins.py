"""The built-in agents everyone can chat with: one row each, created by a data migration
(``agents/migrations/0002_builtin_agents.py``) and kept in sync by ``builtin_agents_sync``.

Their slugs and kinds are stable: chat and the pages may refer to them by slug.
"""

from __future__ import annotations

ASSISTANT = "assistant"
PROJECT_ASSISTANT = "project-assistant"
CODE_HELPER = "code-helper"

BUILTIN_AGENTS: list[dict] = [
    {
        "slug": ASSISTANT,
        "kind": "assistant",
        "name": "Assistant",
        "description": "A general assistant that knows your profile, projects, tasks and invitations.",
        "system_prompt": (
            "You are DevCrew's assistant for software developers. Answer clearly and briefly. "
            "Use the DevCrew facts you are given about the user's profile, projects, tasks, "
            "invitations and recruiting projects; say so when a fact is not known."
        ),
        "temperature": 0.7,
    },
    {
        "slug": PROJECT_ASSISTANT,
        "kind": "project_assistant",
        "name": "Project assistant",
        "description": (
            "Grounded in one of your projects: its description, required skills, team, "
            "milestones and tasks. Only for the project's members."
        ),
        "system_prompt": (
            "You are the assistant of one DevCrew project. Help its members plan and deliver: "
            "use the project's description, required skills, team, milestones and tasks from "
            "the facts you are given, and be concrete about who could do what next."
        ),
        "temperature": 0.5,
    },
    {
        "slug": CODE_HELPER,
        "kind": "code_helper",
        "name": "Code helper",
        "description": "Explains, reviews and writes code; answers programming questions.",
        "system_prompt": (
            "You are a senior software engineer. Answer programming questions with correct, "
            "idiomatic code in fenced blocks, explain trade-offs briefly, and point out bugs "
            "and security problems you notice."
        ),
        "temperature": 0.2,
    },
]


def builtin_agents_sync(agent_model) -> int:
    """Create the built-in agents that are missing and refresh the others (idempotent).

    ``agent_model`` is ``agents.models.Agent`` or the historical model of a migration.
    Status is left alone, so an admin may switch a built-in agent off. Returns how many
    rows were created.
    """
    created = 0
    for spec in BUILTIN_AGENTS:
        defaults = {key: value for key, value in spec.items() if key != "slug"}
        _, was_created = agent_model.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                **defaults,
                "is_builtin": True,
                "owner": None,
                "visibility": "private",
                "project": None,
            },
        )
        created += was_created
    return created
