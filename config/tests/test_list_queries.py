"""Every list endpoint of the API runs the same number of queries for a page of 1 row and
a page of 20 (no N+1), for a signed-in user with a bearer token, as mobile clients call it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.tests.factories import UserFactory
from agents.tests.factories import AgentFactory, AgentRunFactory
from chat.models import Message
from chat.tests.factories import ConversationFactory, MessageFactory
from profiles.tests.factories import ProfileFactory
from projects.models import Membership, Notification
from projects.services.projects import project_skills_set
from projects.tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    MilestoneFactory,
    ProjectFactory,
    ShareLinkFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    viewer: Any
    project: Any
    conversation: Any


def world_make() -> World:
    viewer = UserFactory()
    ProfileFactory(user=viewer)
    project = ProjectFactory(owner=viewer, slug="home")
    return World(viewer=viewer, project=project, conversation=ConversationFactory(owner=viewer))


def add_projects(w: World, n: int) -> None:
    for _ in range(n):
        project: Any = ProjectFactory()
        MembershipFactory(project=project, user=w.viewer)
        project_skills_set(project=project, items=[{"skill": "Python"}, {"skill": "Go"}])


def add_members(w: World, n: int) -> None:
    for _ in range(n):
        ProfileFactory(user=MembershipFactory(project=w.project, role=Membership.Role.MEMBER).user)


def add_tasks(w: World, n: int) -> None:
    for _ in range(n):
        assignee = MembershipFactory(project=w.project).user
        TaskFactory(project=w.project, assignee=assignee, milestone=MilestoneFactory(project=w.project))


def add_messages(w: World, n: int) -> None:
    parent = w.conversation.active_leaf
    for index in range(n):
        role = Message.Role.USER if index % 2 == 0 else Message.Role.ASSISTANT
        parent = MessageFactory(conversation=w.conversation, parent=parent, role=role, content="**hi**")
    w.conversation.active_leaf = parent
    w.conversation.save(update_fields=["active_leaf"])


def add_notifications(w: World, n: int) -> None:
    for index in range(n):
        Notification.objects.create(recipient=w.viewer, kind="task_assigned", text=f"Task {index}")


def add_my_invitations(w: World, n: int) -> None:
    for _ in range(n):
        InvitationFactory(user=w.viewer)


def add_people(w: World, n: int) -> None:
    for _ in range(n):
        ProfileFactory(primary_skills=("Python",))


def add_runs(w: World, n: int) -> None:
    for _ in range(n):
        AgentRunFactory(project=w.project, owner=w.viewer)


# (list path, how to add n rows to it)
LISTS: dict[str, tuple[str, Callable[[World, int], object]]] = {
    "projects": ("/api/v1/projects/", add_projects),
    "members": ("/api/v1/projects/home/members/", add_members),
    "tasks": ("/api/v1/projects/home/tasks/", add_tasks),
    "milestones": (
        "/api/v1/projects/home/milestones/",
        lambda w, n: MilestoneFactory.create_batch(n, project=w.project),
    ),
    "invitations": (
        "/api/v1/projects/home/invitations/",
        lambda w, n: InvitationFactory.create_batch(n, project=w.project, invited_by=w.viewer),
    ),
    "join-requests": (
        "/api/v1/projects/home/join-requests/",
        lambda w, n: JoinRequestFactory.create_batch(n, project=w.project),
    ),
    "share-links": (
        "/api/v1/projects/home/share-links/",
        lambda w, n: ShareLinkFactory.create_batch(n, project=w.project),
    ),
    "my invitations": ("/api/v1/invitations/", add_my_invitations),
    "notifications": ("/api/v1/notifications/", add_notifications),
    "conversations": (
        "/api/v1/conversations/",
        lambda w, n: ConversationFactory.create_batch(n, owner=w.viewer),
    ),
    "messages": ("/api/v1/conversations/{conversation}/messages/", add_messages),
    "agents": ("/api/v1/agents/", lambda w, n: AgentFactory.create_batch(n, owner=w.viewer)),
    "agent runs": ("/api/v1/agent-runs/", add_runs),
    "profile search": ("/api/v1/profiles/?skill=python", add_people),
}


@pytest.mark.parametrize("name", LISTS)
def test_a_list_runs_the_same_queries_for_1_and_20_rows(name, django_assert_num_queries):
    path, add = LISTS[name]
    w = world_make()
    url = path.format(conversation=w.conversation.pk)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(w.viewer)}")
    separator = "&" if "?" in url else "?"
    url = f"{url}{separator}page_size=50"

    add(w, 1)
    with CaptureQueriesContext(connection) as one_row:
        first = api.get(url)
    assert first.status_code == 200, first.content
    add(w, 19)
    with django_assert_num_queries(len(one_row.captured_queries)):
        response = api.get(url)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) >= 20 and len(rows) > len(first.json()["results"])
