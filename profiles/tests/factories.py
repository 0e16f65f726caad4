from datetime import time

import factory

from accounts.tests.factories import UserFactory
from profiles.models import Profile
from profiles.services import profile_create


def skill_entries(skills) -> list[dict]:
    """``["Python", ("Django", 3)]`` → ``[{"name": "Python", "years": None}, …]``."""
    return [
        {"name": item[0], "years": item[1]} if isinstance(item, tuple) else {"name": item, "years": None}
        for item in skills
    ]


class ProfileFactory(factory.django.DjangoModelFactory):
    """A complete profile, created through ``profile_create`` (so completeness and
    ``User.profile_complete`` are what the service makes of it). Skills are names or
    ``(name, years)`` tuples."""

    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Faker("name")
    headline = "Backend developer"
    bio = "I build **web apps**."
    experience_level = "mid"
    interests = factory.LazyFunction(lambda: ["open source"])
    timezone = "Europe/Berlin"
    working_hours_start = time(9, 0)
    working_hours_end = time(17, 0)
    availability_hours = 20
    github = ""
    links = factory.LazyFunction(list)
    looking_for_team = False
    visibility = "public"
    primary_skills = ("Python",)
    secondary_skills = ()

    @classmethod
    def _create(cls, model_class, *, user, primary_skills, secondary_skills, **fields):
        data = {
            **fields,
            "primary_skills": skill_entries(primary_skills),
            "secondary_skills": skill_entries(secondary_skills),
        }
        return profile_create(user=user, data=data)
