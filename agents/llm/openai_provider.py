"""The ``openai`` provider: any OpenAI-compatible server through the official SDK.

OpenAI itself, Ollama, vLLM and LM Studio all speak ``POST {base_url}/chat/completions``.
The SDK's own retries are disabled (``max_retries=0``): it would retry a whole request,
and this layer must never repeat a request whose answer has started to reach the user.
Retries happen here, only before the first token, bounded by ``LLM_MAX_RETRIES``.

Every call builds its own ``AsyncOpenAI`` client and closes it when the stream ends, is
stopped or fails, so no connection outlives the call and none is tied to an event loop
that has gone (Celery tasks run each job in a fresh loop). The TLS context, the costly
part of a client, is built once per process.
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import math
import random
import ssl
import time
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx2
import openai
from django.conf import settings

from .base import ChatStream, JsonResult, LLMProvider, Message, OfflineResult, StreamEnd, Usage
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
from .facts import Grounding
from .json_output import json_instructions, parse_json_output, repair_messages, schema_validator

OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"
# Local servers (Ollama, vLLM, LM Studio) ignore the key, but the SDK insists on one.
PLACEHOLDER_API_KEY = "no-key-configured"


@dataclass(frozen=True)
class OpenAIConfig:
    api_key: str
    base_url: str
    model: str
    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    max_retries: int = 2
    retry_backoff: float = 0.5  # first retry delay without a server hint; doubles per retry
    retry_max_wait: float = 10.0  # longest wait we accept before the first token

    @classmethod
    def from_settings(cls) -> OpenAIConfig:
        return cls(
            api_key=settings.OPENAI_API_KEY,
            base_url=settings.OPENAI_BASE_URL or OPENAI_DEFAULT_BASE_URL,
            model=settings.OPENAI_MODEL,
            connect_timeout=settings.LLM_CONNECT_TIMEOUT,
            read_timeout=settings.LLM_READ_TIMEOUT,
            max_retries=max(0, settings.LLM_MAX_RETRIES),
            retry_backoff=settings.LLM_RETRY_BACKOFF,
            retry_max_wait=settings.LLM_RETRY_MAX_WAIT,
        )

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc or self.base_url


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return httpx2.create_ssl_context()


class OpenAIProvider(LLMProvider):
    name = "openai"

    def __init__(self, config: OpenAIConfig):
        self.config = config
        self.model = config.model

    def _client(self) -> openai.AsyncOpenAI:
        config = self.config
        timeout = httpx2.Timeout(
            connect=config.connect_timeout,
            read=config.read_timeout,
            write=config.read_timeout,
            pool=config.connect_timeout,
        )
        return openai.AsyncOpenAI(
            api_key=config.api_key or PLACEHOLDER_API_KEY,
            base_url=config.base_url,
            timeout=timeout,
            max_retries=0,
            http_client=openai.DefaultAsyncHttpx2Client(timeout=timeout, verify=_tls_context()),
        )

    def stream_chat(
        self,
        *,
        messages: Sequence[Message],
        model: str | None = None,
        grounding: Grounding | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> ChatStream:
        model = model or self.model
        request: dict[str, Any] = {"model": model, "messages": _with_grounding(messages, grounding)}
        if temperature is not None:
            request["temperature"] = temperature
        if max_tokens is not None:
            request["max_tokens"] = max_tokens
        return ChatStream(self._events(request), provider=self.name, model=model)

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
        """See ``LLMProvider.complete_json``. Streams internally, so the read timeout bounds
        the silence between tokens rather than the whole generation."""
        validator = schema_validator(schema)
        model = model or self.model
        conversation: list[Message] = [
            {"role": "system", "content": json_instructions(schema, schema_name=schema_name)},
            *_with_grounding(messages, grounding),
        ]
        request: dict[str, Any] = {
            "model": model,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": _schema_name(schema_name), "schema": schema, "strict": False},
            },
        }
        if temperature is not None:
            request["temperature"] = temperature

        usage: Usage | None = None
        problems: list[str] = []
        for attempt in (1, 2):
            stream = ChatStream(
                self._events({**request, "messages": conversation}), provider=self.name, model=model
            )
            async with stream:
                text = await stream.collect()
            if stream.usage is not None:
                usage = stream.usage if usage is None else usage + stream.usage
            value, problems = parse_json_output(text, validator=validator)
            if not problems:
                return JsonResult(data=value, provider=self.name, model=model, usage=usage, attempts=attempt)
            conversation = repair_messages(conversation, bad_output=text, problems=problems)
        raise LLMInvalidOutput(
            f"The AI model '{model}' did not produce valid structured output, even after a second "
            f"attempt ({problems[0]}).",
            problems=problems,
        )

    async def _events(self, request: dict[str, Any]) -> AsyncGenerator[str | StreamEnd, None]:
        """Deltas of one answer, then a ``StreamEnd``; retries only before the first delta."""
        config = self.config
        model = request["model"]
        delivered = False
        attempt = 0
        client = self._client()
        try:
            while True:
                stream = None
                finish_reason: str | None = None
                usage: Usage | None = None
                try:
                    stream = await client.chat.completions.create(
                        **request, stream=True, stream_options={"include_usage": True}
                    )
                    async for chunk in stream:
                        if chunk.usage is not None:
                            usage = Usage(
                                prompt_tokens=chunk.usage.prompt_tokens or 0,
                                completion_tokens=chunk.usage.completion_tokens or 0,
                            )
                        for choice in chunk.choices:
                            if choice.index != 0:
                                continue
                            if choice.delta is not None and choice.delta.content:
                                delivered = True
                                yield choice.delta.content
                            if choice.finish_reason:
                                finish_reason = choice.finish_reason
                    if finish_reason is None:
                        # The body ended cleanly but the answer did not: a proxy or server
                        # cut it without the chunked-encoding error that usually signals this.
                        raise _EndedEarly
                except (openai.OpenAIError, _EndedEarly) as exc:
                    if finish_reason is not None and isinstance(exc, openai.APIConnectionError):
                        # Only the trailing usage chunk or [DONE] was lost: the answer is whole.
                        yield StreamEnd(finish_reason=finish_reason, usage=usage)
                        return
                    error = _translate(exc, config=config, model=model, mid_stream=delivered)
                    delay = None if delivered else _retry_delay(exc, error, attempt=attempt, config=config)
                    if delay is None:
                        raise error from exc
                    attempt += 1
                    await asyncio.sleep(delay)
                    continue
                finally:
                    if stream is not None:
                        await stream.close()
                yield StreamEnd(finish_reason=finish_reason, usage=usage)
                return
        finally:
            await client.close()


class _EndedEarly(Exception):
    """The stream ended without a finish reason."""


def _with_grounding(messages: Sequence[Message], grounding: Grounding | None) -> list[Message]:
    """The messages with the grounding facts as a system message after the leading ones."""
    facts = grounding.as_prompt() if grounding is not None else ""
    result = list(messages)
    if facts:
        position = 0
        while position < len(result) and result[position]["role"] == "system":
            position += 1
        result.insert(position, {"role": "system", "content": facts})
    return result


def _schema_name(name: str) -> str:
    # OpenAI accepts [a-zA-Z0-9_-]{1,64} as a response-format name.
    cleaned = "".join(c if c.isalnum() or c in "_-" else "_" for c in name)[:64]
    return cleaned or "result"


def _retry_delay(exc: Exception, error: LLMError, *, attempt: int, config: OpenAIConfig) -> float | None:
    """Seconds to wait before the next attempt, or None when the error is final."""
    if not error.retryable or attempt >= config.max_retries:
        return None
    hint = _retry_after_seconds(exc)
    if hint is not None:
        # A hint longer than we are willing to wait goes back to the user as the error.
        return hint if hint <= config.retry_max_wait else None
    backoff = config.retry_backoff * (2**attempt)
    return min(config.retry_max_wait, backoff * (1 - 0.25 * random.random()))  # noqa: S311


def _retry_after_seconds(exc: Exception) -> float | None:
    """The server's retry hint (``retry-after-ms`` or ``Retry-After``: seconds or a date)."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    headers = response.headers
    for header, divisor in (("retry-after-ms", 1000), ("retry-after", 1)):
        value = headers.get(header)
        if value is None:
            continue
        try:
            seconds = float(value) / divisor
        except ValueError:
            parsed = email.utils.parsedate_tz(value)
            if parsed is None:
                continue
            seconds = email.utils.mktime_tz(parsed) - time.time()
        if math.isfinite(seconds):
            return max(0.0, seconds)
    return None


