"""Services: the same rules whoever calls them (API, pages, admin)."""

import pytest

from accounts.tests.factories import UserFactory
from agents.builtins import ASSISTANT
from agents.models import Agent
from agents.services import agent_create, agent_delete, agent_update, agents_status_set
from agents.tests.factories import AgentFactory, builtin
from config.errors import DomainError, Forbidden, NotFound
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_create_checks_temperature_and_sharing():
    user = UserFactory()
    with pytest.raises(DomainError) as error:
        agent_create(owner=user, name="x", temperature=2.1)
    assert error.value.fields == {"temperature": ["Temperature is between 0 and 2."]}
    with pytest.raises(DomainError) as error:
        agent_create(owner=user, name="x", visibility="project", project=ProjectFactory())
    assert "project" in error.value.fields


def test_private_agents_drop_their_project():
    user = UserFactory()
    project = ProjectFactory(owner=user)
    agent = agent_create(owner=user, name="Bot", visibility="project", project=project)
    assert agent.project == project
    agent = agent_update(user=user, agent=agent, data={"visibility": "private"})
    agent.refresh_from_db()
    assert agent.project is None and agent.visibility == "private"


def test_only_the_owner_changes_an_agent():
    agent = AgentFactory()
    with pytest.raises(NotFound):
        agent_update(user=UserFactory(), agent=agent, data={"name": "x"})
    with pytest.raises(NotFound):
        agent_delete(user=UserFactory(), agent=agent)
    with pytest.raises(Forbidden):
        agent_delete(user=UserFactory(), agent=builtin(ASSISTANT))
    with pytest.raises(DomainError):
        agent_update(user=agent.owner, agent=agent, data={"owner": UserFactory()})


def test_only_staff_switch_agents_on_or_off():
    agent = AgentFactory()
    with pytest.raises(Forbidden):
        agents_status_set(actor=agent.owner, agents=Agent.objects.all(), status=Agent.Status.INACTIVE)
    agent.refresh_from_db()
    assert agent.status == Agent.Status.ACTIVE
