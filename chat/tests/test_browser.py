"""The chat in a real browser against the real ASGI server (offline assistant, streaming)."""

from typing import Any

import pytest
from playwright.sync_api import expect

from chat.models import Conversation, Message
from chat.tests.factories import ConversationFactory
from config.pytest_plugin import log_in_page as log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFLINE_CHUNK_DELAY = 0.05  # seconds between the offline assistant's chunks: slow enough to press Stop


@pytest.fixture(scope="module")
def chat_live_server(django_db_setup, django_db_blocker, _live_mail_dir):
    """Like ``asgi_live_server``, but started with the offline assistant at a human pace
    (test settings make it instant, and the shared server keeps the settings it started with)."""
    from config.pytest_plugin import live_server_running

    with live_server_running(django_db_blocker, LLM_OFFLINE_CHUNK_DELAY=OFFLINE_CHUNK_DELAY) as server:
        yield server


def test_send_watch_the_reply_stream_stop_it_and_regenerate(page, chat_live_server):
    from projects.tests.factories import ProjectFactory, TaskFactory

    conversation = ConversationFactory(title="")
    user = conversation.owner
    for i in range(8):
        project = ProjectFactory(owner=user, name=f"Orbit Project {i}", summary="A long running project")
        for j in range(5):  # open tasks make the second answer long enough to stop by hand
            TaskFactory(project=project, title=f"Write the migration guide for component {i}-{j}")
    base = chat_live_server.url
    log_in(page, base, user)

    page.goto(f"{base}/chat/{conversation.pk}/")
    expect(page.locator("#chat-root")).to_have_attribute("data-socket", "open")

    # Send: the answer streams in as plain text, then becomes rendered Markdown.
    page.get_by_label("Message", exact=True).fill("Which projects am I in?")
    page.get_by_role("button", name="Send").click()
    streaming = page.locator(".chat-assistant.chat-status-streaming .chat-plain")
    expect(streaming).not_to_be_empty()
    partial = streaming.inner_text()
    # Markdown is rendered while it streams: the list is a list, not dashes.
    expect(page.locator(".chat-assistant.chat-status-streaming .chat-body li").first).to_be_visible()
    answer = page.locator(".chat-assistant.chat-status-complete").last
    expect(answer).to_contain_text("Orbit Project 7", timeout=15_000)
    assert len(answer.inner_text()) > len(partial)
    expect(answer.locator(".chat-body strong").first).to_be_visible()  # Markdown, rendered on the server
    expect(answer.locator(".chat-body li")).to_have_count(8)
    assert "\n- " not in answer.locator(".chat-body").inner_text()
    expect(answer.locator(".chat-label")).to_have_text("offline")
    expect(answer.locator(".chat-usage")).to_contain_text("tokens")

    # Stop a second answer mid-way: saved as stopped with its partial text.
    page.get_by_label("Message", exact=True).fill("What are my open tasks?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".chat-assistant.chat-status-streaming .chat-plain")).not_to_be_empty()
    page.get_by_role("button", name="Stop").click()
    stopped = page.locator(".chat-assistant.chat-status-stopped")
    expect(stopped).to_be_visible()
    expect(page.locator("#chat-stop")).to_be_hidden()
    saved = (
        Message.objects.filter(conversation=conversation, role="assistant").order_by("-created_at").first()
    )
    assert saved.status == Message.Status.STOPPED
    assert len(saved.content) > 0 and "component 7-4" not in saved.content

    # Regenerate it: a new, complete answer replaces the stopped one on the page.
    stopped.get_by_role("button", name="Regenerate").click()
    expect(page.locator(".chat-assistant.chat-status-stopped")).to_have_count(0)
    expect(page.locator(".chat-assistant.chat-status-streaming")).to_have_count(1)
    expect(page.locator(".chat-assistant.chat-status-complete")).to_have_count(2, timeout=20_000)
    expect(page.locator(".chat-assistant").last).to_contain_text("component 7-4")
    answers = Message.objects.filter(conversation=conversation, role="assistant", parent=saved.parent)
    assert sorted(a.status for a in answers) == ["complete", "stopped"]

    # Reloaded without the socket's help, the page shows the same active branch.
    page.reload()
    expect(page.locator(".chat-message")).to_have_count(4)
    expect(page.locator(".chat-assistant").last.locator(".chat-branch")).to_have_text("2/2")


def _long_conversation(turns: int = 12):
    """A conversation whose history is taller than any screen, ending on a known answer."""
    from chat.tests.factories import MessageFactory

    conversation = ConversationFactory.create(title="A long talk")
    parent: Any = None
    for i in range(turns):
        question = MessageFactory(conversation=conversation, parent=parent, content=f"Question {i}")
        parent = MessageFactory(
            conversation=conversation,
            parent=question,
            role="assistant",
            provider="offline",
            content=f"Answer {i}:\n\n" + "\n".join(f"- point {j}" for j in range(6)),
        )
    conversation.active_leaf = parent
    conversation.save()
    return conversation


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_the_page_opens_at_the_newest_message_above_a_composer_that_never_covers_it(
    page, asgi_live_server, width, height
):
    conversation = _long_conversation()
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, asgi_live_server.url, conversation.owner)
    page.goto(f"{asgi_live_server.url}/chat/{conversation.pk}/")

    newest = page.locator(".chat-message").last
    expect(newest).to_contain_text("Answer 11")
    expect(newest).to_be_in_viewport()
    expect(page.locator(".chat-message").first).not_to_be_in_viewport()
    composer = page.locator(".chat-composer").bounding_box()
    assert newest.bounding_box()["y"] + newest.bounding_box()["height"] <= composer["y"]
    assert composer["y"] + composer["height"] <= height  # the composer is on screen, at the bottom
    assert composer["width"] >= min(width - 300, 780)  # wide, not a narrow box
    # The page itself does not scroll: only the message list does, under a header and
    # a sidebar that stay where they are.
    assert page.evaluate("document.scrollingElement.scrollHeight") <= height
    title_y = page.get_by_role("heading", level=1).bounding_box()["y"]
    page.locator("#chat-scroll").evaluate("list => list.scrollBy(0, -list.scrollHeight)")
    expect(page.locator(".chat-message").first).to_be_in_viewport()
    assert page.get_by_role("heading", level=1).bounding_box()["y"] == title_y
    if width > 768:
        expect(page.get_by_role("link", name="+ New chat")).to_be_in_viewport()
    else:  # on a phone the chats are a drawer behind a real button
        toggle = page.get_by_role("button", name="Chats", exact=True)
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(page.get_by_role("link", name="+ New chat")).to_be_in_viewport()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        page.keyboard.press("Escape")
        expect(page.get_by_role("link", name="+ New chat")).not_to_be_in_viewport()


