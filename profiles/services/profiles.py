"""Creating and editing profiles. Input arrives validated and normalized (serializers and
wizard forms use ``profiles.validation``); the rules that need the database live here."""

from django.db import transaction

from accounts.models import User
from config.errors import Conflict
from profiles.completeness import profile_completeness
from profiles.markdown import markdown_update_fields
from profiles.models import Profile, ProfileSkill, Skill
from profiles.services.skills import skills_resolve_each

SCALAR_FIELDS = (
    "display_name",
    "headline",
    "bio",
    "experience_level",
    "interests",
    "timezone",
    "working_hours_start",
    "working_hours_end",
    "availability_hours",
    "github",
    "links",
    "looking_for_team",
    "visibility",
)
WIZARD_STEPS = ("basics", "skills", "experience", "availability", "review")

SkillChoice = tuple[Skill, int | None]


def _entries_resolve(entries: list[dict]) -> list[SkillChoice]:
    """Resolve ``[{"name", "years"}]`` in order; a skill named twice (``js`` and
    ``JavaScript``) appears once, with the first years given."""
    skills = skills_resolve_each(entry["name"] for entry in entries)
    years: dict[int, int | None] = {}
    order: list[Skill] = []
    for entry, skill in zip(entries, skills, strict=True):
        if skill.pk not in years:
            order.append(skill)
            years[skill.pk] = entry.get("years")
        elif years[skill.pk] is None:
            years[skill.pk] = entry.get("years")
    return [(skill, years[skill.pk]) for skill in order]


def _skills_replace(
    *, profile: Profile, primary: list[dict] | None, secondary: list[dict] | None
) -> tuple[int, int]:
    """Replace the primary and/or secondary skills (None leaves a list as it is). A skill
    listed as primary is dropped from the secondary list. Returns the two counts."""
    current = list(profile.profile_skills.select_related("skill"))
    if primary is None:
        new_primary = [(row.skill, row.years) for row in current if row.kind == ProfileSkill.Kind.PRIMARY]
    else:
        new_primary = _entries_resolve(primary)
    if secondary is None:
        new_secondary = [(row.skill, row.years) for row in current if row.kind == ProfileSkill.Kind.SECONDARY]
    else:
        new_secondary = _entries_resolve(secondary)
    primary_ids = {skill.pk for skill, _ in new_primary}
    new_secondary = [(skill, years) for skill, years in new_secondary if skill.pk not in primary_ids]

    if primary is not None or secondary is not None:
        profile.profile_skills.all().delete()
        ProfileSkill.objects.bulk_create(
            [
                ProfileSkill(profile=profile, skill=skill, years=years, kind=kind, position=position)
                for kind, chosen in (
                    (ProfileSkill.Kind.PRIMARY, new_primary),
                    (ProfileSkill.Kind.SECONDARY, new_secondary),
                )
                for position, (skill, years) in enumerate(chosen)
            ]
        )
    return len(new_primary), len(new_secondary)


def _completeness_store(*, profile: Profile, primary_count: int, secondary_count: int) -> None:
    percent, complete = profile_completeness(
        profile, primary_count=primary_count, secondary_count=secondary_count
    )
    if profile.completeness != percent:
        profile.completeness = percent
        profile.save(update_fields=["completeness", "updated_at"])
    user = profile.user
    if user.profile_complete != complete:
        user.profile_complete = complete
        user.save(update_fields=["profile_complete"])


def _apply(*, profile: Profile, data: dict, created: bool) -> Profile:
    changed = [field for field in SCALAR_FIELDS if field in data]
    for field in changed:
        setattr(profile, field, data[field])
    if not profile.display_name.strip():
        profile.display_name = profile.user.get_full_name() or profile.user.username
        changed.append("display_name")
    if created:
        profile.save()
    elif changed:
        profile.save(update_fields=markdown_update_fields(Profile, [*set(changed), "updated_at"]))
    counts = _skills_replace(
        profile=profile, primary=data.get("primary_skills"), secondary=data.get("secondary_skills")
    )
    _completeness_store(profile=profile, primary_count=counts[0], secondary_count=counts[1])
    return profile


@transaction.atomic
def profile_create(*, user: User, data: dict) -> Profile:
    """Create the user's profile from validated data; ``Conflict`` (409) if one exists.

    ``data`` holds any of ``SCALAR_FIELDS`` plus ``primary_skills`` / ``secondary_skills``
    as ``[{"name": str, "years": int | None}]``; names resolve through ``skill_resolve``.
    """
    # Lock the user row so two concurrent creates cannot both pass the check.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if Profile.objects.filter(user=user).exists():
        raise Conflict("You already have a profile; update it with PATCH.", type="profile_exists")
    profile = Profile(user=user)
    return _apply(profile=profile, data=data, created=True)


@transaction.atomic
def profile_update(*, profile: Profile, data: dict) -> Profile:
    """Partial update: only the keys present in ``data`` change (see ``profile_create``)."""
    return _apply(profile=profile, data=data, created=False)


@transaction.atomic
def profile_ensure(*, user: User) -> Profile:
    """The user's profile, created empty if needed (the wizard saves step by step)."""
    profile = Profile.objects.filter(user=user).select_related("user").first()
    if profile is not None:
        return profile
    User.objects.select_for_update().filter(pk=user.pk).first()
    profile, created = Profile.objects.select_related("user").get_or_create(user=user)
    if created:
        _apply(profile=profile, data={}, created=False)
    return profile


@transaction.atomic
def profile_wizard_step_save(*, profile: Profile, step: str, data: dict) -> Profile:
    """Save one wizard step's fields and remember the furthest step reached."""
    profile = _apply(profile=profile, data=data, created=False)
    if WIZARD_STEPS.index(step) >= WIZARD_STEPS.index(profile.setup_step or WIZARD_STEPS[0]):
        profile.setup_step = step
        profile.save(update_fields=["setup_step"])
    return profile
