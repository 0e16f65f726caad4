"""Chat pages without JavaScript: server-rendered history and plain form posts."""

import pytest

from accounts.tests.factories import UserFactory
from chat.models import Conversation, Message
from chat.tests.factories import ConversationFactory, MessageFactory, ensure_builtin_agents


@pytest.mark.django_db
def test_pages_need_a_login(client):
    assert client.get("/chat/").status_code == 302


@pytest.mark.django_db
def test_sidebar_lists_pinned_recent_archived_and_searches(client):
    user = UserFactory()
    ConversationFactory(owner=user, title="Pinned one", pinned=True)
    ConversationFactory(owner=user, title="Recent one")
    ConversationFactory(owner=user, title="Old archived", archived=True)
    ConversationFactory(title="Not mine")
    client.force_login(user)

    page = client.get("/chat/").content.decode()
    assert "Pinned one" in page and "Recent one" in page and "Old archived" in page
    assert "Not mine" not in page
    assert page.index("Pinned one") < page.index("Recent one")
    results = client.get("/chat/?q=archived").content.decode()
    assert "Results for" in results


@pytest.mark.django_db
def test_opening_a_new_chat_writes_nothing_and_preselects_the_agent(client):
    ensure_builtin_agents()
    from agents.models import Agent

    user = UserFactory()
    client.force_login(user)
    helper = Agent.objects.get(slug="code-helper")
    response = client.get(f"/chat/new/?agent={helper.pk}")  # the agents page's old links
    assert response.status_code == 302 and response["Location"] == f"/chat/?agent={helper.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f'<option value="{helper.pk}" selected>' in page
    assert 'name="content"' in page  # type at once
    client.get("/chat/")
    assert not Conversation.objects.filter(owner=user).exists()


@pytest.mark.django_db(transaction=True)
def test_the_first_message_creates_the_conversation_titled_after_it_with_its_answer(client):
    ensure_builtin_agents()
    from agents.models import Agent

    user = UserFactory()
    client.force_login(user)
    helper = Agent.objects.get(slug="code-helper")
    response = client.post(
        "/chat/new/", {"content": "## How do I *rebase* a branch?\nPlease explain", "agent": helper.pk}
    )
    conversation = Conversation.objects.get(owner=user)
    answer = Message.objects.get(conversation=conversation, role="assistant")
    assert response.status_code == 302
    assert response["Location"] == f"/chat/{conversation.pk}/#message-{answer.pk}"
    assert (conversation.title, conversation.agent) == ("How do I rebase a branch?", helper)
    assert answer.status == Message.Status.COMPLETE and answer.parent.content.startswith("## How do I")


@pytest.mark.django_db
def test_an_empty_or_refused_first_message_leaves_no_conversation(client, settings):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/chat/new/", {"content": "   "})
    assert response.status_code == 400 and "Write a message first." in response.content.decode()
    settings.CHAT_MESSAGES_PER_MINUTE = 1
    from chat.quotas import message_rate_check

    message_rate_check(user=user)  # this minute's one message is used up
    response = client.post("/chat/new/", {"content": "Hello there"})
    assert response.status_code == 429
    assert "Hello there</textarea>" in response.content.decode()  # what was typed is kept
    assert not Conversation.objects.filter(owner=user).exists()


@pytest.mark.django_db
def test_history_is_rendered_on_the_server_sanitized_with_usage_and_provider(client):
    conversation = ConversationFactory()
    question = MessageFactory(conversation=conversation, content="Show me code")
    answer = MessageFactory(
        conversation=conversation,
        parent=question,
        role="assistant",
        content="Here:\n\n```python\nprint('hi')\n```\n\n<script>alert('x')</script>",
        provider="offline",
        model="offline",
        prompt_tokens=12,
        completion_tokens=34,
    )
    conversation.active_leaf = answer
    conversation.save()
    client.force_login(conversation.owner)

    page = client.get(f"/chat/{conversation.pk}/").content.decode()
    assert "Show me code" in page
    assert '<div class="codehilite">' in page
    assert "<script>alert" not in page
    assert "12 + 34 tokens" in page
    assert ">offline<" in page
    assert f'action="/chat/{conversation.pk}/send/"' in page


