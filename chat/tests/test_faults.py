"""Faults injected for real: a Redis stopped mid-stream, a server process killed mid-answer.

Each asserts that the client is told, and that nothing stays stuck: the answer is saved
and closed, and the user can stop, regenerate and chat again.
"""

import asyncio
import json
import os
import signal
import time

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from chat.models import Message
from chat.services import INTERRUPTED
from chat.tests.factories import ConversationFactory
from chat.tests.helpers import connect, frames_until, make_conversation, reload_message
from config.layer_watch import CLOSE_RESYNC, layer_watch
from config.pytest_plugin import live_server_running

pytestmark = pytest.mark.slow

API = "/api/v1/conversations"
SLOW_CHUNKS = 0.05  # seconds between the offline assistant's chunks: an answer takes seconds


def redis_layer(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": url, "socket_connect_timeout": 1}], "prefix": "faults"},
        }
    }


async def closed_with(ws, *, within: float = 5.0) -> int:
    output = await ws.receive_output(timeout=within)
    assert output["type"] == "websocket.close", output
    return output.get("code")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_generation_left_running")
async def test_redis_stopped_mid_stream_tells_the_socket_and_nothing_is_lost(redis_server, settings, capsys):
    settings.CHANNEL_LAYERS = redis_layer(redis_server.url)
    settings.LLM_OFFLINE_CHUNK_DELAY = SLOW_CHUNKS
    channel_layers.backends.clear()
    conversation = await make_conversation()
    ws, connected = await connect(conversation.owner, conversation.pk)
    assert connected
    await ws.send_json_to({"type": "message.send", "content": "Tell me about DevCrew", "client_id": "c1"})
    answer_id = (await frames_until(ws, "assistant.delta"))[-1]["message_id"]

    redis_server.stop()
    stopped_at = time.monotonic()

    # Told at once: an error frame saying "resync", then close 4503; never silence.
    frames = await frames_until(ws, "error", within=5)
    assert frames[-1]["code"] == "resync"
    told_after = time.monotonic() - stopped_at
    assert await closed_with(ws) == CLOSE_RESYNC
    # The answer is still written to the end and saved, whatever the layer.
    answer = await reload_message(answer_id)
    for _ in range(300):
        if answer.status != Message.Status.STREAMING:
            break
        await asyncio.sleep(0.1)
        answer = await reload_message(answer_id)
    assert answer.status == Message.Status.COMPLETE
    assert len(answer.content) > 100

    # While Redis is down a new socket is refused cleanly (the same frame and code, no 500)...
    ws, connected = await connect(conversation.owner, conversation.pk)
    assert connected
    assert (await ws.receive_json_from(timeout=5))["code"] == "resync"
    assert await closed_with(ws) == CLOSE_RESYNC

    # ...and once it is back, the client reconnects, finds the whole answer in the history
    # (what the page's script re-reads) and can go on.
    redis_server.start()
    channel_layers.backends.clear()
    settings.LLM_OFFLINE_CHUNK_DELAY = 0
    ws, connected = await connect(conversation.owner, conversation.pk)
    assert connected
    history = await sync_to_async(_history)(conversation)
    assert history[0]["id"] == answer_id
    assert (history[0]["status"], history[0]["content"]) == ("complete", answer.content)
    await ws.send_json_to({"type": "message.send", "content": "And then?", "client_id": "c2"})
    frames = await frames_until(ws, "assistant.completed", within=10)
    await ws.disconnect()
    assert frames[-1]["message"]["status"] == "complete"
    with capsys.disabled():
        print(f"\n[faults] socket told to resync {told_after:.2f} s after Redis stopped mid-stream")


