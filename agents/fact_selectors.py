"""Selectors of the facts an assistant may rely on: read from the database what ``user``
may see and return it as a ``Grounding`` (the shapes of ``agents.llm.facts``).

    from agents.fact_selectors import grounding_for

    grounding = await database_sync_to_async(grounding_for)(user=user, project=agent.chat_project)

Sync ORM only; call it through ``database_sync_to_async`` from async code. It issues a
bounded, constant number of queries whatever the number of projects, tasks or skills
(at most 6 for the user's facts, 7 more with a project), and caps every list so the
facts stay small enough for a model's context.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Case, F, Value, When, Window
from django.db.models.functions import RowNumber

from agents.llm.facts import (
    Grounding,
    InvitationFact,
    MemberFact,
    MilestoneFact,
    ProjectDetail,
    ProjectFact,
    RecruitingFact,
    TaskFact,
)
from profiles.models import Profile, ProfileSkill
from profiles.selectors import profile_visible_to
from projects.models import Membership, Project, ProjectSkill, Task

MAX_PROJECTS = 20
MAX_OPEN_TASKS_PER_PROJECT = 5
MAX_INVITATIONS = 10
MAX_RECRUITING = 10
MAX_RECRUITING_ROWS = 300
MAX_TEAM = 50
MAX_MEMBER_SKILLS = 8
MAX_MILESTONES = 30
MAX_PROJECT_TASKS = 60


def person_name(user, *, viewer=None) -> str:
    """The profile's display name, else the full name, else the username (no query when
    ``profile`` was joined with ``select_related``). Told to ``viewer``, someone else whose
    profile ``viewer`` may not see is only their username."""
    if user is None:
        return ""
    try:
        profile = user.profile
    except ObjectDoesNotExist:
        profile = None
    if (
        viewer is not None
        and user.pk != viewer.pk
        and (profile is None or not profile_visible_to(profile, viewer))
    ):
        return user.username
    if profile is not None and profile.display_name:
        return profile.display_name
    return user.get_full_name() or user.username


def grounding_for(*, user, project: Project | str | None = None) -> Grounding:
    """The facts about ``user`` (name, skills, projects with their open tasks, open
    invitations, public projects recruiting for the user's skills) and, when ``project``
    (a Project or its slug) is given and the user is a member of it, the project's detail.

    A non-member, or an unknown slug, gets no project detail (never an error: callers
    decide access before, see ``agents.selectors.agent_for_chat``).
    """
    if user is None or not user.is_authenticated:
        return Grounding()
    name, skill_rows = _user_name_and_skills(user)
    grounding = Grounding(
        user_name=name,
        skills=[row.skill.name for row in skill_rows],
        projects=_projects(user),
        invitations=_invitations(user),
        recruiting=_recruiting(user, [row.skill_id for row in skill_rows]),
    )
    if project is not None:
        grounding.project = project_detail_for(user=user, project=project)
    return grounding


def _user_name_and_skills(user) -> tuple[str, list[ProfileSkill]]:
    profile = Profile.objects.filter(user=user).only("id", "display_name").first()
    if profile is None:
        return user.get_full_name() or user.username, []
    rows = list(ProfileSkill.objects.filter(profile=profile).select_related("skill"))
    return profile.display_name or user.get_full_name() or user.username, rows


def _task_fact(task: Task, *, viewer) -> TaskFact:
    milestone = task.milestone
    return TaskFact(
        title=task.title,
        status=task.status,
        assignee=person_name(task.assignee, viewer=viewer) if task.assignee_id else None,
        due=milestone.due_date.isoformat() if milestone and milestone.due_date else None,
        milestone=milestone.title if milestone else None,
    )


def _projects(user) -> list[ProjectFact]:
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("project")
        .order_by("-project__updated_at", "-id")[:MAX_PROJECTS]
    )
    if not memberships:
        return []
    # The open tasks of each project, the user's own first: a window function keeps the
    # top few per project in one query, whatever the number of projects.
    tasks = (
        Task.objects.filter(project_id__in=[m.project_id for m in memberships])
        .exclude(status=Task.Status.DONE)
        .select_related("assignee", "assignee__profile", "milestone")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("project_id")],
                order_by=[
                    Case(When(assignee=user, then=Value(0)), default=Value(1)).asc(),
                    F("priority").desc(),
                    F("created_at").asc(),
                    F("id").asc(),
                ],
            ),
        )
        .filter(rank__lte=MAX_OPEN_TASKS_PER_PROJECT)
        .order_by("project_id", "rank")
    )
    open_tasks: dict[int, list[TaskFact]] = defaultdict(list)
    for task in tasks:
        open_tasks[task.project_id].append(_task_fact(task, viewer=user))
    return [
        ProjectFact(
            name=m.project.name,
            slug=m.project.slug,
            status=m.project.status,
            role=m.role,
            open_tasks=open_tasks.get(m.project_id, []),
        )
        for m in memberships
    ]


def _invitations(user) -> list[InvitationFact]:
    from projects.selectors import invitations_open_for_user

    return [
        InvitationFact(
            project_name=invitation.project.name,
            project_slug=invitation.project.slug,
            invited_by=person_name(invitation.invited_by, viewer=user) if invitation.invited_by_id else None,
        )
        for invitation in invitations_open_for_user(user).select_related("invited_by__profile")[
            :MAX_INVITATIONS
        ]
    ]


def _recruiting(user, skill_ids: list[int]) -> list[RecruitingFact]:
    """Public projects in status "recruiting" that the user is not in yet and that need
    at least one of the user's skills; the most matching skills first, then the newest."""
    if not skill_ids:
        return []
    rows = (
        ProjectSkill.objects.filter(
            skill_id__in=skill_ids,
            project__status=Project.Status.RECRUITING,
            project__visibility=Project.Visibility.PUBLIC,
        )
        .exclude(project_id__in=Membership.objects.filter(user=user).values("project_id"))
        .select_related("project", "skill")
        .order_by("-project__created_at", "project_id", "position", "id")[:MAX_RECRUITING_ROWS]
    )
    projects: dict[int, RecruitingFact] = {}
    for row in rows:
        fact = projects.get(row.project_id)
        if fact is None:
            fact = projects[row.project_id] = RecruitingFact(name=row.project.name, slug=row.project.slug)
        fact.matching_skills.append(row.skill.name)
    ranked = sorted(projects.values(), key=lambda fact: -len(fact.matching_skills))  # stable: newest first
    return ranked[:MAX_RECRUITING]


def project_detail_for(*, user, project: Project | str) -> ProjectDetail | None:
    """The detail of ``project`` (a Project or its slug) for one of its members, else None.

    Membership is decided by ``projects.permissions`` (superusers act as owners)."""
    from projects.permissions import Role, access_for
    from projects.selectors import members_of, milestones_of

    if not isinstance(project, Project):
        found = Project.objects.filter(slug=str(project)).first()
        if found is None:
            return None
        project = found
    if access_for(user, project).role < Role.MEMBER:
        return None

    required = [
        row.skill.name
        for row in ProjectSkill.objects.filter(project=project)
        .select_related("skill")
        .order_by("importance", "position", "id")  # "must" sorts before "nice"
    ]
    # A teammate whose profile ``user`` may not see (private) is named by username only,
    # without skills: the assistant must not tell what the profile page would not.
    memberships = list(members_of(project, viewer=user)[:MAX_TEAM])
    member_skills: dict[int, list[str]] = defaultdict(list)
    for row in (
        ProfileSkill.objects.filter(
            profile__user_id__in=[m.user_id for m in memberships if m.profile_shown],  # type: ignore[attr-defined]
            kind=ProfileSkill.Kind.PRIMARY,
        )
        .select_related("skill", "profile")
        .order_by("profile_id", "position", "id")
    ):
        skills = member_skills[row.profile.user_id]
        if len(skills) < MAX_MEMBER_SKILLS:
            skills.append(row.skill.name)
    milestones = [
        MilestoneFact(
            title=milestone.title,
            due=milestone.due_date.isoformat() if milestone.due_date else None,
            # task_count / done_count are annotations of ``milestones_of``.
            status="done" if 0 < milestone.task_count == milestone.done_count else "open",  # type: ignore[attr-defined]
        )
        for milestone in milestones_of(project)[:MAX_MILESTONES]
    ]
    tasks = (
        Task.objects.filter(project=project)
        .select_related("assignee", "assignee__profile", "milestone")
        .annotate(done_last=Case(When(status=Task.Status.DONE, then=Value(1)), default=Value(0)))
        .order_by("done_last", "-priority", "created_at", "id")[:MAX_PROJECT_TASKS]
    )
    return ProjectDetail(
        name=project.name,
        slug=project.slug,
        description=project.description or project.summary,
        status=project.status,
        required_skills=required,
        team=[
            MemberFact(
                name=person_name(m.user, viewer=user),
                role=m.role,
                skills=member_skills.get(m.user_id, []),
            )
            for m in memberships
        ],
        milestones=milestones,
        tasks=[_task_fact(task, viewer=user) for task in tasks],
    )


__all__ = ["grounding_for", "person_name", "project_detail_for"]
