"""The chat socket through the real SDK against the fake OpenAI server (and the offline provider)."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from chat.generation import control_group, running_generation
from chat.models import Message
from chat.tests.helpers import (
    connect,
    deltas,
    eventually,
    frames_until,
    make_conversation,
    make_user,
    messages_of,
    reload_message,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("no_generation_left_running")]

TOKENS = ["Hello", ", ", "Ada", ". ", "How ", "can ", "I ", "help?"]


async def test_a_message_streams_token_by_token_and_is_saved(fake_openai_settings):
    fake_openai_settings.reply(tokens=TOKENS)
    conversation = await make_conversation()
    ws, connected = await connect(conversation.owner, conversation.pk)
    assert connected

    await ws.send_json_to({"type": "message.send", "content": "Say hello", "client_id": "c-1"})
    frames = await frames_until(ws, "assistant.completed")
    await ws.disconnect()

    created = [f for f in frames if f["type"] == "message.created"]
    assert created[0]["client_id"] == "c-1"
    assert created[0]["message"]["role"] == "user"
    assert created[0]["message"]["content"] == "Say hello"
    answer_id = created[1]["message"]["id"]
    assert created[1]["message"]["status"] == "streaming"
    assert deltas(frames) == TOKENS
    assert all(f["message_id"] == answer_id for f in frames if f["type"] == "assistant.delta")
    completed = frames[-1]["message"]
    assert completed["status"] == "complete"
    assert completed["content"] == "".join(TOKENS)
    assert completed["label"] == "openai · fake-model"

    answer = await reload_message(answer_id)
    assert answer.status == Message.Status.COMPLETE
    assert answer.content == "Hello, Ada. How can I help?"
    assert (answer.provider, answer.model) == ("openai", "fake-model")
    assert answer.completion_tokens == len(TOKENS)
    assert answer.prompt_tokens > 0
    assert answer.first_token_ms is not None and answer.total_ms >= answer.first_token_ms
    sent = fake_openai_settings.chat_requests[0].messages
    assert sent[0]["role"] == "system" and "DevCrew" in sent[0]["content"]
    assert sent[-1] == {"role": "user", "content": "Say hello"}


async def test_slow_tokens_reach_the_socket_while_the_model_is_still_writing(fake_openai_settings):
    fake_openai_settings.reply(tokens=["one ", "two ", "three ", "four ", "five"], token_delay=0.3)
    conversation = await make_conversation()
    ws, _ = await connect(conversation.owner, conversation.pk)

    await ws.send_json_to({"type": "message.send", "content": "Count", "client_id": "x"})
    frames = await frames_until(ws, "assistant.delta")
    assert frames[-1]["delta"] == "one "
    assert fake_openai_settings.exchanges[0].finished is False
    answer_id = frames[-1]["message_id"]
    # The partial text is saved while streaming (every ~0.5 s), not only at the end.
    await frames_until(ws, "assistant.delta", within=2)
    await frames_until(ws, "assistant.delta", within=2)
    partial = await reload_message(answer_id)
    assert partial.status == Message.Status.STREAMING
    assert partial.content.startswith("one ")

    frames = await frames_until(ws, "assistant.completed", within=5)
    await ws.disconnect()
    assert frames[-1]["message"]["content"] == "one two three four five"


async def test_rate_limited_by_the_model_gives_an_error_frame_and_a_failed_message(fake_openai_settings):
    fake_openai_settings.rate_limit(retry_after=12)
    conversation = await make_conversation()
    ws, _ = await connect(conversation.owner, conversation.pk)

    await ws.send_json_to({"type": "message.send", "content": "Hi", "client_id": "x"})
    frames = await frames_until(ws, "error")
    await ws.disconnect()

    error = frames[-1]
    assert error["code"] == "llm_rate_limited"
    assert "try again" in error["detail"].lower()
    assert error["retry_after"] == 12
    answer = await reload_message(error["message_id"])
    assert answer.status == Message.Status.FAILED
    assert answer.error_type == "llm_rate_limited"
    assert answer.error_detail == error["detail"]


async def test_server_errors_fail_the_answer_in_plain_words(fake_openai_settings):
    fake_openai_settings.server_error(times=3)  # the first try and both retries
    conversation = await make_conversation()
    ws, _ = await connect(conversation.owner, conversation.pk)

    await ws.send_json_to({"type": "message.send", "content": "Hi", "client_id": "x"})
    frames = await frames_until(ws, "error")
    await ws.disconnect()

    assert frames[-1]["code"] == "llm_unavailable"
    assert frames[-1]["message"]["status"] == "failed"
    assert frames[-1]["message"]["error"]["detail"] == frames[-1]["detail"]
    assert len(fake_openai_settings.chat_requests) == 3


async def test_a_stream_cut_mid_way_keeps_the_partial_text(fake_openai_settings):
    fake_openai_settings.reply(tokens=["The ", "answer ", "is ", "42"], cut_after=2)
    conversation = await make_conversation()
    ws, _ = await connect(conversation.owner, conversation.pk)

    await ws.send_json_to({"type": "message.send", "content": "Question?", "client_id": "x"})
    frames = await frames_until(ws, "error")
    await ws.disconnect()

    assert deltas(frames) == ["The ", "answer "]
    assert frames[-1]["code"] == "llm_stream_interrupted"
    answer = await reload_message(frames[-1]["message_id"])
    assert answer.status == Message.Status.FAILED
    assert answer.content == "The answer "


async def test_stop_closes_the_upstream_stream_and_saves_the_partial_answer(fake_openai_settings):
    fake_openai_settings.reply(tokens=[f"w{i} " for i in range(40)], token_delay=0.1)
    conversation = await make_conversation()
    ws, _ = await connect(conversation.owner, conversation.pk)

    await ws.send_json_to({"type": "message.send", "content": "Write a lot", "client_id": "x"})
    await frames_until(ws, "assistant.delta")
    await frames_until(ws, "assistant.delta")
    await ws.send_json_to({"type": "generation.stop"})
    frames = await frames_until(ws, "assistant.completed")
    await ws.disconnect()

    stopped = frames[-1]["message"]
    assert stopped["status"] == "stopped"
    assert stopped["content"].startswith("w0 w1 ")
    assert len(stopped["content"].split()) < 40
    exchange = fake_openai_settings.exchanges[-1]
    assert await eventually(lambda: exchange.client_closed)
    assert not exchange.finished
    saved = await reload_message(stopped["id"])
    assert (saved.status, saved.content) == (Message.Status.STOPPED, stopped["content"])


async def test_a_stop_sent_to_the_control_group_reaches_the_owning_process(fake_openai_settings):
    """What another daphne process (or the REST stop) does: only the group message, no local call."""
    fake_openai_settings.reply(tokens=[f"w{i} " for i in range(40)], token_delay=0.1)
    conversation = await make_conversation()
    ws, _ = await connect(conversation.owner, conversation.pk)

    await ws.send_json_to({"type": "message.send", "content": "Write a lot", "client_id": "x"})
    await frames_until(ws, "assistant.delta")
    await asyncio.sleep(0.1)  # the engine's listener has joined the control group
    await get_channel_layer().group_send(control_group(conversation.pk), {"type": "generation.stop"})
    frames = await frames_until(ws, "assistant.completed")
    await ws.disconnect()

    assert frames[-1]["message"]["status"] == "stopped"
    assert await eventually(lambda: fake_openai_settings.exchanges[-1].client_closed)


async def test_the_answer_completes_and_is_saved_after_the_client_disconnects(fake_openai_settings):
    fake_openai_settings.reply(tokens=["a ", "b ", "c ", "d ", "e"], token_delay=0.1)
    conversation = await make_conversation()
    ws, _ = await connect(conversation.owner, conversation.pk)

    await ws.send_json_to({"type": "message.send", "content": "Go", "client_id": "x"})
    frames = await frames_until(ws, "assistant.delta")
    await ws.disconnect()

    generation = running_generation(conversation.pk)
    assert generation is not None
    message = await asyncio.wait_for(generation.wait(), timeout=5)
    assert message.status == Message.Status.COMPLETE
    assert (await reload_message(frames[-1]["message_id"])).content == "a b c d e"
    assert fake_openai_settings.exchanges[-1].finished


async def test_two_sockets_of_one_conversation_get_every_delta_in_order(fake_openai_settings):
    tokens = [f"t{i} " for i in range(60)]
    fake_openai_settings.reply(tokens=tokens)
    conversation = await make_conversation()
    laptop, _ = await connect(conversation.owner, conversation.pk)
    phone, _ = await connect(conversation.owner, conversation.pk)

    await laptop.send_json_to({"type": "message.send", "content": "Many tokens", "client_id": "x"})
    on_laptop = await frames_until(laptop, "assistant.completed")
    on_phone = await frames_until(phone, "assistant.completed")
    await laptop.disconnect()
    await phone.disconnect()

    assert deltas(on_laptop) == tokens
    assert deltas(on_phone) == tokens
    assert [f["type"] for f in on_phone][:2] == ["message.created", "message.created"]


async def test_a_strangers_socket_is_closed_4403_before_any_data():
    conversation = await make_conversation()
    stranger = await make_user()
    for conversation_id in (conversation.pk, 999999, "nope"):
        ws, connected = await connect(stranger, conversation_id)
        assert connected  # accepted only to carry the close code
        assert await ws.receive_output(timeout=2) == {"type": "websocket.close", "code": 4403}
        await ws.disconnect()


async def test_ping_and_typing():
    conversation = await make_conversation()
    one, _ = await connect(conversation.owner, conversation.pk)
    two, _ = await connect(conversation.owner, conversation.pk)

    await one.send_json_to({"type": "ping"})
    assert await one.receive_json_from() == {"type": "pong"}
    await one.send_json_to({"type": "typing"})
    assert await two.receive_json_from() == {"type": "typing", "user": conversation.owner.username}
    assert await one.receive_nothing(timeout=0.2)
    await one.send_json_to({"type": "dance"})
    assert (await one.receive_json_from())["code"] == "unknown_type"
    await one.disconnect()
    await two.disconnect()


async def test_regenerate_over_the_socket_adds_a_branch(fake_openai_settings):
    fake_openai_settings.reply("First answer")
    fake_openai_settings.reply("Second answer")
    conversation = await make_conversation()
    ws, _ = await connect(conversation.owner, conversation.pk)
    await ws.send_json_to({"type": "message.send", "content": "Q", "client_id": "x"})
    first = (await frames_until(ws, "assistant.completed"))[-1]["message"]

    await ws.send_json_to({"type": "message.regenerate", "message_id": first["id"]})
    frames = await frames_until(ws, "assistant.completed")
    await ws.disconnect()

    second = frames[-1]["message"]
    assert second["content"] == "Second answer"
    assert second["parent"] == first["parent"]
    rows = await messages_of(conversation)
    assert [m.content for m in rows] == ["Q", "First answer", "Second answer"]


async def test_rate_limit_answers_before_any_model_call(fake_openai_settings, settings):
    settings.CHAT_MESSAGES_PER_MINUTE = 1
    conversation = await make_conversation()
    ws, _ = await connect(conversation.owner, conversation.pk)
    await ws.send_json_to({"type": "message.send", "content": "One", "client_id": "1"})
    await frames_until(ws, "assistant.completed")

    await ws.send_json_to({"type": "message.send", "content": "Two", "client_id": "2"})
    error = await ws.receive_json_from()
    await ws.disconnect()

    assert error == {
        "type": "error",
        "code": "chat_rate_limited",
        "detail": error["detail"],
        "client_id": "2",
    }
    assert "too fast" in error["detail"]
    assert len(fake_openai_settings.chat_requests) == 1
    assert [m.content for m in await messages_of(conversation)][-1] != "Two"


async def test_the_offline_answer_names_the_users_real_projects():
    from projects.tests.factories import ProjectFactory

    conversation = await make_conversation()
    await database_sync_to_async(ProjectFactory)(owner=conversation.owner, name="Compiler Rewrite")
    await database_sync_to_async(ProjectFactory)(name="Someone Elses Project")
    ws, _ = await connect(conversation.owner, conversation.pk)

    await ws.send_json_to({"type": "message.send", "content": "Which projects am I in?", "client_id": "x"})
    frames = await frames_until(ws, "assistant.completed")
    await ws.disconnect()

    answer = frames[-1]["message"]
    assert answer["label"] == "offline"
    assert "Compiler Rewrite" in answer["content"]
    assert "Someone Elses Project" not in answer["content"]
