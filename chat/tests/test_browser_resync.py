"""The chat page after its socket is lost: it reconnects and re-reads what it missed."""

import pytest
from playwright.sync_api import expect

from chat.models import Message
from chat.services import INTERRUPTED, INTERRUPTED_DETAIL
from chat.tests.factories import ConversationFactory, MessageFactory
from config.pytest_plugin import log_in_page as log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_after_a_resync_close_the_page_reconnects_and_shows_what_it_missed(page, asgi_live_server):
    conversation = ConversationFactory()
    question = MessageFactory(conversation=conversation, content="Are you there?")
    answer = MessageFactory(
        conversation=conversation,
        parent=question,
        role=Message.Role.ASSISTANT,
        status=Message.Status.STREAMING,
        content="Let me th",
    )
    conversation.active_leaf = answer
    conversation.save(update_fields=["active_leaf"])
    log_in(page, asgi_live_server.url, conversation.owner)

    # Every socket of the page passes through here, so the test can cut one as a server
    # that lost Redis would: the resync error frame, then close 4503.
    sockets = []

    def through(ws):
        sockets.append(ws)
        ws.connect_to_server()

    page.route_web_socket("**/ws/chat/**", through)
    page.goto(f"{asgi_live_server.url}/chat/{conversation.pk}/")
    root = page.locator("#chat-root")
    expect(root).to_have_attribute("data-socket", "open")
    expect(page.locator(f"#message-{answer.pk}")).to_have_attribute("data-status", "streaming")
    expect(page.locator("#chat-stop")).to_be_visible()

    # Meanwhile, frames this page never gets: the answer was closed, a new exchange added.
    Message.objects.filter(pk=answer.pk).update(
        status=Message.Status.FAILED, error_type=INTERRUPTED, error_detail=INTERRUPTED_DETAIL
    )
    follow_up = MessageFactory(conversation=conversation, parent=answer, content="Hello again?")
    reply = MessageFactory(
        conversation=conversation, parent=follow_up, role=Message.Role.ASSISTANT, content="**Yes**, here."
    )
    conversation.active_leaf = reply
    conversation.save(update_fields=["active_leaf"])

    # The notice may come and go faster than a poll once the page has reconnected, so the
    # page itself records every alert it shows.
    page.evaluate(
        """() => {
            window.__alerts = [];
            new MutationObserver(() => {
                document.querySelectorAll('[role="alert"]').forEach((el) => {
                    if (el.textContent.trim()) window.__alerts.push(el.textContent.trim());
                });
            }).observe(document.body, {childList: true, subtree: true, characterData: true});
        }"""
    )
    sockets[-1].send('{"type": "error", "code": "resync", "detail": "Live updates were interrupted."}')
    sockets[-1].close(code=4503, reason="resync")

    page.wait_for_function(
        "() => window.__alerts.some((text) => text.includes('Live updates were interrupted'))"
    )
    expect(root).to_have_attribute("data-socket", "open", timeout=15_000)
    assert len(sockets) == 2  # it reconnected by itself
    expect(page.locator(f"#message-{answer.pk}")).to_have_attribute("data-status", "failed")
    expect(page.locator(f"#message-{answer.pk} .chat-error")).to_have_text(INTERRUPTED_DETAIL)
    expect(page.locator(f"#message-{reply.pk} .chat-body strong")).to_have_text("Yes")
    expect(page.locator(".chat-message")).to_have_count(4)
    expect(page.locator("#chat-stop")).to_be_hidden()
    expect(page.get_by_role("alert").filter(has_text="Live updates were interrupted")).to_have_count(0)