def _translate(exc: Exception, *, config: OpenAIConfig, model: str, mid_stream: bool) -> LLMError:
    """The domain error, in plain words, for an SDK failure."""
    if isinstance(exc, openai.APITimeoutError):
        if isinstance(exc.__cause__, httpx2.ConnectTimeout | httpx2.PoolTimeout):
            return LLMTimeout(
                f"Could not connect to the AI service at {config.host} within "
                f"{_seconds(config.connect_timeout)}; try again shortly."
            )
        if mid_stream:
            return LLMTimeout(
                f"The AI service stopped sending its answer (nothing for "
                f"{_seconds(config.read_timeout)}); try again."
            )
        return LLMTimeout(
            f"The AI service did not start answering within {_seconds(config.read_timeout)}; "
            "try again shortly."
        )
    if mid_stream or isinstance(exc, _EndedEarly):
        if mid_stream:
            return LLMStreamInterrupted(
                "The connection to the AI service broke off in the middle of the answer."
            )
        return LLMUnavailable("The AI service ended its answer before sending anything; try again shortly.")
    if isinstance(exc, openai.APIConnectionError):
        if isinstance(exc.__cause__, httpx2.ConnectError):
            return LLMUnavailable(f"Could not reach the AI service at {config.host}; try again shortly.")
        return LLMUnavailable("The connection to the AI service broke before it answered; try again shortly.")
    if isinstance(exc, openai.APIStatusError):
        return _translate_status(exc, config=config, model=model)
    if isinstance(exc, openai.APIError):
        # An error event inside a 200 stream (the server gave up before the first token).
        return LLMUnavailable(f"The AI service reported an error: {_server_message(exc) or 'unknown error'}.")
    return LLMError(f"The AI client failed: {exc}.")


