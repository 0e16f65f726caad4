import factory

from accounts.tests.factories import UserFactory
from agents.models import Agent, AgentRun


class AgentFactory(factory.django.DjangoModelFactory):
    """A private custom agent; pass ``project=…, visibility="project"`` to share it."""

    class Meta:
        model = Agent

    owner = factory.SubFactory(UserFactory)
    kind = Agent.Kind.CUSTOM
    name = factory.Sequence(lambda n: f"Agent {n}")
    description = "Helps with things."
    system_prompt = "You are helpful."
    temperature = 0.7
    status = Agent.Status.ACTIVE
    visibility = Agent.Visibility.PRIVATE


def builtin(slug: str) -> Agent:
    return Agent.objects.get(slug=slug)


class AgentRunFactory(factory.django.DjangoModelFactory):
    """A queued run by the project's owner; pass ``status=…`` etc. for other states."""

    class Meta:
        model = AgentRun

    project = factory.SubFactory("projects.tests.factories.ProjectFactory")
    owner = factory.LazyAttribute(lambda o: o.project.owner)
    kind = AgentRun.Kind.SKILL_MATCH
    input = factory.LazyFunction(lambda: {"limit": 20})
    step = "Waiting for a worker"
