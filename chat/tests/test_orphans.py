"""Answers whose writing process died (killed, crashed, redeployed) never lock a conversation.

An orphan is simulated here by an answer left ``streaming`` with an old heartbeat, as a
killed process leaves it; ``test_faults.py`` kills a real server process mid-answer.
"""

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone
from rest_framework.test import APIClient

from chat.generation import running_generation
from chat.models import Message
from chat.services import INTERRUPTED
from chat.tasks import close_orphaned_answers
from chat.tests.factories import ConversationFactory, MessageFactory
from chat.tests.helpers import connect, eventually, frames_until, make_conversation, reload_message

API = "/api/v1/conversations"


@pytest.fixture
def api():
    return APIClient()


def orphaned_exchange(conversation, *, beat_seconds_ago: float = 60):
    """A question and an answer left "streaming" by a process that stopped beating."""
    question = MessageFactory(conversation=conversation, content="Tell me everything")
    answer = MessageFactory(
        conversation=conversation,
        parent=question,
        role=Message.Role.ASSISTANT,
        status=Message.Status.STREAMING,
        content="Half of it",
        heartbeat_at=timezone.now() - timedelta(seconds=beat_seconds_ago),
    )
    conversation.active_leaf = answer
    conversation.save(update_fields=["active_leaf"])
    return question, answer


@pytest.mark.django_db(transaction=True)
def test_regenerate_succeeds_at_once_when_the_answers_process_is_gone(api):
    conversation = ConversationFactory()
    _, answer = orphaned_exchange(conversation)
    api.force_authenticate(conversation.owner)

    response = api.post(f"{API}/{conversation.pk}/messages/{answer.pk}/regenerate", format="json")

    assert response.status_code == 201, response.content
    assert response.json()["assistant_message"]["status"] == "complete"
    answer.refresh_from_db()
    assert answer.status == Message.Status.FAILED
    assert answer.error_type == INTERRUPTED
    assert answer.content == "Half of it"  # the saved part is kept


@pytest.mark.django_db
def test_an_answer_whose_process_still_beats_keeps_the_conversation_busy(api, settings):
    conversation = ConversationFactory()
    _, answer = orphaned_exchange(conversation, beat_seconds_ago=settings.CHAT_ORPHAN_AFTER_SECONDS / 2)
    api.force_authenticate(conversation.owner)

    response = api.post(f"{API}/{conversation.pk}/messages/", {"content": "Next"}, format="json")

    assert response.status_code == 409
    assert response.json()["type"] == "answer_in_progress"
    answer.refresh_from_db()
    assert answer.status == Message.Status.STREAMING


@pytest.mark.django_db(transaction=True)
def test_closing_an_orphan_survives_a_refused_send(api, settings):
    """The close commits on its own: a send refused afterwards (429) does not undo it."""
    settings.CHAT_MESSAGES_PER_MINUTE = 1
    conversation = ConversationFactory()
    api.force_authenticate(conversation.owner)
    url = f"{API}/{conversation.pk}/messages/"
    assert api.post(url, {"content": "one"}, format="json").status_code == 201
    _, answer = orphaned_exchange(conversation)

    response = api.post(url, {"content": "two"}, format="json")

    assert response.status_code == 429
    answer.refresh_from_db()
    assert answer.status == Message.Status.FAILED


@pytest.mark.django_db
def test_stop_closes_an_answer_nobody_writes_any_more(api):
    conversation = ConversationFactory()
    _, answer = orphaned_exchange(conversation)
    api.force_authenticate(conversation.owner)

    assert api.post(f"{API}/{conversation.pk}/stop").status_code == 202

    answer.refresh_from_db()
    assert answer.status == Message.Status.FAILED
    history = api.get(f"{API}/{conversation.pk}/messages/").json()["results"]
    assert history[0]["status"] == "failed"
    assert history[0]["error"]["type"] == INTERRUPTED


@pytest.mark.django_db
def test_the_stop_form_closes_an_orphan_too(client):
    conversation = ConversationFactory()
    _, answer = orphaned_exchange(conversation)
    client.force_login(conversation.owner)

    response = client.post(f"/chat/{conversation.pk}/stop/")

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == Message.Status.FAILED


