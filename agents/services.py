"""Writes on agents: only the owner changes a custom agent; built-in agents are read-only
(except in the Django admin, where staff may switch one off)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from agents.models import TEMPERATURE_MAX, TEMPERATURE_MIN, Agent
from config.errors import DomainError, Forbidden, InvalidField, NotFound
from projects.models import Project

EDITABLE_FIELDS = (
    "name",
    "description",
    "system_prompt",
    "model",
    "temperature",
    "status",
    "visibility",
    "project",
)


def _ensure_can_share_with(*, user, project: Project) -> None:
    from projects.permissions import Role, access_for

    if access_for(user, project).role < Role.MEMBER:
        raise InvalidField("project", "You can only share an agent with a project you are a member of.")


def _check(*, user, agent: Agent) -> None:
    """The rules a serializer or form may not have checked (services are called from
    the admin and tests too)."""
    name = agent.name.strip()
    if not name:
        raise InvalidField("name", "Give the agent a name.")
    agent.name = name
    if not TEMPERATURE_MIN <= float(agent.temperature) <= TEMPERATURE_MAX:
        raise InvalidField(
            "temperature", f"Temperature is between {TEMPERATURE_MIN:g} and {TEMPERATURE_MAX:g}."
        )
    if agent.visibility == Agent.Visibility.PROJECT:
        if agent.project is None:
            raise InvalidField("project", "Choose the project to share the agent with.")
        _ensure_can_share_with(user=user, project=agent.project)
    else:
        agent.project = None


def agent_ensure_owner(*, user, agent: Agent) -> None:
    """Hidden agents are 404; visible but not one's own (built-in, shared) is 403."""
    if agent.is_builtin:
        raise Forbidden("Built-in agents cannot be changed.")
    if agent.owner_id != user.pk:
        from agents.selectors import agents_available_to

        if not agents_available_to(user).filter(pk=agent.pk).exists():
            raise NotFound("Agent not found.")
        raise Forbidden("Only the agent's owner can change it.")


@transaction.atomic
def agent_create(
    *,
    owner,
    name: str,
    description: str = "",
    system_prompt: str = "",
    model: str = "",
    temperature: float = 0.7,
    status: str = Agent.Status.ACTIVE,
    visibility: str = Agent.Visibility.PRIVATE,
    project: Project | None = None,
) -> Agent:
    agent = Agent(
        owner=owner,
        kind=Agent.Kind.CUSTOM,
        name=name,
        description=description,
        system_prompt=system_prompt,
        model=model.strip(),
        temperature=temperature,
        status=status,
        visibility=visibility,
        project=project,
    )
    _check(user=owner, agent=agent)
    agent.full_clean()
    agent.save()
    return agent


@transaction.atomic
def agent_update(*, user, agent: Agent, data: dict[str, Any]) -> Agent:
    """Change the fields in ``data`` (a subset of ``EDITABLE_FIELDS``); owner only."""
    agent_ensure_owner(user=user, agent=agent)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    previous_project_id = agent.project_id
    for field, value in data.items():
        setattr(agent, field, value.strip() if field == "model" else value)
    if data.get("visibility") == Agent.Visibility.PROJECT and "project" not in data:
        agent.project_id = previous_project_id
    _check(user=user, agent=agent)
    agent.full_clean()
    agent.save(update_fields=[*{*data, "name", "project"}, "updated_at"])
    return agent


@transaction.atomic
def agents_status_set(*, actor, agents: QuerySet[Agent], status: str) -> int:
    """Switch ``agents`` on or off, built-in ones included (staff only: the admin's
    actions). Returns how many agents changed."""
    if not getattr(actor, "is_staff", False):
        raise Forbidden("Only staff switch agents on or off.")
    if status not in Agent.Status.values:
        raise InvalidField("status", f"Choose one of: {', '.join(Agent.Status.values)}.")
    return agents.exclude(status=status).update(status=status, updated_at=timezone.now())


@transaction.atomic
def agent_delete(*, user, agent: Agent) -> None:
    agent_ensure_owner(user=user, agent=agent)
    agent.delete()
