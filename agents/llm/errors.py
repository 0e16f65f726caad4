"""What the LLM layer raises: domain errors a user can read.

Every failure of a provider is one of these, never an SDK or HTTP exception, so the API
error handler, the chat consumer and the agent tasks treat them like any other
DomainError: ``type`` is the machine code, ``detail`` the plain-words message.
``retryable`` tells a caller (a Celery task, a "try again" button) whether the same
request may succeed later.
"""

from config.errors import DomainError, RateLimited


class LLMError(DomainError):
    """Base of every LLM failure: the AI service (upstream) let us down."""

    status_code = 502
    type = "llm_error"
    default_detail = "The AI service failed to answer."
    retryable = False


class LLMAuthFailed(LLMError):
    type = "llm_auth_failed"
    default_detail = "The AI service rejected our API key; an administrator needs to check OPENAI_API_KEY."


class LLMModelNotFound(LLMError):
    type = "llm_model_not_found"
    default_detail = "The requested model does not exist on the AI server."


class LLMRequestRejected(LLMError):
    """The service understood the request and refused it (400, 422, context too long)."""

    type = "llm_request_rejected"
    default_detail = "The AI service refused the request."


class LLMQuotaExceeded(LLMError):
    type = "llm_quota_exceeded"
    default_detail = (
        "The AI service account has run out of credit; an administrator needs to top it up or change the key."
    )


class LLMUnavailable(LLMError):
    type = "llm_unavailable"
    default_detail = "The AI service is unavailable right now; try again shortly."
    retryable = True


class LLMTimeout(LLMError):
    status_code = 504
    type = "llm_timeout"
    default_detail = "The AI service took too long to answer; try again shortly."
    retryable = True


class LLMStreamInterrupted(LLMError):
    """The answer broke off after some text had already been delivered.

    It carries nothing the caller does not already have: the deltas delivered before the
    break are the partial answer (the caller accumulates them, or reads ``ChatStream.text``).
    """

    type = "llm_stream_interrupted"
    default_detail = "The connection to the AI service broke while it was answering."
    retryable = True


class LLMInvalidOutput(LLMError):
    """The model's structured output did not validate, even after one repair attempt."""

    type = "llm_invalid_output"
    default_detail = "The AI model did not produce the structured answer we asked for."
    retryable = True

    def __init__(self, detail: str | None = None, *, problems: list[str] | None = None, **kwargs):
        self.problems = problems or []
        super().__init__(detail, **kwargs)


class LLMRateLimited(LLMError, RateLimited):
    """429 from the AI service; ``retry_after`` is the server's hint in whole seconds (>= 1)."""

    status_code = 429
    type = "llm_rate_limited"
    default_detail = "The AI service is busy; try again shortly."
    retryable = True
