"""How complete a profile is: the percentage shown to its owner, and the fields the
matching agents cannot do without (``User.profile_complete``)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    field: str
    label: str
    step: str  # wizard step that edits it
    weight: int
    required: bool


PARTS = [
    Part("display_name", "Display name", "basics", 5, True),
    Part("headline", "Headline", "basics", 10, False),
    Part("bio", "Bio", "basics", 5, False),
    Part("primary_skills", "At least one primary skill", "skills", 20, True),
    Part("secondary_skills", "Secondary skills", "skills", 5, False),
    Part("experience_level", "Experience level", "experience", 10, True),
    Part("interests", "Interests", "experience", 5, False),
    Part("timezone", "Time zone", "availability", 10, True),
    Part("working_hours", "Working hours", "availability", 10, True),
    Part("availability_hours", "Hours per week", "availability", 10, True),
    Part("github", "GitHub profile", "availability", 5, False),
    Part("links", "Other links", "availability", 5, False),
]
assert sum(part.weight for part in PARTS) == 100


def _filled(profile, field: str, *, primary_count: int, secondary_count: int) -> bool:
    if field == "primary_skills":
        return primary_count > 0
    if field == "secondary_skills":
        return secondary_count > 0
    if field == "working_hours":
        return profile.working_hours_start is not None and profile.working_hours_end is not None
    if field == "availability_hours":
        return profile.availability_hours is not None and profile.availability_hours > 0
    value = getattr(profile, field)
    return bool(value.strip() if isinstance(value, str) else value)


def profile_missing_parts(profile, *, primary_count: int, secondary_count: int) -> list[Part]:
    return [
        part
        for part in PARTS
        if not _filled(profile, part.field, primary_count=primary_count, secondary_count=secondary_count)
    ]


def profile_completeness(profile, *, primary_count: int, secondary_count: int) -> tuple[int, bool]:
    """(percentage 0-100, whether every required part is filled)."""
    missing = profile_missing_parts(profile, primary_count=primary_count, secondary_count=secondary_count)
    percent = 100 - sum(part.weight for part in missing)
    return percent, not any(part.required for part in missing)