@pytest.mark.django_db(transaction=True)
async def test_an_idle_socket_is_told_when_redis_restarts_under_it(redis_server, settings, capsys):
    """Nothing of this process was sending: the layer's probe notices the restart (messages
    published meanwhile by other processes were lost) and the socket is told to resync."""
    settings.CHANNEL_LAYERS = redis_layer(redis_server.url)
    channel_layers.backends.clear()
    conversation = await make_conversation()
    ws, connected = await connect(conversation.owner, conversation.pk)
    assert connected
    await ws.send_json_to({"type": "ping"})
    assert (await ws.receive_json_from(timeout=5))["type"] == "pong"
    watch = layer_watch()
    for _ in range(100):  # until the probe has seen this Redis once
        if watch.run_id is not None:
            break
        await asyncio.sleep(0.1)
    assert watch.run_id is not None

    restarted_at = time.monotonic()
    await sync_to_async(redis_server.stop)()
    await sync_to_async(redis_server.start)()

    frame = await ws.receive_json_from(timeout=5)
    told_after = time.monotonic() - restarted_at
    assert frame["code"] == "resync"
    assert await closed_with(ws) == CLOSE_RESYNC
    with capsys.disabled():
        print(f"\n[faults] idle socket told to resync {told_after:.2f} s after Redis restarted")


def _history(conversation) -> list[dict]:
    api = APIClient()
    api.force_authenticate(conversation.owner)
    response = api.get(f"{API}/{conversation.pk}/messages/")
    assert response.status_code == 200
    return response.json()["results"]


@pytest.mark.django_db(transaction=True)
def test_a_server_killed_mid_answer_leaves_nothing_stuck(django_db_blocker, _live_mail_dir, settings, capsys):
    import httpx2

    settings.CHAT_HEARTBEAT_SECONDS = 0.5
    settings.CHAT_ORPHAN_AFTER_SECONDS = 2
    conversation = ConversationFactory()
    token = str(AccessToken.for_user(conversation.owner))
    with live_server_running(
        django_db_blocker,
        LLM_OFFLINE_CHUNK_DELAY=0.25,
        CHAT_HEARTBEAT_SECONDS=0.5,
        CHAT_ORPHAN_AFTER_SECONDS=2,
    ) as server:
        answer_id, deltas = None, 0
        with httpx2.stream(
            "POST",
            f"{server.url}{API}/{conversation.pk}/messages/",
            json={"content": "Tell me about DevCrew"},
            headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"},
            timeout=10,
        ) as response:
            assert response.status_code == 200
            lines = response.iter_lines()
            with pytest.raises(httpx2.TransportError):  # the client is told: the stream breaks
                for line in lines:
                    if line.startswith("data: ") and '"assistant.delta"' in line:
                        answer_id, deltas = json.loads(line[6:])["message_id"], deltas + 1
                    if deltas == 6:  # > 1 s in: part of the answer was saved
                        os.kill(server.process.pid, signal.SIGKILL)
                        killed_at = time.monotonic()
                raise AssertionError("the stream ended cleanly although the server was killed")
    assert answer_id is not None
    answer = Message.objects.get(pk=answer_id)
    assert answer.status == Message.Status.STREAMING  # as the dead process left it

    api = APIClient()
    api.force_authenticate(conversation.owner)
    # Stop closes the answer nobody writes any more, as soon as its heartbeat is missed.
    while Message.objects.get(pk=answer_id).status == Message.Status.STREAMING:
        assert api.post(f"{API}/{conversation.pk}/stop").status_code == 202
        assert time.monotonic() - killed_at < settings.CHAT_ORPHAN_AFTER_SECONDS + 10, "never closed"
        time.sleep(0.2)
    with capsys.disabled():
        print(f"\n[faults] orphaned answer closed {time.monotonic() - killed_at:.1f} s after SIGKILL")
    answer.refresh_from_db()
    assert (answer.status, answer.error_type) == (Message.Status.FAILED, INTERRUPTED)
    assert answer.content  # the text saved before the kill is kept

    response = api.post(f"{API}/{conversation.pk}/messages/{answer_id}/regenerate", format="json")
    assert response.status_code == 201, response.content
    assert response.json()["assistant_message"]["status"] == "complete"