def test_beat_runs_the_orphan_sweep_every_few_seconds(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["chat-close-orphaned-answers"]
    assert entry["task"] in app.tasks
    assert entry["schedule"].total_seconds() <= settings.CHAT_ORPHAN_AFTER_SECONDS


@pytest.mark.django_db(transaction=True)
async def test_the_beat_task_closes_orphans_and_tells_the_open_sockets():
    conversation = await make_conversation()
    _, answer = await sync_to_async(orphaned_exchange)(conversation)
    _, live = await sync_to_async(orphaned_exchange)(await make_conversation(), beat_seconds_ago=1)
    ws, _ = await connect(conversation.owner, conversation.pk)

    closed = await sync_to_async(close_orphaned_answers)()

    assert closed == 1
    frames = await frames_until(ws, "error")
    await ws.disconnect()
    assert frames[-1]["code"] == INTERRUPTED
    assert frames[-1]["message"]["id"] == answer.pk
    assert frames[-1]["message"]["status"] == "failed"
    assert (await reload_message(live.pk)).status == Message.Status.STREAMING


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_generation_left_running")
async def test_a_slow_answer_keeps_beating_and_is_never_taken_for_an_orphan(fake_openai_settings, settings):
    settings.CHAT_HEARTBEAT_SECONDS = 0.1
    settings.CHAT_ORPHAN_AFTER_SECONDS = 0.5
    fake_openai_settings.reply(tokens=["slow ", "but ", "alive"], token_delay=0.6)
    conversation = await make_conversation()
    ws, _ = await connect(conversation.owner, conversation.pk)

    await ws.send_json_to({"type": "message.send", "content": "Take your time", "client_id": "c"})
    answer_id = (await frames_until(ws, "assistant.delta"))[-1]["message_id"]
    first_beat = (await reload_message(answer_id)).heartbeat_at
    await asyncio.sleep(1.0)  # two orphan windows with no saved progress between tokens
    assert await sync_to_async(close_orphaned_answers)() == 0
    assert (await reload_message(answer_id)).heartbeat_at > first_beat

    frames = await frames_until(ws, "assistant.completed", within=5)
    await ws.disconnect()
    assert frames[-1]["message"]["status"] == "complete"
    assert frames[-1]["message"]["content"] == "slow but alive"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_generation_left_running")
async def test_a_writer_whose_answer_was_closed_elsewhere_gives_up(fake_openai_settings, settings):
    """After a stall longer than the orphan window the sweep may close a live answer; its
    writer then stops at its next heartbeat instead of reopening or overwriting it."""
    settings.CHAT_HEARTBEAT_SECONDS = 0.1
    fake_openai_settings.reply(tokens=[f"w{i} " for i in range(40)], token_delay=0.1)
    conversation = await make_conversation()
    ws, _ = await connect(conversation.owner, conversation.pk)
    await ws.send_json_to({"type": "message.send", "content": "Long one", "client_id": "c"})
    answer_id = (await frames_until(ws, "assistant.delta"))[-1]["message_id"]

    await sync_to_async(Message.objects.filter(pk=answer_id).update)(
        status=Message.Status.FAILED, error_type=INTERRUPTED
    )

    assert await eventually(lambda: running_generation(conversation.pk) is None, within=3)
    frames = await frames_until(ws, "error", within=3)
    await ws.disconnect()
    assert frames[-1]["message"]["status"] == "failed"
    answer = await reload_message(answer_id)
    assert (answer.status, answer.error_type) == (Message.Status.FAILED, INTERRUPTED)
    assert await eventually(lambda: fake_openai_settings.exchanges[-1].client_closed)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_generation_left_running")
async def test_a_socket_stops_an_orphan_and_regenerates_at_once():
    conversation = await make_conversation()
    _, answer = await sync_to_async(orphaned_exchange)(conversation)
    ws, _ = await connect(conversation.owner, conversation.pk)

    await ws.send_json_to({"type": "generation.stop"})
    closed = (await frames_until(ws, "error"))[-1]
    assert (closed["code"], closed["message"]["id"], closed["message"]["status"]) == (
        INTERRUPTED,
        answer.pk,
        "failed",
    )

    await ws.send_json_to({"type": "message.regenerate", "message_id": answer.pk})
    frames = await frames_until(ws, "assistant.completed")
    await ws.disconnect()
    assert frames[-1]["message"]["status"] == "complete"
    assert frames[-1]["message"]["parent"] == answer.parent_id
