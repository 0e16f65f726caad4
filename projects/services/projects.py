"""Create, edit and delete projects, and set the skills they require."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from typing import TypedDict

from django.db import transaction
from django.utils.text import slugify

from config.errors import DomainError, InvalidField
from profiles.markdown import markdown_update_fields
from profiles.models import ExperienceLevel
from profiles.services import skill_resolve
from projects.models import Membership, Project, ProjectSkill
from projects.permissions import Action, ensure

# Slugs that would shadow pages under /projects/ or /api/v1/projects/.
RESERVED_SLUGS = {"new", "shared", "invitations", "join-requests", "notifications", "mine", "search"}

# What project_update changes (besides required_skills); the page's form and the API
# offer these fields, in this order.
EDITABLE_FIELDS = (
    "name",
    "summary",
    "description",
    "status",
    "visibility",
    "team_size",
    "timezone",
    "min_overlap_hours",
    "repository_url",
    "tags",
)


MAX_REQUIRED_SKILLS = 30


class RequiredSkill(TypedDict, total=False):
    skill: str  # free text, required
    importance: str  # "must" (default) or "nice"
    min_level: str | None  # junior / mid / senior / lead, or empty


@transaction.atomic
def project_skills_set(*, project: Project, items: list[RequiredSkill]) -> list[ProjectSkill]:
    """Replace the project's required skills with ``items``.

    Names resolve through the profiles taxonomy ("js" becomes JavaScript, an unknown name
    an unreviewed skill); two names for one skill collapse into the first. The caller has
    checked the actor may edit the project (``project_create`` / ``project_update`` do).
    """
    for item in items:
        if item.get("importance", ProjectSkill.Importance.MUST) not in ProjectSkill.Importance.values:
            raise InvalidField("required_skills", "Importance is “must” or “nice”.")
        if (item.get("min_level") or "") not in ("", *ExperienceLevel.values):
            raise InvalidField("required_skills", "Minimum level is junior, mid, senior or lead.")
    if len(items) > MAX_REQUIRED_SKILLS:
        raise InvalidField("required_skills", f"List at most {MAX_REQUIRED_SKILLS} skills.")
    names = [str(item.get("skill") or "").strip() for item in items]
    if any(not name for name in names):
        raise InvalidField("required_skills", "Every required skill needs a name.")
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


def timezone_validate(name: str) -> None:
    if name and name not in zoneinfo.available_timezones():
        raise InvalidField(
            "timezone",
            f"“{name}” is not a known IANA time zone (e.g. Europe/Berlin).",
            detail="Unknown time zone.",
        )


def tags_normalize(tags: Iterable[str] | str | None) -> list[str]:
    if tags is None:
        return []
    if isinstance(tags, str):
        tags = tags.split(",")
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = str(tag).strip().lower()[:40]
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)[:20]


def slug_generate(name: str) -> str:
    base = slugify(name)[:120].strip("-") or "project"
    if base in RESERVED_SLUGS:
        base = f"{base}-project"
    slug, n = base, 1
    while Project.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def project_create(
    *,
    owner,
    name: str,
    summary: str = "",
    description: str = "",
    status: str = Project.Status.IDEA,
    visibility: str = Project.Visibility.PUBLIC,
    team_size: int = 4,
    timezone: str = "",
    min_overlap_hours: int = 0,
    repository_url: str = "",
    tags: Iterable[str] | str | None = None,
    required_skills: list[RequiredSkill] | None = None,
) -> Project:
    """Create a project owned (and joined, as owner) by ``owner``."""
    if owner is None or not owner.is_authenticated:
        raise DomainError("Log in to create a project.", type="not_authenticated")
    timezone_validate(timezone)
    project = Project(
        owner=owner,
        name=name.strip(),
        slug=slug_generate(name),
        summary=summary,
        description=description,
        status=status,
        visibility=visibility,
        team_size=team_size,
        timezone=timezone,
        min_overlap_hours=min_overlap_hours,
        repository_url=repository_url,
        tags=tags_normalize(tags),
    )
    project.full_clean(exclude=["slug"])
    project.save()
    Membership.objects.create(project=project, user=owner, role=Membership.Role.OWNER)
    if required_skills:
        project_skills_set(project=project, items=required_skills)
    return project


@transaction.atomic
def project_update(
    *, actor, project: Project, required_skills: list[RequiredSkill] | None = None, **changes
) -> Project:
    """Change the given fields; ``required_skills`` (when given) replaces the whole list.

    Maintainers edit; only the owner changes the visibility.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"project_update() got unexpected fields: {', '.join(sorted(unknown))}")
    access = ensure(actor, project, Action.EDIT)
    if "visibility" in changes and changes["visibility"] != project.visibility:
        access.ensure(Action.VISIBILITY_CHANGE)
    if "timezone" in changes:
        timezone_validate(changes["timezone"])
    if "tags" in changes:
        changes["tags"] = tags_normalize(changes["tags"])
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    for field, value in changes.items():
        setattr(project, field, value)
    project.full_clean(exclude=["slug", "owner"])
    project.save(update_fields=markdown_update_fields(Project, [*changes, "updated_at"]))
    if required_skills is not None:
        project_skills_set(project=project, items=required_skills)
    return project


@transaction.atomic
def project_delete(*, actor, project: Project) -> None:
    ensure(actor, project, Action.DELETE)
    project.delete()
