"""Chat streaming numbers (`make bench`): what our WebSocket path adds to the time to first
token, and how many concurrent answers one ASGI process streams without losing or
reordering a delta. Both go through the real SDK to the fake OpenAI server on loopback.
"""

import asyncio
import contextlib
import statistics
import time

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers

from agents.llm import get_provider
from agents.tests.fake_openai import fake_openai, fake_openai_settings  # noqa: F401
from chat.tests.helpers import connect, make_conversation

ROUNDS = 40
TOKENS = [f"tok{i} " for i in range(40)]
CONCURRENCY_STEPS = (10, 25, 50, 100)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _bench_settings(settings):
    settings.CHAT_MESSAGES_PER_MINUTE = 0
    settings.CHAT_DAILY_TOKEN_QUOTA = 0
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def _percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.99) - 1)]


async def _direct_first_token_ms() -> float:
    start = time.perf_counter()
    async with get_provider().stream_chat(messages=[{"role": "user", "content": "Hi"}]) as stream:
        async for _ in stream:
            first = (time.perf_counter() - start) * 1000
            break
    return first


async def _receive_until(ws, kind: str, within: float = 30.0) -> list[dict]:
    frames = []
    while True:
        frame = await ws.receive_json_from(timeout=within)
        frames.append(frame)
        if frame["type"] == kind:
            return frames


async def test_time_to_first_token_overhead(fake_openai_settings):  # noqa: F811
    conversation = await make_conversation()
    ws, _ = await connect(conversation.owner, conversation.pk)
    direct, through_ws = [], []
    for i in range(ROUNDS):
        fake_openai_settings.reply(tokens=["Hi", " there"])
        direct.append(await _direct_first_token_ms())
        fake_openai_settings.reply(tokens=["Hi", " there"])
        start = time.perf_counter()
        await ws.send_json_to({"type": "message.send", "content": f"Hi {i}", "client_id": str(i)})
        await _receive_until(ws, "assistant.delta")
        through_ws.append((time.perf_counter() - start) * 1000)
        await _receive_until(ws, "assistant.completed")
    await ws.disconnect()

    d50, d99 = _percentiles(direct)
    w50, w99 = _percentiles(through_ws)
    print(
        f"\nTime to first token over {ROUNDS} rounds (ms): direct SDK p50 {d50:.1f} p99 {d99:.1f}; "
        f"through /ws/chat/ p50 {w50:.1f} p99 {w99:.1f}; overhead p50 {w50 - d50:.1f} p99 {w99 - d99:.1f}"
    )


async def _one_stream(conversation, ws) -> tuple[bool, float]:
    start = time.perf_counter()
    await ws.send_json_to({"type": "message.send", "content": "Stream", "client_id": "x"})
    frames = await _receive_until(ws, "assistant.completed", within=60)
    deltas = [f["delta"] for f in frames if f["type"] == "assistant.delta"]
    return deltas == TOKENS and frames[-1]["message"]["content"] == "".join(
        TOKENS
    ), time.perf_counter() - start


async def test_concurrent_streams_without_loss(fake_openai_settings, settings):  # noqa: F811
    fake_openai_settings.default_text = "".join(TOKENS)  # every request gets the same 40 tokens
    for count in CONCURRENCY_STEPS:
        conversations = [await make_conversation() for _ in range(count)]
        sockets = [(await connect(c.owner, c.pk))[0] for c in conversations]
        start = time.perf_counter()
        results = await asyncio.gather(
            *(_one_stream(c, ws) for c, ws in zip(conversations, sockets, strict=True)),
            return_exceptions=True,
        )
        wall = time.perf_counter() - start
        intact = sum(1 for r in results if isinstance(r, tuple) and r[0])
        durations = sorted(r[1] for r in results if isinstance(r, tuple))
        for ws in sockets:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):  # a failed socket: counted above
                await ws.disconnect()
        failures = [r for r in results if not isinstance(r, tuple)]
        if failures:
            print(f"\n  first failure: {failures[0]!r}")
        p50 = statistics.median(durations) if durations else float("nan")
        print(
            f"\n{count:4d} concurrent answers x {len(TOKENS)} deltas: {intact}/{count} complete and in order; "
            f"wall {wall:.2f} s, per answer p50 {p50:.2f} s, max {durations[-1] if durations else float('nan'):.2f} s"
        )
        await database_sync_to_async(lambda: None)()
        if intact < count:
            break
