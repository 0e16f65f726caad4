"""A real OpenAI-compatible HTTP server on loopback, scriptable per test.

Tests drive the official SDK against it instead of patching the SDK. It speaks
``POST /v1/chat/completions`` (SSE streaming with ``data: {chunk}`` lines, the usage
chunk when ``stream_options.include_usage`` is set, then ``data: [DONE]``; or one JSON
body when not streaming) and ``GET /v1/models``, over HTTP/1.1 with chunked encoding,
like OpenAI, vLLM and Ollama.

Scripting: each chat request takes the next scripted reply (first in, first out); when
none is left it answers ``default_text``.

    fake_openai.reply("Hello there", token_delay=0.05)       # streamed word by word
    fake_openai.reply(tokens=["a", "b"], cut_after=1)         # socket closed mid-stream
    fake_openai.reply("late", delay_before=3)                 # headers after 3 s
    fake_openai.rate_limit(retry_after=12)                    # 429 + Retry-After
    fake_openai.server_error(times=3)                         # 500, three times
    fake_openai.unauthorized(); fake_openai.model_not_found()
    fake_openai.reply_json({"ok": True})

Records: ``requests`` (every request: method, path, headers, JSON body) and
``exchanges`` (one per chat request: tokens sent, whether the reply finished, and
whether and when the client closed the connection before it finished).

Other apps use the fixtures with
``from agents.tests.fake_openai import fake_openai, fake_openai_settings  # noqa: F401``.
"""

from __future__ import annotations

import json
import re
import select
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

FAKE_MODEL = "fake-model"
FAKE_API_KEY = "test-key"


@dataclass
class ScriptedReply:
    tokens: list[str] = field(default_factory=list)
    token_delay: float = 0.0  # seconds before each token after the first
    delay_before: float = 0.0  # seconds before the response headers
    cut_after: int | None = None  # close the socket after this many tokens, without [DONE]
    finish_reason: str | None = "stop"  # None: [DONE] without a finish reason (a truncated answer)
    status: int = 200
    error: dict[str, Any] | None = None  # OpenAI error object, for status >= 400
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: Any  # parsed JSON, or None

    @property
    def model(self) -> str | None:
        return self.body.get("model") if isinstance(self.body, dict) else None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", []) if isinstance(self.body, dict) else []


@dataclass
class Exchange:
    """What happened to one chat request's response."""

    request: RecordedRequest
    started_at: float
    tokens_sent: int = 0
    finished: bool = False  # the whole reply ([DONE] or the JSON body) was written
    finished_at: float | None = None
    cut: bool = False  # we closed the socket on purpose (cut_after)
    client_closed: bool = False  # the client closed the connection before the reply finished
    client_closed_at: float | None = None


def split_tokens(text: str) -> list[str]:
    """``text`` as word-sized tokens ("Hello ", "world"); joined they give ``text`` back."""
    return re.findall(r"\s*\S+\s*", text) or ([text] if text else [])


