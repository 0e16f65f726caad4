"""Data for ``make bench-http`` (idempotent): about 1,000 people with profiles and skills,
200 public projects with Markdown descriptions, required skills and a few members each,
and a benchmark user who belongs to 20 of them and has 20 conversations with messages."""

import random

from django.db import transaction
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import User
from chat.models import Conversation, Message
from profiles.models import Profile, ProfileSkill, Skill
from projects.models import Membership, Project, ProjectSkill

PEOPLE = 1000
PROJECTS = 200
CONVERSATIONS = 20
DESCRIPTION = """## What we build

A **tool** for people who {verb} together: issues, a board and a weekly plan.

- Python and `Django` on the server
- a small JS front end, no build step

See [the repository](https://example.com/{slug}) for the roadmap.
"""


@transaction.atomic
def seed() -> User:
    rng = random.Random(15)
    bench, created = User.objects.get_or_create(
        username="bench", defaults={"email": "bench@devcrew.local", "profile_complete": True}
    )
    if not created:
        return bench
    skills = list(Skill.objects.filter(is_reviewed=True).order_by("pk")[:120])
    users = User.objects.bulk_create(
        User(username=f"dev{index:04d}", email=f"dev{index:04d}@devcrew.local", profile_complete=True)
        for index in range(PEOPLE)
    )
    profiles = Profile.objects.bulk_create(
        Profile(
            user=user,
            display_name=f"Developer {index}",
            headline="Backend developer",
            bio=f"I build **web apps** with `Python` ({index}).",
            experience_level=rng.choice(["junior", "mid", "senior"]),
            timezone="Europe/Berlin",
            availability_hours=rng.randint(5, 30),
            completeness=80,
        )
        for index, user in enumerate([bench, *users])
    )
    ProfileSkill.objects.bulk_create(
        ProfileSkill(profile=profile, skill=skill, kind=ProfileSkill.Kind.PRIMARY)
        for profile in profiles
        for skill in rng.sample(skills, 3)
    )
    projects = Project.objects.bulk_create(
        Project(
            owner=users[index],
            name=f"Project {index}",
            slug="bench-public-project" if index == 0 else f"bench-project-{index}",
            summary="A project to build things together.",
            description=DESCRIPTION.format(verb=rng.choice(["plan", "ship", "learn"]), slug=index),
            status=Project.Status.RECRUITING,
            visibility=Project.Visibility.PUBLIC,
        )
        for index in range(PROJECTS)
    )
    memberships = []
    for index, project in enumerate(projects):
        memberships.append(Membership(project=project, user=project.owner, role=Membership.Role.OWNER))
        for member in rng.sample(users[PROJECTS:], 4):
            memberships.append(Membership(project=project, user=member))
        if index < 20:
            memberships.append(Membership(project=project, user=bench))
    Membership.objects.bulk_create(memberships)
    ProjectSkill.objects.bulk_create(
        ProjectSkill(project=project, skill=skill) for project in projects for skill in rng.sample(skills, 3)
    )
    for index in range(CONVERSATIONS):
        conversation = Conversation.objects.create(owner=bench, title=f"Question {index}")
        question = Message.objects.create(
            conversation=conversation, role=Message.Role.USER, content="How do I **plan** a sprint?"
        )
        answer = Message.objects.create(
            conversation=conversation,
            parent=question,
            role=Message.Role.ASSISTANT,
            content="Start from the goal:\n\n1. list the tasks\n2. estimate them\n\n```python\nplan()\n```",
        )
        conversation.active_leaf = answer
        conversation.save(update_fields=["active_leaf"])
    return bench


def seed_and_token() -> str:
    return str(AccessToken.for_user(seed()))
