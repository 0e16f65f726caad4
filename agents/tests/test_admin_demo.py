"""Admin pages for agents, and the demo seed."""

import io

import pytest

from accounts.tests.factories import UserFactory
from agents import demo
from agents.builtins import ASSISTANT
from agents.models import Agent
from agents.tests.factories import AgentFactory, builtin
from projects.tests.factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_changelist_with_filters_and_search(staff_client):
    AgentFactory(name="Code reviewer")
    response = staff_client.get("/admin/agents/agent/", {"status__exact": "active", "is_builtin__exact": "0"})
    assert response.status_code == 200
    assert "Code reviewer" in response.content.decode()
    response = staff_client.get("/admin/agents/agent/", {"q": "reviewer"})
    assert response.status_code == 200 and "Code reviewer" in response.content.decode()


def test_admin_cannot_delete_builtins(staff_client):
    agent = builtin(ASSISTANT)
    assert staff_client.get(f"/admin/agents/agent/{agent.pk}/change/").status_code == 200
    assert staff_client.get(f"/admin/agents/agent/{agent.pk}/delete/").status_code == 403


def test_demo_seed_is_idempotent():
    user = UserFactory(username="demo")
    project = ProjectFactory()
    MembershipFactory(project=project, user=user)
    out = io.StringIO()
    demo.seed(out)
    demo.seed(out)
    agents = Agent.objects.filter(owner=user)
    assert agents.count() == 3
    assert agents.get(visibility="project").project == project
    assert Agent.objects.filter(is_builtin=True).count() == 3


def test_demo_seed_without_demo_user():
    out = io.StringIO()
    demo.seed(out)
    assert "skipped" in out.getvalue()


def test_admin_switches_agents_off_and_on_built_in_ones_included(staff_client):
    """The admin's actions go through ``agents_status_set``: the agents change, the page says how many."""
    custom, assistant = AgentFactory(name="Code reviewer"), builtin(ASSISTANT)
    already_off = AgentFactory(name="Sleeper", status=Agent.Status.INACTIVE)
    ids = [str(custom.pk), str(assistant.pk), str(already_off.pk)]
    response = staff_client.post(
        "/admin/agents/agent/", {"action": "deactivate", "_selected_action": ids}, follow=True
    )
    assert "2 agent(s) deactivated." in response.content.decode()
    assert set(Agent.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Agent.Status.INACTIVE}
    response = staff_client.post(
        "/admin/agents/agent/", {"action": "activate", "_selected_action": ids}, follow=True
    )
    assert "3 agent(s) activated." in response.content.decode()
    assert set(Agent.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Agent.Status.ACTIVE}
