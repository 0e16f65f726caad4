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


def room_with_members(*usernames: str, maintainers: tuple[str, ...] = ()):
    """A project whose owner is the first username, with the others as members
    (``maintainers`` among them as maintainers). Returns (project, {username: user})."""
    from projects.models import Membership
    from projects.tests.factories import MembershipFactory, ProjectFactory

    owner_name, *others = usernames
    owner = UserFactory(username=owner_name)
    project = ProjectFactory(owner=owner)
    users: dict = {owner_name: owner}
    for name in others:
        role = Membership.Role.MAINTAINER if name in maintainers else Membership.Role.MEMBER
        users[name] = MembershipFactory(project=project, user=UserFactory(username=name), role=role).user
    return project, users
