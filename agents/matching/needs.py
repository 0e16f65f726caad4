"""Loading what projects need: required skills with the skills that cover them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from agents.matching.scoring import (
    PARTIAL_GENERAL,
    PARTIAL_SPECIFIC,
    PARTIAL_SPECIFIC_FAR,
    Needs,
    Requirement,
    person_window,
)
from profiles.models import Profile, Skill, SkillAlias
from profiles.working_hours import DEFAULT_END, DEFAULT_START, WorkingWindow
from projects.models import Project, ProjectSkill


def _expand(requirements: list[Requirement]) -> None:
    """Fill each requirement's ``credits``: the skill, its spellings, and related skills.

    Two queries whatever the size: the unreviewed skills whose key is an alias of a
    required skill (someone typed "k8s" before the alias existed), and the relation table
    of the taxonomy (a few hundred rows) for partial credit.
    """
    required_ids = [req.skill_id for req in requirements]
    variants: dict[int, list[int]] = defaultdict(list)
    for skill_id, canonical_id in (
        Skill.objects.filter(key__in=SkillAlias.objects.filter(skill_id__in=required_ids).values("key"))
        .annotate(canonical=Subquery(SkillAlias.objects.filter(key=OuterRef("key")).values("skill_id")[:1]))
        .values_list("pk", "canonical")
    ):
        variants[canonical_id].append(skill_id)
    general: dict[int, set[int]] = defaultdict(set)  # specific → general
    specific: dict[int, set[int]] = defaultdict(set)  # general → specific
    names: dict[int, str] = {}
    for from_id, to_id, from_name, to_name in Skill.related.through.objects.values_list(
        "from_skill_id", "to_skill_id", "from_skill__name", "to_skill__name"
    ):
        general[from_id].add(to_id)
        specific[to_id].add(from_id)
        names[from_id], names[to_id] = from_name, to_name
    for req in requirements:
        credits: dict[int, tuple[float, str | None]] = {}

        def offer(skill_id: int, credit: float, via: str | None, credits=credits) -> None:
            if credit > credits.get(skill_id, (0.0, None))[0]:
                credits[skill_id] = (credit, via)

        for child in specific.get(req.skill_id, ()):
            offer(child, PARTIAL_SPECIFIC, names[child])
            for grandchild in specific.get(child, ()):
                offer(grandchild, PARTIAL_SPECIFIC_FAR, names[grandchild])
        for parent in general.get(req.skill_id, ()):
            offer(parent, PARTIAL_GENERAL, names[parent])
        for variant in variants.get(req.skill_id, ()):
            offer(variant, 1.0, None)
        credits[req.skill_id] = (1.0, None)
        req.credits = credits


def project_needs(project: Project, *, on: date | None = None) -> Needs:
    """What ``project`` asks for (3-4 queries)."""
    requirements = [
        Requirement(
            skill_id=row.skill_id,
            name=row.skill.name,
            must=row.importance == ProjectSkill.Importance.MUST,
            min_level=row.min_level,
            category=row.skill.category,
        )
        for row in ProjectSkill.objects.filter(project=project)
        .select_related("skill")
        .order_by("position", "id")
    ]
    if requirements:
        _expand(requirements)
    window = None
    if project.timezone:
        window = WorkingWindow(project.timezone, DEFAULT_START, DEFAULT_END)
    else:
        owner = (
            Profile.objects.filter(user_id=project.owner_id)
            .values_list("timezone", "working_hours_start", "working_hours_end")
            .first()
        )
        if owner:
            window = person_window(*owner)
    return Needs(
        requirements=requirements,
        window=window,
        min_overlap=float(project.min_overlap_hours or 0),
        on=on or timezone.localdate(),
    )


def needs_for_projects(projects: Sequence[Project], *, on: date | None) -> dict[int, Needs]:
    """``project_needs`` for many projects in a constant number of queries."""
    by_project: dict[int, list[Requirement]] = defaultdict(list)
    for row in (
        ProjectSkill.objects.filter(project__in=projects).select_related("skill").order_by("position", "id")
    ):
        by_project[row.project_id].append(
            Requirement(
                skill_id=row.skill_id,
                name=row.skill.name,
                must=row.importance == ProjectSkill.Importance.MUST,
                min_level=row.min_level,
                category=row.skill.category,
            )
        )
    everything = [req for reqs in by_project.values() for req in reqs]
    if everything:
        _expand(everything)
    owners = {
        user_id: person_window(tz, start, end)
        for user_id, tz, start, end in Profile.objects.filter(
            user_id__in={p.owner_id for p in projects if not p.timezone}
        ).values_list("user_id", "timezone", "working_hours_start", "working_hours_end")
    }
    day = on or timezone.localdate()
    return {
        project.pk: Needs(
            requirements=by_project.get(project.pk, []),
            window=WorkingWindow(project.timezone, DEFAULT_START, DEFAULT_END)
            if project.timezone
            else owners.get(project.owner_id),
            min_overlap=float(project.min_overlap_hours or 0),
            on=day,
        )
        for project in projects
    }
