"""The chat in a real browser against the real ASGI server (offline assistant, streaming)."""

import pytest
from playwright.sync_api import expect

from chat.models import Message
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
    answer = page.locator(".chat-assistant.chat-status-complete").last
    expect(answer).to_contain_text("Orbit Project 7", timeout=15_000)
    assert len(answer.inner_text()) > len(partial)
    expect(answer.locator(".chat-body strong").first).to_be_visible()  # Markdown, rendered on the server
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
    expect(page.locator(".chat-assistant").last).to_contain_text("version 2 of 2")
