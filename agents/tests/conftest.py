import pytest

from agents.tests.fake_openai import fake_openai, fake_openai_settings  # noqa: F401


@pytest.fixture(autouse=True)
def _offline_llm_without_pauses(settings):
    """The offline assistant streams at a human pace; tests read it at full speed."""
    settings.LLM_OFFLINE_CHUNK_DELAY = 0