class FakeOpenAI:
    def __init__(self, *, models: list[str] | None = None, default_text: str = "Hello from the fake model."):
        self.models = models or [FAKE_MODEL]
        self.default_text = default_text
        self.requests: list[RecordedRequest] = []
        self.exchanges: list[Exchange] = []
        self._replies: deque[ScriptedReply] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> FakeOpenAI:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def port(self) -> int:
        assert self._server is not None, "the fake server is not running"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting ---------------------------------------------------------------------
    def reply(
        self,
        text: str | None = None,
        *,
        tokens: list[str] | None = None,
        token_delay: float = 0.0,
        delay_before: float = 0.0,
        cut_after: int | None = None,
        finish_reason: str | None = "stop",
    ) -> None:
        """Queue a successful reply, given as ``text`` (split into words) or exact ``tokens``."""
        self._queue(
            ScriptedReply(
                tokens=list(tokens) if tokens is not None else split_tokens(text or ""),
                token_delay=token_delay,
                delay_before=delay_before,
                cut_after=cut_after,
                finish_reason=finish_reason,
            )
        )

    def reply_json(self, value: Any, **options: Any) -> None:
        """Queue a reply whose text is ``value`` as JSON (a str is sent as is, valid or not)."""
        text = value if isinstance(value, str) else json.dumps(value)
        self.reply(tokens=[text[i : i + 8] for i in range(0, len(text), 8)], **options)

    def fail(
        self,
        status: int,
        *,
        message: str | None = None,
        code: str | None = None,
        type: str = "invalid_request_error",
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Queue ``times`` error responses with the OpenAI error body."""
        error = {"message": message or f"Error {status}", "type": type, "param": None, "code": code}
        for _ in range(times):
            self._queue(ScriptedReply(status=status, error=error, headers=dict(headers or {})))

    def rate_limit(
        self, *, retry_after: float | None = None, retry_after_ms: int | None = None, times: int = 1
    ) -> None:
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = f"{retry_after:g}"
        if retry_after_ms is not None:
            headers["retry-after-ms"] = str(retry_after_ms)
        self.fail(
            429,
            message="Rate limit reached for requests",
            code="rate_limit_exceeded",
            type="requests",
            headers=headers,
            times=times,
        )

    def server_error(self, *, status: int = 500, times: int = 1) -> None:
        self.fail(
            status,
            message="The server had an error while processing your request.",
            type="server_error",
            times=times,
        )

    def unauthorized(self) -> None:
        self.fail(401, message="Incorrect API key provided: test-key.", code="invalid_api_key")

    def model_not_found(self, model: str = "missing-model") -> None:
        self.fail(
            404,
            message=f"The model `{model}` does not exist or you do not have access to it.",
            code="model_not_found",
        )

    def _queue(self, reply: ScriptedReply) -> None:
        with self._lock:
            self._replies.append(reply)

    def _next_reply(self) -> ScriptedReply:
        with self._lock:
            if self._replies:
                return self._replies.popleft()
        return ScriptedReply(tokens=split_tokens(self.default_text))

    # -- inspection --------------------------------------------------------------------
    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def wait_for(self, predicate: Any, *, timeout: float = 3.0) -> bool:
        """Poll ``predicate()`` until it is true or ``timeout`` passes (for use from sync code)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.01)
        return bool(predicate())

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _start_exchange(self, request: RecordedRequest) -> Exchange:
        exchange = Exchange(request=request, started_at=time.monotonic())
        with self._lock:
            self.exchanges.append(exchange)
        return exchange