@pytest.mark.django_db
def test_a_strangers_conversation_is_404(client):
    conversation = ConversationFactory()
    client.force_login(UserFactory())
    assert client.get(f"/chat/{conversation.pk}/").status_code == 404
    assert client.post(f"/chat/{conversation.pk}/send/", {"content": "hi"}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_plain_form_post_writes_the_answer_before_the_redirect(client):
    conversation = ConversationFactory()
    client.force_login(conversation.owner)

    response = client.post(f"/chat/{conversation.pk}/send/", {"content": "hello"})

    assert response.status_code == 302
    answer = Message.objects.get(conversation=conversation, role="assistant")
    assert answer.status == Message.Status.COMPLETE
    assert answer.provider == "offline"
    assert "offline assistant" in answer.content
    page = client.get(response["Location"]).content.decode()
    assert "offline assistant" in page


@pytest.mark.django_db(transaction=True)
def test_rename_pin_archive_and_delete_by_form(client):
    conversation = ConversationFactory()
    client.force_login(conversation.owner)
    client.post(f"/chat/{conversation.pk}/settings/", {"title": "Renamed"})
    client.post(f"/chat/{conversation.pk}/settings/", {"pinned": "1"})
    client.post(f"/chat/{conversation.pk}/settings/", {"archived": "1"})
    conversation.refresh_from_db()
    assert (conversation.title, conversation.pinned, conversation.archived) == ("Renamed", True, True)
    client.post(f"/chat/{conversation.pk}/delete/")
    assert not Conversation.objects.filter(pk=conversation.pk).exists()


@pytest.mark.django_db
def test_delete_without_javascript_asks_on_a_page_first(client):
    conversation = ConversationFactory(title="Keep me?")
    client.force_login(conversation.owner)
    page = client.get(f"/chat/{conversation.pk}/delete/").content.decode()
    assert "Delete this chat?" in page and "“Keep me?”" in page
    assert Conversation.objects.filter(pk=conversation.pk).exists()
    client.force_login(UserFactory())
    assert client.get(f"/chat/{conversation.pk}/delete/").status_code == 404


@pytest.mark.django_db
def test_show_another_version_switches_the_branch_down_to_its_newest_message(client):
    conversation = ConversationFactory()
    first = MessageFactory(conversation=conversation, content="First question")
    first_answer = MessageFactory(conversation=conversation, parent=first, role="assistant", content="A1")
    follow_up = MessageFactory(conversation=conversation, parent=first_answer, content="Follow-up")
    follow_answer = MessageFactory(
        conversation=conversation, parent=follow_up, role="assistant", content="A2"
    )
    edited = MessageFactory(conversation=conversation, content="Edited question")
    edited_answer = MessageFactory(conversation=conversation, parent=edited, role="assistant", content="A3")
    conversation.active_leaf = edited_answer
    conversation.save()
    client.force_login(conversation.owner)

    page = client.get(f"/chat/{conversation.pk}/").content.decode()
    assert "Edited question" in page and "First question" not in page
    assert (
        f'action="/chat/{conversation.pk}/messages/{first.pk}/show/"' in page
    )  # "previous version" leads to it
    response = client.post(f"/chat/{conversation.pk}/messages/{first.pk}/show/")
    assert response["Location"] == f"/chat/{conversation.pk}/#message-{first.pk}"
    conversation.refresh_from_db()
    assert conversation.active_leaf_id == follow_answer.pk  # down the whole branch
    page = client.get(f"/chat/{conversation.pk}/").content.decode()
    assert "Follow-up" in page and "Edited question" not in page

    assert client.post(f"/chat/{conversation.pk}/messages/999999/show/").status_code == 404
    client.force_login(UserFactory())
    assert client.post(f"/chat/{conversation.pk}/messages/{first.pk}/show/").status_code == 404
