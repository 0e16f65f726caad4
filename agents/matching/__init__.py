"""The skill matcher: people for a project, and projects for a person.

Contract (pure and synchronous; ORM reads only, never a write; a constant number of
queries whatever the number of profiles):

- ``match_candidates(project, *, limit=20, exclude_usernames=())`` → candidates, best first::

    {"username", "score", "matched": [skill], "partial": [{"skill", "via"}], "missing": [skill],
     "overlap_hours", "components": {"skills", "experience", "overlap", "availability",
     "looking_for_team"}, "level", "availability_hours", "looking_for_team"}

- ``suggest_projects(user, *, limit=5)`` → ``{"project": slug, "title", "score", "matched",
  "partial", "missing", "overlap_hours", "components"}``, best first.

How a score is made (0-100; every component is in [0, 1], ``WEIGHTS`` sum to 1):

- ``skills``: the share of the requirement weight covered (must-haves weigh
  ``MUST_WEIGHT``, nice-to-haves 1). Holding the skill, or a spelling of it (an alias),
  counts fully; holding a more specific skill whose ``related`` general skill is required
  (Django for Python) counts ``PARTIAL_SPECIFIC``; the reverse (Python for Django) counts
  ``PARTIAL_GENERAL``.
- ``experience``: the same weighted share, each requirement scaled by how well the person
  meets its minimum level (their level and their years with that skill against
  ``LEVEL_YEARS``); a requirement without a minimum is met by anyone who has the skill.
- ``overlap``: daily working-hours overlap with the project's window (09:00-17:00 in the
  project's time zone, else the owner's working hours), DST-aware: the smallest overlap
  on the reference date and the same weekday of the next four weeks. Against the
  project's ``min_overlap_hours`` when set, else against ``OVERLAP_TARGET`` hours.
  Unknown working hours count as half.
- ``availability``: hours per week against ``AVAILABILITY_TARGET`` (unknown: half).
- ``looking_for_team``: 1 when the person says so.

Ties are broken by skills coverage, then username, so the same data always gives the
same order. Candidates are the active users with a public or members-only profile
holding at least one required skill (or a related one or an alias's skill) who are not
members of the project and have no open invitation to it; the prefilter runs in SQL and
only those rows reach Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from agents.matching.needs import needs_for_projects, project_needs
from agents.matching.people import (
    PROFILE_FIELDS,
    candidate_from_row,
    candidates_named,
    candidates_with_skills,
    eligible,
)
from agents.matching.ranking import top_user_ids
from agents.matching.scoring import (
    AVAILABILITY_TARGET,
    LEVEL_RANK,
    LEVEL_YEARS,
    MUST_WEIGHT,
    NICE_WEIGHT,
    OVERLAP_TARGET,
    OVERLAP_WEEKS,
    PARTIAL_GENERAL,
    PARTIAL_SPECIFIC,
    PARTIAL_SPECIFIC_FAR,
    WEIGHTS,
    Candidate,
    Needs,
    OverlapCache,
    Requirement,
    availability_component,
    overlap_component,
    person_window,
    ranked,
    requirement_fit,
    score,
)
from profiles.models import Profile, ProfileSkill, Skill, SkillAlias
from projects.models import Membership, Project, ProjectSkill

__all__ = [
    "AVAILABILITY_TARGET",
    "LEVEL_RANK",
    "LEVEL_YEARS",
    "MUST_WEIGHT",
    "NICE_WEIGHT",
    "OVERLAP_TARGET",
    "OVERLAP_WEEKS",
    "PARTIAL_GENERAL",
    "PARTIAL_SPECIFIC",
    "PARTIAL_SPECIFIC_FAR",
    "WEIGHTS",
    "Candidate",
    "Needs",
    "OverlapCache",
    "Requirement",
    "availability_component",
    "blank_candidate",
    "match_candidates",
    "match_scored",
    "overlap_component",
    "person_window",
    "project_needs",
    "ranked",
    "requirement_fit",
    "score",
    "suggest_projects",
]

SUGGESTED_STATUSES = (Project.Status.RECRUITING, Project.Status.IDEA, Project.Status.ACTIVE)


# -- Public API --------------------------------------------------------------------------------
def match_scored(
    project: Project,
    *,
    exclude_usernames: Iterable[str] = (),
    usernames: Iterable[str] | None = None,
    include_members: bool = False,
    on: date | None = None,
    needs: Needs | None = None,
    limit: int | None = None,
) -> tuple[Needs, list[Candidate]]:
    """Eligible candidates scored and ranked, with the project's needs (for team formation).

    ``limit`` keeps the best ``limit``, ranked in SQL (``ranking.top_user_ids``): the fast
    path. Without it every candidate is loaded and scored in Python. ``usernames``
    restricts the pool to those people, whether or not they hold a relevant skill;
    ``include_members`` lets members and invitees through (to score the current team);
    ``needs`` saves loading the project's needs again.
    """
    needs = needs or project_needs(project, on=on)
    if not needs.requirements and usernames is None:
        return needs, []

    def rule(prefix: str = "") -> Q:
        return eligible(
            project,
            prefix=prefix,
            include_members=include_members,
            exclude_usernames=exclude_usernames,
            usernames=usernames,
        )

    if usernames is not None:
        people = candidates_named(rule(), needs.relevant_skill_ids)
    elif limit is not None:
        ids = top_user_ids(needs, rule("profile__"), limit=limit)
        people = candidates_with_skills(Q(user_id__in=ids), needs.relevant_skill_ids) if ids else []
    else:
        people = candidates_with_skills(rule(), needs.relevant_skill_ids)
    overlaps = OverlapCache(needs.on)
    result = ranked(score(person, needs, overlaps) for person in people)
    return needs, result if limit is None else result[: max(0, limit)]


def blank_candidate(username: str) -> Candidate:
    """Someone without a visible profile (a member whose profile is private or missing):
    no skills, no known hours. Score it to get the per-requirement lists."""
    return Candidate(
        user_id=0,
        username=username,
        level="",
        timezone="",
        start=None,
        end=None,
        availability_hours=None,
        looking_for_team=False,
    )


def match_candidates(
    project: Project, *, limit: int = 20, exclude_usernames: Iterable[str] = (), on: date | None = None
) -> list[dict[str, Any]]:
    """The best ``limit`` people for ``project``, best first, each with its explanation."""
    _, candidates = match_scored(project, exclude_usernames=exclude_usernames, on=on, limit=max(0, limit))
    from agents.explanations import candidate_why

    result = []
    for candidate in candidates[: max(0, limit)]:
        item = candidate.as_dict()
        item["why"] = candidate_why(item)
        result.append(item)
    return result


def suggest_projects(user, *, limit: int = 5, on: date | None = None) -> list[dict[str, Any]]:
    """Public projects (recruiting, idea or active, not full) that need what ``user`` knows.

    The same score as ``match_candidates``, from the other side; a constant number of queries.
    """
    rows = list(
        Profile.objects.filter(user=user).values_list(*PROFILE_FIELDS)[:1]
    )  # one query, also when there is no profile
    if not rows:
        return []
    person = candidate_from_row(rows[0])
    for skill_id, years, name in ProfileSkill.objects.filter(profile__user=user).values_list(
        "skill_id", "years", "skill__name"
    ):
        person.years[skill_id] = years
        person.names[skill_id] = name
    if not person.years:
        return []
    held = set(person.years)
    # Skills a project might require that these skills cover: themselves, the canonical
    # skill of an unreviewed spelling, and related skills in either direction.
    relations = list(
        Skill.related.through.objects.filter(Q(from_skill_id__in=held) | Q(to_skill_id__in=held)).values_list(
            "from_skill_id", "to_skill_id"
        )
    )
    wanted = set(held) | {a for a, _ in relations} | {b for _, b in relations}
    wanted |= set(
        SkillAlias.objects.filter(key__in=Skill.objects.filter(pk__in=held).values("key")).values_list(
            "skill_id", flat=True
        )
    )
    memberships = Membership.objects.filter(project=OuterRef("pk"), user=user)
    projects = list(
        Project.objects.filter(visibility=Project.Visibility.PUBLIC, status__in=SUGGESTED_STATUSES)
        .filter(~Exists(memberships))
        .filter(Exists(ProjectSkill.objects.filter(project=OuterRef("pk"), skill_id__in=wanted)))
        .annotate(member_count=Count("memberships", distinct=True))
        .select_related("owner")
        .order_by("-created_at", "-id")[:500]
    )
    projects = [project for project in projects if project.member_count < project.team_size]
    if not projects:
        return []
    needs_by_project = needs_for_projects(projects, on=on)
    overlaps = OverlapCache(on or timezone.localdate())
    results = []
    for project in projects:
        needs = needs_by_project[project.pk]
        scored = score(_copy(person), needs, overlaps)
        results.append((scored, project))
    results.sort(key=lambda pair: (-pair[0].score, -pair[0].components["skills"], pair[1].slug))
    return [
        {
            "project": project.slug,
            "title": project.name,
            "score": scored.score,
            "matched": scored.matched,
            "partial": scored.partial,
            "missing": scored.missing,
            "overlap_hours": scored.overlap_hours,
            "components": scored.components,
        }
        for scored, project in results[: max(0, limit)]
    ]


def _copy(person: Candidate) -> Candidate:
    return Candidate(
        user_id=person.user_id,
        username=person.username,
        level=person.level,
        timezone=person.timezone,
        start=person.start,
        end=person.end,
        availability_hours=person.availability_hours,
        looking_for_team=person.looking_for_team,
        years=person.years,
        names=person.names,
    )
