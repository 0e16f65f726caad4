"""Reads: which agents a user may see and chat with.

A user sees the built-in agents, their own agents, and the agents shared with a project
they are a member of. Everything else is hidden: callers answer 404, never 403.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from agents.models import Agent
from config.errors import DomainError, NotFound
from projects.models import Membership, Project


class AgentInactive(DomainError):
    """The agent exists and is visible, but its owner switched it off.

    409: the request is well-formed; it conflicts with the agent's current state.
    """

    status_code = 409
    type = "agent_inactive"
    default_detail = "This agent is inactive; its owner must activate it before you can chat with it."


def _member_project_ids(user):
    return Membership.objects.filter(user=user).values("project_id")


def agents_available_to(user) -> QuerySet[Agent]:
    """Built-in agents, the user's own and those shared with the user's projects
    (active or not), with owner and project joined. Empty for anonymous users."""
    if user is None or not user.is_authenticated:
        return Agent.objects.none()
    return (
        Agent.objects.filter(
            Q(is_builtin=True)
            | Q(owner=user)
            | Q(visibility=Agent.Visibility.PROJECT, project_id__in=_member_project_ids(user))
        )
        .select_related("owner", "project")
        .order_by("-is_builtin", "name", "id")
    )


def agent_visible_to(*, user, agent_id) -> Agent:
    """One agent the user may see, or ``NotFound`` (also for ids that are not numbers)."""
    try:
        pk = int(agent_id)
    except (TypeError, ValueError):
        raise NotFound("Agent not found.") from None
    agent = agents_available_to(user).filter(pk=pk).first()
    if agent is None:
        raise NotFound("Agent not found.")
    return agent


def _project_of(project: Project | str | int) -> Project | None:
    if isinstance(project, Project):
        return project
    # isascii: "²" is a digit to str.isdigit(), not to int().
    if isinstance(project, int) or (isinstance(project, str) and project.isascii() and project.isdigit()):
        return Project.objects.filter(pk=int(project)).first()
    return Project.objects.filter(slug=str(project)).first()


def project_for_agent_chat(*, user, project: Project | str | int | None) -> Project:
    """The project a project assistant talks about: one the user is a member of
    (checked with ``projects.permissions``), else ``NotFound``. ``project`` is a
    Project, its slug or its id."""
    from projects.permissions import Role, access_for

    found = None if project is None or project == "" else _project_of(project)
    if found is None or access_for(user, found).role < Role.MEMBER:
        raise NotFound("Project not found.")
    return found


def agent_for_chat(*, user, agent_id, project: Project | str | int | None = None) -> Agent:
    """The agent ``user`` may start or continue a chat with.

    * ``NotFound`` (404) when the agent does not exist or is hidden from the user;
    * ``AgentInactive`` (409, type ``agent_inactive``) when it is switched off;
    * for a project assistant, ``project`` (a Project, slug or id) must be a project the
      user is a member of, else ``NotFound``; the resolved project is then available as
      ``agent.chat_project``. Other agents accept an optional ``project`` on the same
      terms; without one, an agent shared with a project gets that project when the user
      is a member of it (its owner may have left), else ``chat_project`` is None.

    Pass ``agent.chat_project`` to ``agents.fact_selectors.grounding_for(project=...)``.
    """
    agent = agent_visible_to(user=user, agent_id=agent_id)
    if not agent.is_active:
        raise AgentInactive()
    chat_project: Project | None = None
    if agent.needs_project or (project is not None and project != ""):
        chat_project = project_for_agent_chat(user=user, project=project)
    elif agent.project is not None:
        try:  # an agent shared with a project talks about it, to its members
            chat_project = project_for_agent_chat(user=user, project=agent.project)
        except NotFound:
            chat_project = None
    agent.chat_project = chat_project
    return agent
