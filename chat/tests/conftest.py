import asyncio

import pytest

from agents.tests.fake_openai import fake_openai, fake_openai_settings  # noqa: F401


@pytest.fixture(autouse=True)
def _chat_test_settings(settings):
    """The offline assistant streams at a human pace; tests read it at full speed."""
    settings.LLM_OFFLINE_CHUNK_DELAY = 0
    settings.CHAT_MESSAGES_PER_MINUTE = 100
    settings.CHAT_DAILY_TOKEN_QUOTA = 1_000_000


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Every async test has an event loop of its own; channels-redis binds its receive
    lock to a loop, so each test gets its own layer instance."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
async def no_generation_left_running():
    """Answers run as tasks on the test's event loop: let them end before the loop closes.
    (Not autouse: browser tests run Playwright's loop in the main thread.)"""
    yield
    from chat.generation import _running

    for generation in list(_running.values()):
        try:
            await asyncio.wait_for(generation.wait(), timeout=5)
        except TimeoutError:
            generation.cancel()
            await asyncio.wait_for(generation.wait(), timeout=5)
