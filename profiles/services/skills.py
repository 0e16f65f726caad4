"""The skill taxonomy: resolving free text to canonical skills, and merging skills."""

from collections.abc import Iterable

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef

from config.errors import Conflict, DomainError
from profiles.models import Skill, SkillAlias
from profiles.taxonomy import CATEGORY_OTHER, skill_key, skill_slug_base

SKILL_NAME_MAX_LENGTH = 60


class InvalidSkillName(DomainError):
    type = "validation_error"
    default_detail = "Enter a skill name made of letters or digits."


def skill_name_clean(name: str) -> str:
    """Collapse whitespace; raise ``InvalidSkillName`` for names that cannot be a skill."""
    cleaned = " ".join(str(name).split())
    if not skill_key(cleaned):
        raise InvalidSkillName(fields={"name": ["Enter a skill name made of letters or digits."]})
    if len(cleaned) > SKILL_NAME_MAX_LENGTH:
        raise InvalidSkillName(
            f"A skill name has at most {SKILL_NAME_MAX_LENGTH} characters.",
            fields={"name": [f"A skill name has at most {SKILL_NAME_MAX_LENGTH} characters."]},
        )
    return cleaned


def _skills_by_key(keys: Iterable[str]) -> dict[str, Skill]:
    keys = set(keys)
    found = {skill.key: skill for skill in Skill.objects.filter(key__in=keys)}
    for alias in SkillAlias.objects.filter(key__in=keys - found.keys()).select_related("skill"):
        found[alias.key] = alias.skill
    return found


def _slug_free(name: str) -> str:
    base = skill_slug_base(name)[:80]
    taken = set(Skill.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _unreviewed_create(*, name: str, key: str) -> Skill:
    """Keep an unknown skill so nobody is blocked; staff merge it later in the admin."""
    try:
        with transaction.atomic():
            return Skill.objects.create(
                name=name, key=key, slug=_slug_free(name), category=CATEGORY_OTHER, is_reviewed=False
            )
    except IntegrityError:
        # Someone created it concurrently (or the name differs only in case): use theirs.
        skill = _skills_by_key([key]).get(key) or Skill.objects.filter(name__iexact=name).first()
        if skill is None:
            raise
        return skill


def skill_resolve(name: str) -> Skill:
    """The canonical skill for free text, by name or alias, case- and punctuation-insensitively.

    An unknown name creates an unreviewed skill rather than failing. Raises
    ``InvalidSkillName`` (400) for text with no letters or digits, or too long.
    """
    cleaned = skill_name_clean(name)
    key = skill_key(cleaned)
    skill = _skills_by_key([key]).get(key)
    return skill or _unreviewed_create(name=cleaned, key=key)


def skills_resolve_each(names: Iterable[str]) -> list[Skill]:
    """One skill per name, in order (duplicates kept), in a constant number of queries
    plus one insert per unknown name."""
    cleaned = [skill_name_clean(name) for name in names]
    found = _skills_by_key(skill_key(name) for name in cleaned)
    result: list[Skill] = []
    for name in cleaned:
        key = skill_key(name)
        if key not in found:
            found[key] = _unreviewed_create(name=name, key=key)
        result.append(found[key])
    return result


def skills_resolve(names: Iterable[str]) -> list[Skill]:
    """``skill_resolve`` for many names; duplicates collapse, the first occurrence keeps its place."""
    result: list[Skill] = []
    seen: set[int] = set()
    for skill in skills_resolve_each(names):
        if skill.pk not in seen:
            seen.add(skill.pk)
            result.append(skill)
    return result


def skill_alias_add(*, skill: Skill, alias: str) -> SkillAlias | None:
    """Make ``alias`` resolve to ``skill``; None when it already does.

    Raises ``Conflict`` when the text already names or aliases another skill.
    """
    cleaned = skill_name_clean(alias)
    key = skill_key(cleaned)
    current = _skills_by_key([key]).get(key)
    if current is not None:
        if current.pk == skill.pk:
            return None
        raise Conflict(f"“{cleaned}” already means {current.name}.")
    return SkillAlias.objects.create(skill=skill, name=cleaned, key=key)


def _unique_field_sets(model: type[models.Model]) -> list[set[str]]:
    sets = [set(fields) for fields in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and not constraint.condition:
            sets.append(set(constraint.fields))
    return sets


def _skill_references() -> list[tuple[type[models.Model], models.Field]]:
    """Every foreign key to Skill in every installed app, including implicit M2M tables,
    so a merge re-points profiles, projects and whatever comes later."""
    references = []
    for model in apps.get_models(include_auto_created=True):
        if model is SkillAlias:
            continue
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model is Skill:
                references.append((model, field))
    return references


@transaction.atomic
def skill_merge(*, source: Skill, target: Skill) -> Skill:
    """Fold ``source`` into ``target``: every profile, project (any row pointing at a skill)
    moves to ``target``; ``source``'s name and aliases become aliases of ``target``; then
    ``source`` is deleted. Where a row already points at ``target`` (a profile listing both),
    the ``source`` row is dropped.
    """
    if source.pk == target.pk:
        raise DomainError(
            "A skill cannot be merged into itself.", fields={"target": ["Choose another skill."]}
        )
    for model, field in _skill_references():
        rows = model._default_manager.filter(**{field.name: source})
        for unique in _unique_field_sets(model):
            if field.name not in unique:
                continue
            twins = model._default_manager.filter(**{field.name: target}).filter(
                **{name: OuterRef(name) for name in unique - {field.name}}
            )
            rows.filter(Exists(twins)).delete()
        rows.update(**{field.name: target})
    through = Skill.related.through
    through.objects.filter(from_skill=target, to_skill=target).delete()

    SkillAlias.objects.filter(skill=source).update(skill=target)
    source_name, source_key = source.name, source.key
    source.delete()
    if source_key != target.key and not SkillAlias.objects.filter(key=source_key).exists():
        SkillAlias.objects.create(skill=target, name=source_name, key=source_key)
    return target


def skills_mark_reviewed(*, skills: Iterable[Skill]) -> int:
    return Skill.objects.filter(pk__in=[skill.pk for skill in skills]).update(is_reviewed=True)
