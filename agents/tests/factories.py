import factory

from accounts.tests.factories import UserFactory
from agents.models import Agent


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