def test_delete_asks_first(page, asgi_live_server):
    conversation = _long_conversation(turns=1)
    log_in(page, asgi_live_server.url, conversation.owner)
    page.goto(f"{asgi_live_server.url}/chat/{conversation.pk}/")

    page.get_by_label("Chat options").click()
    page.get_by_role("link", name="Delete…").click()
    dialog = page.get_by_role("dialog", name="Delete this chat?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert Conversation.objects.filter(pk=conversation.pk).exists()

    page.get_by_label("Chat options").click()
    page.get_by_role("link", name="Delete…").click()
    dialog.get_by_role("button", name="Delete").click()
    expect(page).to_have_url(f"{asgi_live_server.url}/chat/")
    assert not Conversation.objects.filter(pk=conversation.pk).exists()


def test_type_in_a_new_chat_at_once_and_get_the_answer(page, asgi_live_server):
    from accounts.tests.factories import UserFactory

    user = UserFactory()
    log_in(page, asgi_live_server.url, user)
    page.goto(f"{asgi_live_server.url}/chat/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What can I help with?")
    assert not Conversation.objects.filter(owner=user).exists()  # opening the page wrote nothing

    message = page.get_by_label("Message", exact=True)
    expect(message).to_be_focused()
    message.fill("Which projects am I in?")
    message.press("Enter")

    answer = page.locator(".chat-assistant.chat-status-complete")
    expect(answer).to_contain_text("offline assistant", timeout=15_000)
    conversation = Conversation.objects.get(owner=user)
    expect(page).to_have_url(f"{asgi_live_server.url}/chat/{conversation.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Which projects am I in?")
    expect(page.locator(".chat-sidebar li.active")).to_contain_text("Which projects am I in?")


def test_edit_a_just_sent_message_and_switch_between_versions(page, asgi_live_server):
    conversation = ConversationFactory(title="")
    log_in(page, asgi_live_server.url, conversation.owner)
    page.goto(f"{asgi_live_server.url}/chat/{conversation.pk}/")
    expect(page.locator("#chat-root")).to_have_attribute("data-socket", "open")

    page.get_by_label("Message", exact=True).fill("Which projects am I in?")
    page.get_by_role("button", name="Send").click()
    question = page.locator(".chat-user").last
    # Edit is there at once, no reload.
    question.get_by_text("Edit", exact=True).click()
    edited = question.get_by_label("Edited message")
    expect(edited).to_have_value("Which projects am I in?")
    expect(page.locator(".chat-assistant.chat-status-complete")).to_have_count(1, timeout=15_000)
    edited.fill("What are my open tasks?")
    question.get_by_role("button", name="Save and ask again").click()

    # The edited question and its answer replace the first exchange, each marked 2/2.
    expect(page.locator(".chat-user")).to_have_count(1)
    expect(page.locator(".chat-user .chat-body")).to_have_text("What are my open tasks?")
    expect(page.locator(".chat-user .chat-branch")).to_have_text("2/2", timeout=15_000)
    expect(page.locator(".chat-assistant.chat-status-complete")).to_contain_text("open tasks")

    # "Previous version" goes back to the first one with its own answer, "Next" forward again.
    page.get_by_role("button", name="Previous version").click()
    expect(page.locator(".chat-user .chat-body")).to_have_text("Which projects am I in?")
    expect(page.locator(".chat-user .chat-branch")).to_have_text("1/2")
    expect(page.locator(".chat-assistant")).to_contain_text("project")
    expect(page.get_by_role("button", name="Next version")).to_be_focused()
    page.get_by_role("button", name="Next version").click()
    expect(page.locator(".chat-user .chat-body")).to_have_text("What are my open tasks?")
    conversation.refresh_from_db()
    assert conversation.active_leaf.parent.content == "What are my open tasks?"
    page.reload()  # the server shows the version chosen last
    expect(page.locator(".chat-user .chat-body")).to_have_text("What are my open tasks?")


def test_code_blocks_are_highlighted_with_a_copy_button(page, asgi_live_server):
    from chat.tests.factories import MessageFactory

    conversation = ConversationFactory.create(title="Code")
    question = MessageFactory(conversation=conversation, content="Show me Python")
    answer = MessageFactory(
        conversation=conversation,
        parent=question,
        role="assistant",
        provider="offline",
        content="Here:\n```python\ndef greet(name):\n    return f'hi {name}'\n```",
    )
    conversation.active_leaf = answer
    conversation.save()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, asgi_live_server.url, conversation.owner)
    page.goto(f"{asgi_live_server.url}/chat/{conversation.pk}/")

    keyword = page.locator(".codehilite .k").first
    expect(keyword).to_have_text("def")
    expect(keyword).to_have_css("color", "rgb(0, 128, 0)")  # Pygments' default style is loaded
    copy = page.get_by_role("button", name="Copy code")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()").startswith("def greet(name):")
