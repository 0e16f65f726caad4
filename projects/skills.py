"""Required skills of a project, named in free text and resolved through the profiles
taxonomy (``profiles.services.skill_resolve``): "js" becomes JavaScript, an unknown name
becomes an unreviewed skill."""

from __future__ import annotations

from typing import TypedDict

from django.db.models import Prefetch, Q

from config.errors import DomainError
from profiles.models import ExperienceLevel, Skill, SkillAlias
from profiles.services import skill_resolve
from projects.models import Project, ProjectSkill

__all__ = ["RequiredSkill", "project_skills_set", "required_skills_prefetch", "skill_filter", "skill_resolve"]


MAX_REQUIRED_SKILLS = 30


class RequiredSkill(TypedDict, total=False):
    skill: str  # free text, required
    importance: str  # "must" (default) or "nice"
    min_level: str | None  # junior / mid / senior / lead, or empty


def _invalid(message: str) -> DomainError:
    return DomainError(message, type="validation_error", fields={"required_skills": [message]})


def project_skills_set(*, project: Project, items: list[RequiredSkill]) -> list[ProjectSkill]:
    """Replace the project's required skills with ``items`` (call inside a transaction).

    Names resolve through the taxonomy; two names for one skill collapse into the first.
    """
    for item in items:
        if item.get("importance", ProjectSkill.Importance.MUST) not in ProjectSkill.Importance.values:
            raise _invalid("Importance is “must” or “nice”.")
        if (item.get("min_level") or "") not in ("", *ExperienceLevel.values):
            raise _invalid("Minimum level is junior, mid, senior or lead.")
    if len(items) > MAX_REQUIRED_SKILLS:
        raise _invalid(f"List at most {MAX_REQUIRED_SKILLS} skills.")
    names = [str(item.get("skill") or "").strip() for item in items]
    if any(not name for name in names):
        raise _invalid("Every required skill needs a name.")
    rows: list[ProjectSkill] = []
    seen: set[int] = set()
    for item, name in zip(items, names, strict=True):
        skill = skill_resolve(name)  # a write: a few queries per skill is fine
        if skill.pk in seen:
            continue
        seen.add(skill.pk)
        rows.append(
            ProjectSkill(
                project=project,
                skill=skill,
                importance=item.get("importance") or ProjectSkill.Importance.MUST,
                min_level=item.get("min_level") or "",
                position=len(rows),
            )
        )
    ProjectSkill.objects.filter(project=project).delete()
    return ProjectSkill.objects.bulk_create(rows)


def required_skills_prefetch() -> Prefetch:
    return Prefetch("required_skills", queryset=ProjectSkill.objects.select_related("skill"))


def skill_filter(name: str) -> Q:
    """Projects requiring the skill that ``name`` names (canonical name, slug or alias)."""
    from profiles.taxonomy import skill_key

    key = skill_key(name)
    skills = Skill.objects.filter(
        Q(key=key)
        | Q(slug=name.strip().lower())
        | Q(pk__in=SkillAlias.objects.filter(key=key).values("skill_id"))
    )
    return Q(pk__in=ProjectSkill.objects.filter(skill__in=skills).values("project_id"))
