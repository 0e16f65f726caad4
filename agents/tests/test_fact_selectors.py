"""grounding_for: the user's real platform facts, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import UserFactory
from agents.fact_selectors import grounding_for
from profiles.models import Skill
from profiles.tests.factories import ProfileFactory
from projects.models import Membership, Project, ProjectSkill, Task
from projects.tests.factories import (
    InvitationFactory,
    MembershipFactory,
    MilestoneFactory,
    ProjectFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


def _require(project, *names):
    for position, name in enumerate(names):
        skill, _ = Skill.objects.get_or_create(
            name=name, defaults={"key": name.lower(), "slug": name.lower().replace(" ", "-")}
        )
        ProjectSkill.objects.create(project=project, skill=skill, position=position)


@pytest.fixture
def dev():
    return ProfileFactory(display_name="Grace Hopper", primary_skills=("Python", "Django")).user


def _projects_for(user, count):
    projects = []
    for index in range(count):
        project = ProjectFactory(name=f"Mine {index}")
        MembershipFactory(project=project, user=user)
        TaskFactory(project=project, title=f"Open task {index}", assignee=user)
        TaskFactory(project=project, title=f"Done task {index}", status=Task.Status.DONE)
        projects.append(project)
    return projects


def test_grounding_holds_the_users_profile_projects_tasks_invitations_and_recruiting(dev):
    mine = ProjectFactory(name="Compiler", status=Project.Status.ACTIVE)
    MembershipFactory(project=mine, user=dev, role=Membership.Role.MAINTAINER)
    milestone = MilestoneFactory(project=mine, title="Alpha")
    TaskFactory(project=mine, title="Write the parser", assignee=dev, milestone=milestone)
    TaskFactory(project=mine, title="Ship it", status=Task.Status.DONE)
    InvitationFactory(project=ProjectFactory(name="Invited here"), user=dev)
    recruiting = ProjectFactory(name="Needs Django")
    _require(recruiting, "Django", "Rust")
    _require(ProjectFactory(name="Needs Rust only"), "Rust")
    _require(ProjectFactory(name="Private recruiting", visibility=Project.Visibility.PRIVATE), "Python")
    _require(ProjectFactory(name="Active, not recruiting", status=Project.Status.ACTIVE), "Python")

    grounding = grounding_for(user=dev)

    assert grounding.user_name == "Grace Hopper"
    assert grounding.skills == ["Python", "Django"]
    assert [(p.name, p.role, p.status) for p in grounding.projects] == [("Compiler", "maintainer", "active")]
    (task,) = grounding.projects[0].open_tasks
    assert (task.title, task.assignee, task.milestone) == ("Write the parser", "Grace Hopper", "Alpha")
    assert [i.project_name for i in grounding.invitations] == ["Invited here"]
    assert [(r.name, r.matching_skills) for r in grounding.recruiting] == [("Needs Django", ["Django"])]
    assert grounding.project is None


def test_recruiting_skips_projects_the_user_is_already_in(dev):
    project = ProjectFactory(name="Already in")
    _require(project, "Python")
    MembershipFactory(project=project, user=dev)
    assert grounding_for(user=dev).recruiting == []


def test_project_detail_for_a_member(dev):
    project = ProjectFactory(name="Compiler", description="Build a compiler.")
    _require(project, "Python", "LLVM")
    MembershipFactory(project=project, user=dev)
    ProfileFactory(user=project.owner, display_name="Ada Owner", primary_skills=("C",))
    MilestoneFactory(project=project, title="Alpha")
    TaskFactory(project=project, title="Lexer", assignee=project.owner)

    detail = grounding_for(user=dev, project=project).project

    assert detail.name == "Compiler" and detail.description == "Build a compiler."
    assert detail.required_skills == ["Python", "LLVM"]
    assert [(m.name, m.role, m.skills) for m in detail.team] == [
        ("Ada Owner", "owner", ["C"]),
        ("Grace Hopper", "member", ["Python", "Django"]),
    ]
    assert [m.title for m in detail.milestones] == ["Alpha"]
    assert [(t.title, t.assignee) for t in detail.tasks] == [("Lexer", "Ada Owner")]
    assert grounding_for(user=dev, project=project.slug).project.name == "Compiler"


def test_no_project_detail_for_a_non_member(dev):
    public = ProjectFactory()
    private = ProjectFactory(visibility=Project.Visibility.PRIVATE)
    assert grounding_for(user=dev, project=public).project is None
    assert grounding_for(user=dev, project=private).project is None
    assert grounding_for(user=dev, project="no-such-slug").project is None


def test_a_user_without_profile_gets_their_username():
    user = UserFactory(first_name="", last_name="")
    grounding = grounding_for(user=user)
    assert grounding.user_name == user.username and grounding.skills == []


def _count_queries(**kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        grounding_for(**kwargs)
    return len(queries)


def test_query_count_is_constant_in_the_number_of_projects(dev, django_assert_num_queries):
    first = _projects_for(dev, 1)[0]
    for index in range(2):
        _require(ProjectFactory(name=f"Recruiting {index}"), "Python")
    InvitationFactory(user=dev)
    baseline = _count_queries(user=dev)
    with_project = _count_queries(user=dev, project=first)

    _projects_for(dev, 4)
    for index in range(4):
        _require(ProjectFactory(name=f"More recruiting {index}"), "Django", "Python")
        InvitationFactory(user=dev)
    for _ in range(3):
        MembershipFactory(project=first, user=ProfileFactory(primary_skills=("Go",)).user)
        MilestoneFactory(project=first)
        TaskFactory(project=first)

    with django_assert_num_queries(baseline):
        grounding = grounding_for(user=dev)
    assert len(grounding.projects) == 5 and len(grounding.recruiting) == 6
    with django_assert_num_queries(with_project):
        grounding = grounding_for(user=dev, project=first)
    assert len(grounding.project.team) == 5


def test_the_offline_provider_answers_from_the_grounding(dev):
    """End to end: database facts → Grounding → the offline assistant's answer."""
    import asyncio

    from agents.llm import get_provider

    project = ProjectFactory(name="Compiler")
    MembershipFactory(project=project, user=dev)
    TaskFactory(project=project, title="Write the parser", assignee=dev)
    grounding = grounding_for(user=dev)

    async def answer() -> str:
        provider = get_provider("offline")
        async with provider.stream_chat(
            messages=[{"role": "user", "content": "What are my tasks?"}], grounding=grounding
        ) as stream:
            return "".join([delta async for delta in stream])

    text = asyncio.run(answer())
    assert "Write the parser" in text and "Compiler" in text
