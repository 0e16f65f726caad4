"""A reproducible population of developers for the matcher benchmarks.

Skills follow a long-tailed popularity (a few very common, most rare), as real profiles
do; visibility, levels, time zones, hours and availability vary. Rows are bulk-inserted
(no services, no password hashing) so 100,000 profiles take about a minute.
"""

import random
from datetime import time
from typing import cast

from django.contrib.auth import get_user_model

from profiles.models import Profile, ProfileSkill, Skill
from projects.models import Project

TIMEZONES = [
    "Europe/Berlin",
    "Europe/London",
    "Europe/Warsaw",
    "Europe/Madrid",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Australia/Sydney",
    "Africa/Lagos",
    "Pacific/Auckland",
    "",
]
LEVELS = ["junior", "mid", "mid", "senior", "senior", "lead", ""]
VISIBILITY = ["public"] * 17 + ["members"] * 2 + ["private"]
HOURS = [(time(9), time(17)), (time(8), time(16)), (time(10), time(18)), (time(22), time(6)), (None, None)]


def populate(count: int, *, start: int = 0, seed: int = 42, batch: int = 5000) -> None:
    """Create developers ``start`` .. ``start + count - 1`` (usernames ``bench-<n>``)."""
    rng = random.Random(seed + start)
    skills = list(Skill.objects.filter(is_reviewed=True).order_by("pk").values_list("pk", flat=True))
    # Zipf-like popularity: weight 1/rank.
    weights = [1 / (rank + 1) for rank in range(len(skills))]
    rng.shuffle(skills)
    user_model = get_user_model()
    for offset in range(start, start + count, batch):
        size = min(batch, start + count - offset)
        users = user_model.objects.bulk_create(
            [
                user_model(
                    username=f"bench-{n}", email=f"bench-{n}@example.com", password="!", profile_complete=True
                )
                for n in range(offset, offset + size)
            ]
        )
        profiles = []
        for user in users:
            start_hours, end_hours = rng.choice(HOURS)
            profiles.append(
                Profile(
                    user=user,
                    display_name=user.username,
                    experience_level=rng.choice(LEVELS),
                    timezone=rng.choice(TIMEZONES),
                    working_hours_start=start_hours,
                    working_hours_end=end_hours,
                    availability_hours=rng.choice([None, 5, 10, 20, 30, 40]),
                    looking_for_team=rng.random() < 0.3,
                    visibility=rng.choice(VISIBILITY),
                    completeness=80,
                )
            )
        profiles = Profile.objects.bulk_create(profiles)
        rows = []
        for profile in profiles:
            held = set(rng.choices(skills, weights=weights, k=rng.randint(2, 8)))
            rows += [
                ProfileSkill(
                    profile=profile,
                    skill_id=skill_id,
                    years=rng.choice([None, 1, 2, 3, 5, 8, 12]),
                    position=position,
                )
                for position, skill_id in enumerate(sorted(held))
            ]
        ProfileSkill.objects.bulk_create(rows, batch_size=batch)


def common_skills_project() -> Project:
    """The benchmarks' project: common skills (about half of all generated people hold one),
    the hard case for the matcher's prefilter."""
    from projects.services.projects import project_skills_set
    from projects.tests.factories import ProjectFactory

    project = cast(Project, ProjectFactory(timezone="Europe/Berlin", min_overlap_hours=3, team_size=5))
    project_skills_set(
        project=project,
        items=[
            {"skill": "Python", "importance": "must", "min_level": "senior"},
            {"skill": "React", "importance": "must"},
            {"skill": "PostgreSQL", "importance": "must", "min_level": "mid"},
            {"skill": "Docker", "importance": "nice"},
            {"skill": "Figma", "importance": "nice"},
        ],
    )
    return project
