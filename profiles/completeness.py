"""How complete a profile is: the percentage shown to its owner, and the fields the
matching agents cannot do without (``User.profile_complete``).

Only the required parts count toward the percentage: a profile with every required part
is 100%, whatever optional part (headline, bio, links…) it leaves out. Optional parts are
offered as suggestions, never as something missing.
"""

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
REQUIRED_WEIGHT = sum(part.weight for part in PARTS if part.required)


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
    """(percentage 0-100 of the required parts, whether every required part is filled)."""
    missing = profile_missing_parts(profile, primary_count=primary_count, secondary_count=secondary_count)
    missing_weight = sum(part.weight for part in missing if part.required)
    percent = round(100 * (REQUIRED_WEIGHT - missing_weight) / REQUIRED_WEIGHT)
    return percent, missing_weight == 0