class _ClientClosed(Exception):
    pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that drops a kept-alive connection is normal here; anything else is a bug
        # in the fake and must show.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeOpenAI/1.0"

    @property
    def fake(self) -> FakeOpenAI:
        return self.server.fake  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    # -- routes --------------------------------------------------------------------------
    def do_GET(self) -> None:
        request = self._read_request()
        if request.path.rstrip("/") == "/v1/models":
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in self.fake.models]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_json(404, {"error": {"message": "Not found", "type": "invalid_request_error"}})

    def do_POST(self) -> None:
        request = self._read_request()
        if request.path.rstrip("/") != "/v1/chat/completions":
            self._send_json(404, {"error": {"message": "Not found", "type": "invalid_request_error"}})
            return
        exchange = self.fake._start_exchange(request)
        reply = self.fake._next_reply()
        try:
            self._wait(reply.delay_before, exchange)
            if reply.status >= 400:
                self._send_json(reply.status, {"error": reply.error}, headers=reply.headers)
            elif isinstance(request.body, dict) and request.body.get("stream"):
                self._stream(reply, request, exchange)
            else:
                self._complete(reply, request)
            if not exchange.cut:
                exchange.finished = True
                exchange.finished_at = time.monotonic()
        except (_ClientClosed, BrokenPipeError, ConnectionResetError):
            if not exchange.client_closed:
                exchange.client_closed = True
                exchange.client_closed_at = time.monotonic()
            self.close_connection = True

    # -- replies -------------------------------------------------------------------------
    def _stream(self, reply: ScriptedReply, request: RecordedRequest, exchange: Exchange) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        model = request.model or FAKE_MODEL
        self._event(_chunk(model, {"role": "assistant", "content": ""}))
        for index, token in enumerate(reply.tokens):
            if reply.cut_after is not None and index >= reply.cut_after:
                exchange.cut = True
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if index:
                self._wait(reply.token_delay, exchange)
            else:
                self._wait(0, exchange)
            self._event(_chunk(model, {"content": token}))
            exchange.tokens_sent += 1
        if reply.finish_reason is not None:
            self._event(_chunk(model, {}, finish_reason=reply.finish_reason))
        options = request.body.get("stream_options") or {}
        if options.get("include_usage"):
            usage_chunk = _chunk(model, None, usage=_usage(request, reply))
            self._event(usage_chunk)
        self._write_chunk(b"data: [DONE]\n\n")
        self._write_chunk(b"")

    def _complete(self, reply: ScriptedReply, request: RecordedRequest) -> None:
        body = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.model or FAKE_MODEL,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "".join(reply.tokens)},
                    "finish_reason": reply.finish_reason,
                    "logprobs": None,
                }
            ],
            "usage": _usage(request, reply),
        }
        self._send_json(200, body)

    # -- plumbing ------------------------------------------------------------------------
    def _read_request(self) -> RecordedRequest:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        request = RecordedRequest(
            method=self.command,
            path=self.path.split("?")[0],
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        self.fake._record(request)
        return request

    def _wait(self, seconds: float, exchange: Exchange) -> None:
        """Sleep ``seconds``, noticing at once when the client closes the connection."""
        deadline = time.monotonic() + seconds
        while True:
            remaining = max(0.0, deadline - time.monotonic())
            readable, _, _ = select.select([self.connection], [], [], remaining)
            if readable:
                try:
                    peeked = self.connection.recv(1, socket.MSG_PEEK)
                except OSError:
                    peeked = b""
                if peeked == b"":
                    raise _ClientClosed
                # The client sent more bytes (a pipelined request): not a close; keep waiting.
                time.sleep(min(remaining, 0.01))
            if time.monotonic() >= deadline:
                return

    def _event(self, payload: dict[str, Any]) -> None:
        self._write_chunk(b"data: " + json.dumps(payload).encode() + b"\n\n")

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _send_json(self, status: int, body: Any, *, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()


def _chunk(
    model: str, delta: dict[str, Any] | None, *, finish_reason: str | None = None, usage: dict | None = None
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": []
        if delta is None
        else [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}],
        "usage": usage,
    }


def _usage(request: RecordedRequest, reply: ScriptedReply) -> dict[str, int]:
    prompt = sum(len(str(m.get("content", ""))) // 4 + 4 for m in request.messages)
    completion = len(reply.tokens)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


# -- pytest fixtures ---------------------------------------------------------------------
@pytest.fixture
def fake_openai():
    """A running ``FakeOpenAI`` for one test."""
    server = FakeOpenAI().start()
    yield server
    server.stop()


def point_settings_at(settings: Any, server: FakeOpenAI) -> None:
    """Configure the ``openai`` provider for ``server``: test key, fake model, short limits."""
    settings.LLM_PROVIDER = "openai"
    settings.OPENAI_BASE_URL = server.base_url
    settings.OPENAI_API_KEY = FAKE_API_KEY
    settings.OPENAI_MODEL = FAKE_MODEL
    settings.LLM_CONNECT_TIMEOUT = 2.0
    settings.LLM_READ_TIMEOUT = 2.0
    settings.LLM_MAX_RETRIES = 2
    settings.LLM_RETRY_BACKOFF = 0.0
    settings.LLM_RETRY_MAX_WAIT = 1.0


@pytest.fixture
def fake_openai_settings(settings, fake_openai):
    """``fake_openai``, with settings pointing the LLM layer at it (``get_provider()`` is openai)."""
    point_settings_at(settings, fake_openai)
    return fake_openai