def _translate_status(exc: openai.APIStatusError, *, config: OpenAIConfig, model: str) -> LLMError:
    status = exc.status_code
    code = exc.code or ""
    message = _server_message(exc)
    if status == 401:
        return LLMAuthFailed(
            "The AI service rejected our API key; an administrator needs to check the OPENAI_API_KEY setting."
        )
    if status == 403:
        return LLMAuthFailed(
            "The AI service refused access with our API key (it may lack permission for this model); "
            "an administrator needs to check OPENAI_API_KEY and OPENAI_MODEL."
        )
    if status == 404:
        if code == "model_not_found" or "model" in message.lower():
            return LLMModelNotFound(
                f"The model '{model}' does not exist on the AI server at {config.host}; "
                "an administrator needs to check OPENAI_MODEL (or pull the model on a local server)."
            )
        return LLMUnavailable(
            f"The AI server at {config.host} has no chat-completions endpoint (HTTP 404); "
            "check OPENAI_BASE_URL (it usually ends in /v1)."
        )
    if status == 429:
        if code == "insufficient_quota":
            return LLMQuotaExceeded()
        hint = _retry_after_seconds(exc)
        retry_after = max(1, math.ceil(hint)) if hint is not None else 5
        unit = "second" if retry_after == 1 else "seconds"
        return LLMRateLimited(
            f"The AI service is busy; try again in {retry_after} {unit}.", retry_after=retry_after
        )
    if status in (408, 409) or status >= 500:
        return LLMUnavailable(f"The AI service had a problem (HTTP {status}); try again shortly.")
    if code == "context_length_exceeded" or "context length" in message.lower():
        return LLMRequestRejected(
            "The conversation is too long for the AI model; start a new conversation or shorten the message."
        )
    detail = f": {message}" if message else f" (HTTP {status})"
    return LLMRequestRejected(f"The AI service refused the request{detail}")


def _server_message(exc: openai.APIError) -> str:
    body = exc.body
    if isinstance(body, dict):
        message = body.get("message")
        if isinstance(message, str):
            return message
    if isinstance(body, str):
        return body[:200]
    return ""


def _seconds(value: float) -> str:
    value = round(value, 1)
    shown = int(value) if value == int(value) else value
    return f"{shown} second" if shown == 1 else f"{shown} seconds"
