"""/api/v1/agents/: CRUD and who may see, use and change which agent."""

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from agents.builtins import ASSISTANT, CODE_HELPER, PROJECT_ASSISTANT
from agents.models import Agent
from agents.tests.factories import AgentFactory, builtin
from projects.tests.factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/agents/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def detail(agent) -> str:
    return f"{URL}{agent.pk}/"


@pytest.fixture
def owner():
    return UserFactory(username="owner")


@pytest.fixture
def project(owner):
    return ProjectFactory(owner=owner, slug="compiler")


@pytest.fixture
def shared(owner, project):
    return AgentFactory(owner=owner, name="Team reviewer", visibility="project", project=project)


def test_anonymous_is_refused():
    assert api().get(URL).status_code == 401


def test_builtins_are_listed_for_everyone():
    response = api(UserFactory()).get(URL)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert response.json()["count"] == 3
    assert {row["slug"] for row in rows} == {ASSISTANT, PROJECT_ASSISTANT, CODE_HELPER}
    assert all(row["is_builtin"] and not row["is_owner"] and row["owner"] is None for row in rows)
    assert rows[0]["chat_url"] == f"/chat/new/?agent={rows[0]['id']}"


def test_create_a_private_agent():
    user = UserFactory()
    response = api(user).post(
        URL,
        {"name": " Code reviewer ", "system_prompt": "Review diffs.", "temperature": 0.2, "model": "gpt-4o"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Code reviewer" and body["kind"] == "custom" and body["is_owner"]
    assert body["visibility"] == "private" and body["project"] is None and body["status"] == "active"
    agent = Agent.objects.get(pk=body["id"])
    assert (agent.owner, agent.temperature, agent.model) == (user, 0.2, "gpt-4o")


def test_create_shared_with_a_project_of_mine(owner, project):
    response = api(owner).post(URL, {"name": "Team bot", "visibility": "project", "project": "compiler"})
    assert response.status_code == 201, response.json()
    assert response.json()["project"] == "compiler"
    assert response.json()["project_name"] == project.name


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "x", "temperature": 2.5}, "temperature"),
        ({"name": "x", "temperature": -0.1}, "temperature"),
        ({"name": "x" * 81}, "name"),
        ({"name": "   "}, "name"),
        ({}, "name"),
        ({"name": "x", "visibility": "project"}, "project"),
        ({"name": "x", "visibility": "project", "project": "not-mine"}, "project"),
        ({"name": "x", "visibility": "project", "project": "no-such-project"}, "project"),
        ({"name": "x", "status": "asleep"}, "status"),
    ],
)
def test_validation_errors_are_field_errors(payload, field):
    ProjectFactory(slug="not-mine")
    response = api(UserFactory()).post(URL, payload)
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error" and field in body["fields"], body


def test_permissions_matrix(owner, project, shared):
    member = MembershipFactory(project=project).user
    stranger = UserFactory()
    private = AgentFactory(owner=owner)

    # Owner: reads and sees the prompt of both.
    assert api(owner).get(detail(private)).json()["system_prompt"] == "You are helpful."
    assert api(owner).get(detail(shared)).status_code == 200
    # Project member: reads the shared one (without its prompt), never the private one.
    response = api(member).get(detail(shared))
    assert response.status_code == 200 and response.json()["system_prompt"] is None
    assert api(member).get(detail(private)).status_code == 404
    assert api(member).patch(detail(shared), {"name": "Mine now"}).status_code == 403
    assert api(member).delete(detail(shared)).status_code == 403
    # Stranger: 404 for both, whatever the verb.
    for agent in (private, shared):
        assert api(stranger).get(detail(agent)).status_code == 404
        assert api(stranger).patch(detail(agent), {"name": "x"}).status_code == 404
        assert api(stranger).delete(detail(agent)).status_code == 404
    assert Agent.objects.filter(pk__in=[private.pk, shared.pk]).count() == 2
    assert {row["id"] for row in api(member).get(URL).json()["results"]} >= {shared.pk}
    assert shared.pk not in {row["id"] for row in api(stranger).get(URL).json()["results"]}


def test_a_member_who_leaves_loses_the_shared_agent(project, shared):
    membership = MembershipFactory(project=project)
    membership.delete()
    assert api(membership.user).get(detail(shared)).status_code == 404


def test_builtins_are_read_only():
    user = UserFactory()
    agent = builtin(ASSISTANT)
    assert api(user).get(detail(agent)).status_code == 200
    response = api(user).patch(detail(agent), {"name": "Mine"})
    assert response.status_code == 403 and response.json()["type"] == "permission_denied"
    assert api(user).delete(detail(agent)).status_code == 403
    assert Agent.objects.get(pk=agent.pk).name == "Assistant"


def test_owner_updates_and_deletes(owner, project):
    agent = AgentFactory(owner=owner)
    response = api(owner).patch(detail(agent), {"status": "inactive", "temperature": 1.5})
    assert response.status_code == 200, response.json()
    agent.refresh_from_db()
    assert (agent.status, agent.temperature, agent.name) == ("inactive", 1.5, agent.name)

    response = api(owner).patch(detail(agent), {"visibility": "project", "project": project.slug})
    assert response.status_code == 200 and response.json()["project"] == project.slug
    response = api(owner).patch(detail(agent), {"visibility": "private"})
    assert response.status_code == 200 and response.json()["project"] is None
    agent.refresh_from_db()
    assert agent.project is None

    assert api(owner).patch(detail(agent), {"temperature": 3}).status_code == 400
    assert api(owner).put(detail(agent), {"name": "x"}).status_code == 405
    assert api(owner).delete(detail(agent)).status_code == 204
    assert not Agent.objects.filter(pk=agent.pk).exists()


def test_sharing_needs_membership_also_on_update(owner):
    agent = AgentFactory(owner=owner)
    ProjectFactory(slug="theirs")
    response = api(owner).patch(detail(agent), {"visibility": "project", "project": "theirs"})
    assert response.status_code == 400 and "project" in response.json()["fields"]


def test_unknown_ids_are_404():
    user = UserFactory()
    assert api(user).get(f"{URL}999999/").status_code == 404


def test_filters(owner):
    AgentFactory(owner=owner, status="inactive")
    AgentFactory(owner=owner)
    rows = api(owner).get(URL, {"status": "inactive"}).json()["results"]
    assert [row["status"] for row in rows] == ["inactive"]
    assert api(owner).get(URL, {"is_builtin": "false"}).json()["count"] == 2


def test_list_query_count_is_constant(owner, project, django_assert_num_queries):
    client = api(owner)
    AgentFactory(owner=owner)
    AgentFactory(owner=UserFactory(), visibility="project", project=project)
    with django_assert_num_queries(2):  # count + page
        assert client.get(URL).json()["count"] == 5
    for _ in range(10):
        AgentFactory(owner=owner)
        AgentFactory(owner=UserFactory(), visibility="project", project=project)
    with django_assert_num_queries(2):
        assert client.get(URL, {"page_size": 50}).json()["count"] == 25
