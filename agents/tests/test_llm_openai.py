"""The openai provider through the real SDK against a fake OpenAI-compatible server."""

import asyncio
import socket

import pytest

from agents.llm import (
    Grounding,
    LLMAuthFailed,
    LLMInvalidOutput,
    LLMModelNotFound,
    LLMRateLimited,
    LLMStreamInterrupted,
    LLMTimeout,
    LLMUnavailable,
    get_provider,
)

USER_MESSAGES = [{"role": "user", "content": "Say hello"}]


async def eventually(predicate, *, within: float = 3.0) -> bool:
    """Poll without blocking the event loop (cleanup may run as a task on it)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.01)
    return bool(predicate())


async def test_stream_yields_deltas_in_order_then_usage_and_finish_reason(fake_openai_settings):
    fake_openai_settings.reply(tokens=["Hel", "lo", ", ", "Ada", "!"])
    provider = get_provider()

    async with provider.stream_chat(messages=USER_MESSAGES) as stream:
        deltas = [delta async for delta in stream]

    assert deltas == ["Hel", "lo", ", ", "Ada", "!"]
    assert stream.text == "Hello, Ada!"
    assert stream.done
    assert stream.finish_reason == "stop"
    assert stream.usage is not None
    assert stream.usage.completion_tokens == 5
    assert stream.usage.prompt_tokens > 0
    assert (stream.provider, stream.model) == ("openai", "fake-model")


async def test_request_carries_key_model_messages_and_asks_for_usage(fake_openai_settings):
    provider = get_provider()
    await provider.stream_chat(messages=USER_MESSAGES, temperature=0.2, max_tokens=50).collect()

    (request,) = fake_openai_settings.chat_requests
    assert request.headers["authorization"] == "Bearer test-key"
    assert request.body["model"] == "fake-model"
    assert request.body["messages"] == USER_MESSAGES
    assert request.body["stream"] is True
    assert request.body["stream_options"] == {"include_usage": True}
    assert request.body["temperature"] == 0.2
    assert request.body["max_tokens"] == 50


async def test_per_call_model_override_is_sent(fake_openai_settings):
    provider = get_provider()
    stream = provider.stream_chat(messages=USER_MESSAGES, model="llama3.1:8b")
    await stream.collect()

    assert fake_openai_settings.chat_requests[0].body["model"] == "llama3.1:8b"
    assert stream.model == "llama3.1:8b"
    assert provider.label(model=stream.model) == "openai · llama3.1:8b"
    assert provider.label() == "openai · fake-model"


async def test_grounding_reaches_the_model_as_a_system_message(fake_openai_settings):
    grounding = Grounding.from_dict(
        {"user_name": "Ada", "projects": [{"name": "Compiler", "slug": "compiler"}]}
    )
    messages = [{"role": "system", "content": "You are DevCrew's assistant."}, *USER_MESSAGES]
    await get_provider().stream_chat(messages=messages, grounding=grounding).collect()

    sent = fake_openai_settings.chat_requests[0].messages
    assert [m["role"] for m in sent] == ["system", "system", "user"]
    assert sent[0]["content"] == "You are DevCrew's assistant."
    assert "Compiler" in sent[1]["content"] and "Ada" in sent[1]["content"]


async def test_finish_reason_length_is_reported(fake_openai_settings):
    fake_openai_settings.reply("cut short", finish_reason="length")
    stream = get_provider().stream_chat(messages=USER_MESSAGES)
    assert await stream.collect() == "cut short"
    assert stream.finish_reason == "length"


async def test_slow_tokens_arrive_while_the_server_is_still_sending(fake_openai_settings):
    fake_openai_settings.reply(tokens=["one ", "two ", "three ", "four"], token_delay=0.15)
    finished_when_first_delta_arrived = None

    async with get_provider().stream_chat(messages=USER_MESSAGES) as stream:
        async for _ in stream:
            if finished_when_first_delta_arrived is None:
                finished_when_first_delta_arrived = fake_openai_settings.exchanges[0].finished

    assert finished_when_first_delta_arrived is False
    assert stream.text == "one two three four"
    assert stream.finish_reason == "stop"


async def test_rate_limit_with_a_long_retry_hint_is_returned_to_the_user(fake_openai_settings):
    fake_openai_settings.rate_limit(retry_after=12)

    with pytest.raises(LLMRateLimited) as caught:
        await get_provider().stream_chat(messages=USER_MESSAGES).collect()

    error = caught.value
    assert error.type == "llm_rate_limited"
    assert error.status_code == 429
    assert error.retry_after == 12
    assert error.headers["Retry-After"] == "12"
    assert error.detail == "The AI service is busy; try again in 12 seconds."
    assert len(fake_openai_settings.chat_requests) == 1  # waiting 12 s before the first token: no


async def test_rate_limit_with_a_short_hint_is_retried_before_the_first_token(fake_openai_settings):
    fake_openai_settings.rate_limit(retry_after_ms=20)
    fake_openai_settings.reply("after the wait")

    text = await get_provider().stream_chat(messages=USER_MESSAGES).collect()

    assert text == "after the wait"
    assert len(fake_openai_settings.chat_requests) == 2


async def test_rate_limit_retries_are_bounded(fake_openai_settings, settings):
    fake_openai_settings.rate_limit(retry_after_ms=10, times=5)

    with pytest.raises(LLMRateLimited) as caught:
        await get_provider().stream_chat(messages=USER_MESSAGES).collect()

    assert len(fake_openai_settings.chat_requests) == 1 + settings.LLM_MAX_RETRIES
    assert caught.value.retry_after == 1
    assert caught.value.detail == "The AI service is busy; try again in 1 second."


async def test_server_error_becomes_unavailable_after_bounded_retries(fake_openai_settings, settings):
    settings.LLM_MAX_RETRIES = 1
    fake_openai_settings.server_error(times=5)

    with pytest.raises(LLMUnavailable) as caught:
        await get_provider().stream_chat(messages=USER_MESSAGES).collect()

    assert len(fake_openai_settings.chat_requests) == 2
    assert caught.value.status_code == 502
    assert caught.value.type == "llm_unavailable"
    assert "HTTP 500" in caught.value.detail


async def test_server_error_then_success_is_invisible_to_the_user(fake_openai_settings):
    fake_openai_settings.server_error(status=503)
    fake_openai_settings.reply("fine now")

    assert await get_provider().stream_chat(messages=USER_MESSAGES).collect() == "fine now"
    assert len(fake_openai_settings.chat_requests) == 2


async def test_rejected_api_key_is_not_retried(fake_openai_settings):
    fake_openai_settings.unauthorized()

    with pytest.raises(LLMAuthFailed) as caught:
        await get_provider().stream_chat(messages=USER_MESSAGES).collect()

    assert caught.value.type == "llm_auth_failed"
    assert caught.value.detail.startswith("The AI service rejected our API key")
    assert len(fake_openai_settings.chat_requests) == 1


async def test_unknown_model_names_the_model(fake_openai_settings):
    fake_openai_settings.model_not_found("gpt-9")

    with pytest.raises(LLMModelNotFound) as caught:
        await get_provider().stream_chat(messages=USER_MESSAGES, model="gpt-9").collect()

    assert caught.value.type == "llm_model_not_found"
    assert "The model 'gpt-9' does not exist on the AI server" in caught.value.detail
    assert len(fake_openai_settings.chat_requests) == 1


async def test_base_url_without_the_api_path_is_explained(fake_openai_settings, settings):
    settings.OPENAI_BASE_URL = fake_openai_settings.base_url.removesuffix("/v1")

    with pytest.raises(LLMUnavailable) as caught:
        await get_provider().stream_chat(messages=USER_MESSAGES).collect()

    assert "OPENAI_BASE_URL" in caught.value.detail


async def test_unreachable_server_is_unavailable(fake_openai_settings, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    settings.OPENAI_BASE_URL = f"http://127.0.0.1:{free_port}/v1"
    settings.LLM_MAX_RETRIES = 0

    with pytest.raises(LLMUnavailable) as caught:
        await get_provider().stream_chat(messages=USER_MESSAGES).collect()

    assert f"127.0.0.1:{free_port}" in caught.value.detail


async def test_no_answer_within_the_read_timeout_is_a_timeout(fake_openai_settings, settings):
    settings.LLM_READ_TIMEOUT = 0.3
    settings.LLM_MAX_RETRIES = 1
    fake_openai_settings.reply("too late", delay_before=3)
    fake_openai_settings.reply("too late", delay_before=3)

    with pytest.raises(LLMTimeout) as caught:
        await get_provider().stream_chat(messages=USER_MESSAGES).collect()

    assert caught.value.status_code == 504
    assert caught.value.type == "llm_timeout"
    assert "0.3 seconds" in caught.value.detail
    assert len(fake_openai_settings.chat_requests) == 2


async def test_stall_after_the_first_token_is_a_timeout_and_not_retried(fake_openai_settings, settings):
    settings.LLM_READ_TIMEOUT = 0.3
    fake_openai_settings.reply(tokens=["Partial ", "answer"], token_delay=3)
    received = []

    with pytest.raises(LLMTimeout):
        async with get_provider().stream_chat(messages=USER_MESSAGES) as stream:
            async for delta in stream:
                received.append(delta)

    assert received == ["Partial "]
    assert stream.text == "Partial "
    assert len(fake_openai_settings.chat_requests) == 1


async def test_stream_cut_mid_way_keeps_the_deltas_and_is_not_retried(fake_openai_settings):
    fake_openai_settings.reply(tokens=["The ", "first ", "half ", "and ", "more"], cut_after=3)
    received = []

    with pytest.raises(LLMStreamInterrupted) as caught:
        async with get_provider().stream_chat(messages=USER_MESSAGES) as stream:
            async for delta in stream:
                received.append(delta)

    assert received == ["The ", "first ", "half "]
    assert stream.text == "The first half "
    assert not stream.done
    assert caught.value.type == "llm_stream_interrupted"
    assert caught.value.status_code == 502
    assert len(fake_openai_settings.chat_requests) == 1


async def test_stream_cut_before_the_first_token_is_retried(fake_openai_settings):
    fake_openai_settings.reply(tokens=["never"], cut_after=0)
    fake_openai_settings.reply("second try")

    assert await get_provider().stream_chat(messages=USER_MESSAGES).collect() == "second try"
    assert len(fake_openai_settings.chat_requests) == 2


LONG_TOKENS = [f"word{i} " for i in range(40)]
LONG_REPLY = {"tokens": LONG_TOKENS, "token_delay": 0.05}


def assert_closed_by_client_mid_stream(exchange) -> None:
    assert exchange.client_closed, "the server never saw the client close the connection"
    assert not exchange.finished
    assert exchange.tokens_sent < len(LONG_TOKENS)


async def test_break_out_of_async_with_closes_the_connection(fake_openai_settings):
    fake_openai_settings.reply(**LONG_REPLY)

    async with get_provider().stream_chat(messages=USER_MESSAGES) as stream:
        async for _ in stream:
            if len(stream.text.split()) == 2:
                break

    assert await eventually(lambda: fake_openai_settings.exchanges[0].client_closed)
    assert_closed_by_client_mid_stream(fake_openai_settings.exchanges[0])
    assert stream.text == "word0 word1 "


async def test_aclose_closes_the_connection(fake_openai_settings):
    fake_openai_settings.reply(**LONG_REPLY)
    stream = get_provider().stream_chat(messages=USER_MESSAGES)
    await stream.__anext__()

    await stream.aclose()

    assert await eventually(lambda: fake_openai_settings.exchanges[0].client_closed)
    assert_closed_by_client_mid_stream(fake_openai_settings.exchanges[0])
    with pytest.raises(StopAsyncIteration):
        await stream.__anext__()


async def test_cancelling_the_consumer_task_closes_the_connection(fake_openai_settings):
    fake_openai_settings.reply(**LONG_REPLY)
    first_delta = asyncio.Event()

    async def consume():
        async for _ in get_provider().stream_chat(messages=USER_MESSAGES):
            first_delta.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(first_delta.wait(), timeout=3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert await eventually(lambda: fake_openai_settings.exchanges[0].client_closed)
    assert_closed_by_client_mid_stream(fake_openai_settings.exchanges[0])


async def test_break_out_of_a_bare_async_for_closes_the_connection(fake_openai_settings):
    fake_openai_settings.reply(**LONG_REPLY)

    async for _ in get_provider().stream_chat(messages=USER_MESSAGES):
        break

    assert await eventually(lambda: fake_openai_settings.exchanges[0].client_closed)
    assert_closed_by_client_mid_stream(fake_openai_settings.exchanges[0])


async def test_a_finished_stream_leaves_no_connection_open(fake_openai_settings):
    await get_provider().stream_chat(messages=USER_MESSAGES).collect()

    exchange = fake_openai_settings.exchanges[0]
    assert exchange.finished and not exchange.client_closed


PLAN_SCHEMA = {
    "type": "object",
    "required": ["milestones"],
    "additionalProperties": False,
    "properties": {
        "milestones": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["title", "weeks"],
                "properties": {"title": {"type": "string"}, "weeks": {"type": "integer", "minimum": 1}},
            },
        }
    },
}
VALID_PLAN = {"milestones": [{"title": "MVP", "weeks": 3}]}
PLAN_MESSAGES = [{"role": "user", "content": "Plan the compiler project."}]


async def test_complete_json_returns_the_validated_value(fake_openai_settings):
    fake_openai_settings.reply_json(VALID_PLAN)

    result = await get_provider().complete_json(
        messages=PLAN_MESSAGES, schema=PLAN_SCHEMA, schema_name="plan"
    )

    assert result.data == VALID_PLAN
    assert result.attempts == 1
    assert (result.provider, result.model) == ("openai", "fake-model")
    assert result.usage is not None and result.usage.completion_tokens > 0
    (request,) = fake_openai_settings.chat_requests
    assert request.body["response_format"]["type"] == "json_schema"
    assert request.body["response_format"]["json_schema"]["schema"] == PLAN_SCHEMA
    assert request.body["response_format"]["json_schema"]["name"] == "plan"
    assert request.messages[0]["role"] == "system" and "JSON" in request.messages[0]["content"]
    assert request.messages[-1] == PLAN_MESSAGES[0]


async def test_complete_json_accepts_a_code_fenced_reply(fake_openai_settings):
    fake_openai_settings.reply_json('```json\n{"milestones": [{"title": "MVP", "weeks": 2}]}\n```')

    result = await get_provider().complete_json(messages=PLAN_MESSAGES, schema=PLAN_SCHEMA)

    assert result.data == {"milestones": [{"title": "MVP", "weeks": 2}]}


async def test_complete_json_repairs_invalid_output_once(fake_openai_settings):
    fake_openai_settings.reply_json({"milestones": [{"title": "MVP", "weeks": "three"}]})
    fake_openai_settings.reply_json(VALID_PLAN)

    result = await get_provider().complete_json(messages=PLAN_MESSAGES, schema=PLAN_SCHEMA)

    assert result.data == VALID_PLAN
    assert result.attempts == 2
    first, repair = fake_openai_settings.chat_requests
    assert repair.messages[: len(first.messages)] == first.messages
    bad_reply, correction = repair.messages[-2:]
    assert bad_reply == {
        "role": "assistant",
        "content": '{"milestones": [{"title": "MVP", "weeks": "three"}]}',
    }
    assert correction["role"] == "user"
    assert "$.milestones[0].weeks" in correction["content"]


async def test_complete_json_repairs_output_that_is_not_json(fake_openai_settings):
    fake_openai_settings.reply_json('Sure! Here is the plan: {"milestones": [')
    fake_openai_settings.reply_json(VALID_PLAN)

    result = await get_provider().complete_json(messages=PLAN_MESSAGES, schema=PLAN_SCHEMA)

    assert result.data == VALID_PLAN
    assert "not valid JSON" in fake_openai_settings.chat_requests[1].messages[-1]["content"]


async def test_complete_json_fails_after_the_one_repair_attempt(fake_openai_settings):
    fake_openai_settings.reply_json({"milestones": []})
    fake_openai_settings.reply_json({"milestones": [], "extra": 1})
    fake_openai_settings.reply_json(VALID_PLAN)  # never asked for

    with pytest.raises(LLMInvalidOutput) as caught:
        await get_provider().complete_json(messages=PLAN_MESSAGES, schema=PLAN_SCHEMA)

    assert len(fake_openai_settings.chat_requests) == 2
    assert caught.value.type == "llm_invalid_output"
    assert caught.value.problems
    assert "did not produce valid structured output" in caught.value.detail


async def test_complete_json_errors_are_the_same_domain_errors(fake_openai_settings):
    fake_openai_settings.unauthorized()

    with pytest.raises(LLMAuthFailed):
        await get_provider().complete_json(messages=PLAN_MESSAGES, schema=PLAN_SCHEMA)


async def test_models_endpoint_lists_the_fake_model(fake_openai_settings):
    import openai

    client = openai.AsyncOpenAI(api_key="test-key", base_url=fake_openai_settings.base_url, max_retries=0)
    async with client:
        models = await client.models.list()
        completion = await client.chat.completions.create(model="fake-model", messages=USER_MESSAGES)

    assert [m.id async for m in models] == ["fake-model"]
    assert completion.choices[0].message.content == "Hello from the fake model."


async def test_answer_ending_without_a_finish_reason_is_interrupted(fake_openai_settings):
    """A proxy that ends the body cleanly mid-answer must not pass for a complete answer."""
    fake_openai_settings.reply(tokens=["Half ", "an "], finish_reason=None)

    stream = get_provider().stream_chat(messages=USER_MESSAGES)
    with pytest.raises(LLMStreamInterrupted):
        await stream.collect()

    assert stream.text == "Half an "
    assert len(fake_openai_settings.chat_requests) == 1
