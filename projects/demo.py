"""Demo projects for `make run` (idempotent): 15 projects of every status and visibility,
with teams, open invitations and join requests, milestones and a populated board.

Runs after the accounts and profiles seeds; the people are whoever those created (looked
up, not assumed). ``demo`` owns two projects, belongs to two more and has invitations
waiting on the dashboard.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_user_ensure
from projects.models import Invitation, Membership, Project
from projects.services.board import milestone_create, task_create
from projects.services.invitations import invitation_create
from projects.services.join_requests import join_request_create
from projects.services.membership import membership_add
from projects.services.notifications import notification_emails_muted
from projects.services.projects import project_create

User = get_user_model()

# name, status, visibility, timezone, overlap, [(skill, importance, min level)], tags, summary
PROJECTS = [
    ("Open Atlas", "active", "public", "Europe/Berlin", 3,
     [("Python", "must", "mid"), ("PostgreSQL", "must", ""), ("React", "nice", "")],
     ["maps", "open data"], "Community-maintained maps of accessible places."),
    ("Tiny Ledger", "recruiting", "public", "America/New_York", 2,
     [("Django", "must", "senior"), ("PostgreSQL", "must", ""), ("TypeScript", "nice", "")],
     ["fintech", "bookkeeping"], "Double-entry bookkeeping for freelancers, self-hostable."),
    ("Plantwise", "idea", "public", "Europe/London", 2,
     [("Kotlin", "must", ""), ("Machine Learning", "nice", "")],
     ["mobile", "gardening"], "Snap a leaf, learn what your plant needs."),
    ("Rust Relay", "active", "public", "Europe/Amsterdam", 4,
     [("Rust", "must", "senior"), ("WebSockets", "must", ""), ("Kubernetes", "nice", "")],
     ["networking", "infrastructure"], "A tiny, fast WebSocket relay for multiplayer apps."),
    ("Classroom Quest", "recruiting", "public", "Asia/Kolkata", 3,
     [("Vue.js", "must", ""), ("Node.js", "must", ""), ("UX Design", "nice", "")],
     ["education", "games"], "Quests and badges that make homework feel like a game."),
    ("Budget Buddy", "completed", "public", "America/Chicago", 2,
     [("Swift", "must", "mid"), ("SQLite", "nice", "")],
     ["personal finance", "ios"], "An offline-first budgeting app for iPhone."),
    ("DocuSearch", "active", "unlisted", "Europe/Paris", 3,
     [("Python", "must", ""), ("Elasticsearch", "must", ""), ("FastAPI", "nice", "")],
     ["search", "developer tools"], "Full-text search across every doc your team writes."),
    ("Civic Pulse", "recruiting", "public", "America/Sao_Paulo", 2,
     [("Next.js", "must", ""), ("GraphQL", "nice", ""), ("Accessibility", "nice", "")],
     ["civic tech", "open government"], "Follow city council decisions without the jargon."),
    ("Sensor Garden", "idea", "private", "Europe/Stockholm", 3,
     [("C++", "must", ""), ("Embedded Systems", "must", ""), ("Grafana", "nice", "")],
     ["iot", "hardware"], "Soil sensors and dashboards for community gardens."),
    ("Recipe Remix", "archived", "public", "Europe/Rome", 1,
     [("React Native", "must", ""), ("Firebase", "nice", "")],
     ["food", "mobile"], "Swap ingredients and watch the recipe adapt."),
    ("Pixel Forge", "active", "private", "Asia/Tokyo", 4,
     [("Godot", "must", ""), ("C#", "nice", ""), ("Blender", "nice", "")],
     ["games", "open source"], "A retro platformer built in the open, one level a month."),
    ("Commit Coach", "recruiting", "unlisted", "Europe/Warsaw", 2,
     [("Go", "must", "mid"), ("GitHub Actions", "must", ""), ("LLM", "nice", "")],
     ["developer tools", "ai"], "Friendly review comments on every pull request."),
    ("Quiet Hours", "completed", "private", "Australia/Sydney", 2,
     [("Flutter", "must", ""), ("Dart", "must", "")],
     ["wellbeing", "mobile"], "Focus timer that silences your group chats together."),
    ("Transit Tally", "idea", "unlisted", "America/Los_Angeles", 3,
     [("Python", "must", ""), ("Pandas", "must", ""), ("D3.js", "nice", "")],
     ["data", "transport"], "How late is the bus, really? Open data says."),
    ("Legacy Lens", "archived", "private", "Europe/Madrid", 2,
     [("Java", "must", "senior"), ("Spring Boot", "nice", "")],
     ["modernisation", "enterprise"], "Maps old Java monoliths before you split them."),
]  # fmt: skip

BOARD = [
    # milestone index (or None), title, status, priority, estimate
    (0, "Write the project brief", "done", 2, 2),
    (0, "Set up the repository and CI", "done", 3, 3),
    (0, "Sketch the data model", "doing", 3, 5),
    (1, "Build the first user-facing page", "todo", 3, 8),
    (1, "Invite early testers", "todo", 2, 1),
    (None, "Choose a licence", "todo", 1, 1),
]
MILESTONES = [("Foundations", "Everyone can run it locally."), ("First release", "Real users try it.")]


def _people() -> list:
    """Developers from the profiles seed (or a few of our own if that seed did not run)."""
    people = list(
        User.objects.filter(profile__isnull=False, is_staff=False)
        .exclude(username__in=["demo", "admin"])
        .order_by("date_joined", "id")[:60]
    )
    for n in range(len(people), 12):
        user, _ = demo_user_ensure(
            username=f"crew{n + 1}",
            email=f"crew{n + 1}@devcrew.local",
            first_name="Crew",
            last_name=str(n + 1),
        )
        people.append(user)
    return people


def _project_seed(index: int, spec: tuple, people: list, demo) -> Project:
    name, status, visibility, tz, overlap, skills, tags, summary = spec
    # demo owns projects 1 and 4, and is a member of 0 and 3.
    owner = demo if index in (1, 4) else people[index % len(people)]
    team = [people[(index * 3 + k + 1) % len(people)] for k in range(1 + index % 4)]
    team = [person for person in team if person.pk != owner.pk]
    if index in (0, 3):
        team.append(demo)
    project = project_create(
        owner=owner,
        name=name,
        summary=summary,
        description=(
            f"## Why\n\n{summary}\n\n## What we need\n\n"
            + "\n".join(f"- **{skill}** ({importance})" for skill, importance, _ in skills)
            + "\n\nWe meet once a week and work asynchronously in between."
        ),
        status=status,
        visibility=visibility,
        team_size=3 + index % 4,
        timezone=tz,
        min_overlap_hours=overlap,
        repository_url=f"https://github.com/devcrew-demo/{name.lower().replace(' ', '-')}",
        tags=tags,
        required_skills=[{"skill": s, "importance": i, "min_level": level or None} for s, i, level in skills],
    )
    for position, person in enumerate(team):
        role = Membership.Role.MAINTAINER if position == 0 else Membership.Role.MEMBER
        membership_add(project=project, user=person, role=role)

    if status in ("active", "recruiting", "completed", "archived") or index % 2 == 0:
        milestones = [
            milestone_create(
                actor=owner, project=project, title=title, goal=goal,
                due_date=(timezone.now() + timedelta(days=30 * (n + 1))).date(),
            )
            for n, (title, goal) in enumerate(MILESTONES)
        ]  # fmt: skip
        assignees = [owner, *team]
        for n, (milestone_index, title, task_status, priority, estimate) in enumerate(BOARD):
            if status in ("completed", "archived"):
                task_status = "done"
            task_create(
                actor=owner,
                project=project,
                title=title,
                status=task_status,
                priority=priority,
                estimate_hours=Decimal(estimate),
                milestone=milestones[milestone_index] if milestone_index is not None else None,
                assignee=assignees[n % len(assignees)] if n % 3 != 2 else None,
                required_skill=skills[n % len(skills)][0] if n in (2, 3) else None,
            )

    if status in ("idea", "recruiting", "active"):
        outsiders = [p for p in people if p.pk != owner.pk and p not in team]
        invitee = demo if index in (2, 7) else outsiders[(index * 7) % len(outsiders)]
        if invitee.pk != owner.pk and not Membership.objects.filter(project=project, user=invitee).exists():
            invitation_create(
                actor=owner,
                project=project,
                username=invitee.username,
                message=f"We would love your help with {name}!",
            )
        if visibility == "public":
            asker = outsiders[(index * 11 + 5) % len(outsiders)]
            if not Invitation.objects.filter(project=project, user=asker).exists():
                join_request_create(
                    user=asker,
                    project=project,
                    message="I have done something similar before and would like to join.",
                )
    return project


def seed(stdout) -> None:
    demo, _ = demo_user_ensure(username="demo", email="demo@devcrew.local", first_name="Dee", last_name="Mo")
    people = _people()
    created = 0
    existing = set(Project.objects.values_list("name", flat=True))
    with notification_emails_muted():
        for index, spec in enumerate(PROJECTS):
            if spec[0] in existing:
                continue
            with transaction.atomic():
                _project_seed(index, spec, people, demo)
            created += 1
    stdout.write(f"Demo projects: {len(PROJECTS)} ({created} created)")
