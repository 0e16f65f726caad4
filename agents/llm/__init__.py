"""DevCrew's LLM layer: one interface for chat and agents, two providers.

    from agents.llm import get_provider

    provider = get_provider()                      # from settings.LLM_PROVIDER
    async with provider.stream_chat(messages=messages, grounding=facts) as stream:
        async for delta in stream:                 # text deltas; break/cancel closes the stream
            ...
    stream.usage, stream.finish_reason, provider.label()

    result = await provider.complete_json(messages=..., schema=PLAN_SCHEMA, offline_result=build_plan)
    result.data                                    # validates against PLAN_SCHEMA

Failures are ``agents.llm.errors.LLMError`` subclasses (DomainErrors with a plain-words
``detail``). The layer never touches the ORM: platform facts come in as a ``Grounding``.
"""

from django.conf import settings

from .base import ChatStream, JsonResult, LLMProvider, Message, Usage
from .errors import (
    LLMAuthFailed,
    LLMError,
    LLMInvalidOutput,
    LLMModelNotFound,
    LLMQuotaExceeded,
    LLMRateLimited,
    LLMRequestRejected,
    LLMStreamInterrupted,
    LLMTimeout,
    LLMUnavailable,
)
from .facts import (
    Grounding,
    InvitationFact,
    MemberFact,
    MilestoneFact,
    ProjectDetail,
    ProjectFact,
    RecruitingFact,
    TaskFact,
)
from .offline import OfflineProvider
from .openai_provider import OpenAIConfig, OpenAIProvider
from .tokens import count_message_tokens, count_tokens, trim_history

__all__ = [
    "ChatStream",
    "Grounding",
    "InvitationFact",
    "JsonResult",
    "LLMAuthFailed",
    "LLMError",
    "LLMInvalidOutput",
    "LLMModelNotFound",
    "LLMProvider",
    "LLMQuotaExceeded",
    "LLMRateLimited",
    "LLMRequestRejected",
    "LLMStreamInterrupted",
    "LLMTimeout",
    "LLMUnavailable",
    "MemberFact",
    "Message",
    "MilestoneFact",
    "OfflineProvider",
    "OpenAIProvider",
    "ProjectDetail",
    "ProjectFact",
    "RecruitingFact",
    "TaskFact",
    "Usage",
    "count_message_tokens",
    "count_tokens",
    "get_provider",
    "trim_history",
]


def get_provider(name: str | None = None) -> LLMProvider:
    """The provider named by ``settings.LLM_PROVIDER`` (or ``name``), configured from settings.

    Cheap: build one per request or task; it holds no connection. An unknown name is a
    configuration error (ImproperlyConfigured).
    """
    name = (name or settings.LLM_PROVIDER or "offline").lower()
    if name == "openai":
        return OpenAIProvider(OpenAIConfig.from_settings())
    if name == "offline":
        return OfflineProvider(chunk_delay=settings.LLM_OFFLINE_CHUNK_DELAY)
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"LLM_PROVIDER must be 'openai' or 'offline', not {name!r}.")
