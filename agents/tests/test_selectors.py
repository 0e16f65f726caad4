"""agent_for_chat: which agent a user may chat with, and about which project."""

import pytest

from accounts.tests.factories import UserFactory
from agents.builtins import ASSISTANT, CODE_HELPER, PROJECT_ASSISTANT
from agents.models import Agent
from agents.selectors import AgentInactive, agent_for_chat, agents_available_to
from agents.tests.factories import AgentFactory, builtin
from config.errors import NotFound
from projects.models import Project
from projects.tests.factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_builtins_exist_once_with_stable_slugs_and_kinds():
    assert {(a.slug, a.kind) for a in Agent.objects.filter(is_builtin=True)} == {
        (ASSISTANT, "assistant"),
        (PROJECT_ASSISTANT, "project_assistant"),
        (CODE_HELPER, "code_helper"),
    }


def test_builtin_sync_is_idempotent():
    from agents.builtins import builtin_agents_sync

    assert builtin_agents_sync(Agent) == 0
    assert Agent.objects.filter(is_builtin=True).count() == 3


def test_available_agents():
    user = UserFactory()
    project = ProjectFactory()
    MembershipFactory(project=project, user=user)
    own = AgentFactory(owner=user, status="inactive")
    shared = AgentFactory(visibility="project", project=project)
    AgentFactory()  # someone else's private agent
    AgentFactory(visibility="project", project=ProjectFactory())  # another project's
    ids = set(agents_available_to(user).values_list("pk", flat=True))
    builtins = set(Agent.objects.filter(is_builtin=True).values_list("pk", flat=True))
    assert ids == builtins | {own.pk, shared.pk}


def test_chat_with_own_and_builtin_agents():
    user = UserFactory()
    own = AgentFactory(owner=user)
    assert agent_for_chat(user=user, agent_id=own.pk) == own
    agent = agent_for_chat(user=user, agent_id=str(builtin(ASSISTANT).pk))
    assert agent.slug == ASSISTANT and agent.chat_project is None


@pytest.mark.parametrize("agent_id", [0, "abc", None, "999999"])
def test_unknown_agents_are_not_found(agent_id):
    with pytest.raises(NotFound):
        agent_for_chat(user=UserFactory(), agent_id=agent_id)


def test_someone_elses_private_agent_is_not_found():
    with pytest.raises(NotFound):
        agent_for_chat(user=UserFactory(), agent_id=AgentFactory().pk)


def test_inactive_agents_are_refused_with_409():
    user = UserFactory()
    agent = AgentFactory(owner=user, status=Agent.Status.INACTIVE)
    with pytest.raises(AgentInactive) as error:
        agent_for_chat(user=user, agent_id=agent.pk)
    assert (error.value.status_code, error.value.type) == (409, "agent_inactive")


def test_inactive_builtin_is_refused():
    Agent.objects.filter(slug=CODE_HELPER).update(status=Agent.Status.INACTIVE)
    with pytest.raises(AgentInactive):
        agent_for_chat(user=UserFactory(), agent_id=builtin(CODE_HELPER).pk)


def test_project_assistant_needs_a_project_the_user_is_member_of():
    user = UserFactory()
    assistant = builtin(PROJECT_ASSISTANT)
    mine = ProjectFactory(visibility=Project.Visibility.PRIVATE)
    MembershipFactory(project=mine, user=user)
    public = ProjectFactory()

    for project in (mine, mine.slug, mine.pk):
        assert agent_for_chat(user=user, agent_id=assistant.pk, project=project).chat_project == mine
    for project in (None, "", public, public.slug, "no-such-project"):
        with pytest.raises(NotFound):
            agent_for_chat(user=user, agent_id=assistant.pk, project=project)


def test_shared_agent_for_members_only():
    project = ProjectFactory()
    member = MembershipFactory(project=project).user
    agent = AgentFactory(visibility="project", project=project)
    chat_agent = agent_for_chat(user=member, agent_id=agent.pk)
    assert chat_agent == agent and chat_agent.chat_project == project
    assert agent_for_chat(user=agent.owner, agent_id=agent.pk).chat_project is None  # not a member
    with pytest.raises(NotFound):
        agent_for_chat(user=UserFactory(), agent_id=agent.pk)
