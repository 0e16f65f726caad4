"""The provider interface and the types that cross it.

A provider streams a chat completion as a ``ChatStream`` (an async iterator of text
deltas that, once exhausted, knows its usage and finish reason) and produces JSON that
validates against a JSON schema. Chat and agents only ever see this interface; see
``agents.llm.get_provider()``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar, Literal, Self, TypedDict

from .facts import Grounding


class Message(TypedDict):
    """One chat message, in the OpenAI chat format."""

    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


@dataclass(frozen=True)
class StreamEnd:
    """The last event of a provider's event generator (never shown to ChatStream users)."""

    finish_reason: str
    usage: Usage | None = None


class ChatStream:
    """An answer being streamed: ``async for delta in stream`` yields text deltas (str).

    After the iteration ends normally, ``finish_reason`` ("stop", "length", ...) and
    ``usage`` (None when the server sent none) are set and ``done`` is True. ``text``
    always holds every delta delivered so far, also after an error, so a caller can keep
    the partial answer.

    Stopping: leaving ``async with provider.stream_chat(...) as stream:`` (by ``break``,
    an exception, or cancellation of the task), calling ``await stream.aclose()``, or
    cancelling the task while it awaits the next delta closes the connection to the
    model at once. A stream abandoned without any of these (``break`` out of a bare
    ``async for``) is closed when it is garbage-collected, which CPython does right away
    unless something still references it; prefer ``async with``.

    Errors: iteration raises ``agents.llm.errors.LLMError`` subclasses only.
    """

    def __init__(self, events: AsyncGenerator[str | StreamEnd, None], *, provider: str, model: str):
        self._events = events
        self.provider = provider
        self.model = model
        self.text = ""
        self.finish_reason: str | None = None
        self.usage: Usage | None = None
        self.done = False
        self._closed = False

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> str:
        if self._closed:
            raise StopAsyncIteration
        while True:
            try:
                event = await self._events.__anext__()
            except StopAsyncIteration:
                self._closed = True
                raise
            except BaseException:
                self._closed = True
                raise
            if isinstance(event, StreamEnd):
                self.finish_reason = event.finish_reason
                self.usage = event.usage
                self.done = True
                continue
            self.text += event
            return event

    async def aclose(self) -> None:
        """Stop the answer and close the connection to the model (idempotent)."""
        self._closed = True
        await self._events.aclose()

    async def collect(self) -> str:
        """Read the whole answer and return its text."""
        async for _ in self:
            pass
        return self.text

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


@dataclass(frozen=True)
class JsonResult:
    """A validated structured answer."""

    data: Any
    provider: str
    model: str
    usage: Usage | None = None
    attempts: int = 1  # 2 when the repair retry was needed


OfflineResult = Callable[[], Any]


class LLMProvider(ABC):
    """What chat and agents talk to. ``name`` is "openai" or "offline"; ``model`` the default model."""

    name: ClassVar[str]
    model: str

    @abstractmethod
    def stream_chat(
        self,
        *,
        messages: Sequence[Message],
        model: str | None = None,
        grounding: Grounding | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> ChatStream:
        """Start streaming the assistant's reply to ``messages``.

        Returns at once; the request is made on the first ``__anext__``. ``model``
        overrides the configured model for this call. ``grounding`` gives the platform
        facts the answer may rely on.
        """

    @abstractmethod
    async def complete_json(
        self,
        *,
        messages: Sequence[Message],
        schema: dict[str, Any],
        schema_name: str = "result",
        model: str | None = None,
        grounding: Grounding | None = None,
        temperature: float | None = None,
        offline_result: OfflineResult | None = None,
    ) -> JsonResult:
        """A JSON value that validates against ``schema``.

        Invalid output gets exactly one repair attempt (the model is shown its output and
        the validation errors); if that fails too, ``LLMInvalidOutput`` is raised.
        ``offline_result`` (a callable without arguments) builds the answer from platform
        data when no model is configured; model-backed providers ignore it.
        """

    def label(self, *, model: str | None = None) -> str:
        """What the UI shows as the answer's author: "offline" or "openai · gpt-4o-mini"."""
        return f"{self.name} · {model or self.model}"
