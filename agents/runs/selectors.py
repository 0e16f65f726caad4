"""Who sees which run: its owner and the maintainers (and owner) of its project.

Everyone else is told the run does not exist (404), unless the project itself is
visible to them, in which case they are told they may not (403), as for every
maintainer-only thing of a visible project.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from agents.models import AgentRun
from config.errors import Forbidden, NotFound
from projects.models import Membership
from projects.permissions import Action, Role, access_for

MANAGING_ROLES = (Membership.Role.OWNER, Membership.Role.MAINTAINER)


def runs_of_owner(user) -> QuerySet[AgentRun]:
    """The runs ``user`` started (the "my runs" list)."""
    return AgentRun.objects.filter(owner=user).select_related("project", "owner")


def runs_visible_to(user) -> QuerySet[AgentRun]:
    if not user.is_authenticated:
        return AgentRun.objects.none()
    qs = AgentRun.objects.select_related("project", "owner")
    if user.is_superuser:
        return qs
    managed = Membership.objects.filter(user=user, role__in=MANAGING_ROLES).values("project_id")
    return qs.filter(Q(owner=user) | Q(project_id__in=managed))


def run_can_manage(user, run: AgentRun) -> bool:
    """May ``user`` watch, cancel or apply ``run``? (The owner, or a project maintainer.)"""
    if not user.is_authenticated:
        return False
    if run.owner_id == user.pk:
        return True
    return access_for(user, run.project).role >= Role.MAINTAINER


def run_for(*, user, run_id) -> AgentRun:
    """The run ``user`` may see, or ``NotFound`` / ``Forbidden`` as the module says."""
    try:
        run = AgentRun.objects.select_related("project", "owner").get(pk=int(run_id))
    except (AgentRun.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFound("Run not found.") from exc
    if run_can_manage(user, run):
        return run
    if access_for(user, run.project).can(Action.VIEW):
        raise Forbidden("Only the project's maintainers can see its agent runs.")
    raise NotFound("Run not found.")
