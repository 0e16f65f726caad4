import factory

from accounts.tests.factories import UserFactory
from chat.models import Conversation, Message


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Conversation {n}")
    agent = factory.LazyFunction(lambda: _builtin_assistant())


def ensure_builtin_agents() -> None:
    """Transactional tests truncate the rows the data migration made: put them back."""
    from agents.builtins import builtin_agents_sync
    from agents.models import Agent

    builtin_agents_sync(Agent)


def _builtin_assistant():
    from agents.models import Agent

    ensure_builtin_agents()
    return Agent.objects.get(slug="assistant")


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    role = Message.Role.USER
    content = factory.Sequence(lambda n: f"Message {n}")
    status = Message.Status.COMPLETE
