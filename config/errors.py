"""Domain errors: what services raise when a business rule says no.

Views, viewsets and consumers never translate these by hand: the API exception handler
(config.api.errors) turns them into the one error body of DESIGN.md, and pages show
``detail`` as a form or flash error.
"""


class DomainError(Exception):
    status_code = 400
    type = "invalid_request"
    default_detail = "The request cannot be carried out."

    def __init__(
        self,
        detail: str | None = None,
        *,
        type: str | None = None,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        self.detail = detail or self.default_detail
        if type is not None:
            self.type = type
        self.fields = fields
        self.headers = headers or {}
        super().__init__(self.detail)


class InvalidField(DomainError):
    """A rule about one input field said no: a 400 ``validation_error`` whose ``fields``
    names the field, so the API client and the page's form show the message beside it."""

    type = "validation_error"

    def __init__(self, field: str, message: str, *, detail: str | None = None):
        super().__init__(detail or message, fields={field: [message]})


def domain_error_to_form(error: DomainError, form, *, field: str | None = None) -> None:
    """Show a service's refusal on the form whose input it refused: each message on its
    field when the form has one of that name (or on ``field`` when given), else on the
    form as a whole."""
    for name, messages in (error.fields or {"__all__": [error.detail]}).items():
        target = field or (name if name in form.fields else None)
        for message in messages:
            form.add_error(target, message)


class NotFound(DomainError):
    status_code = 404
    type = "not_found"
    default_detail = "Not found."


class Forbidden(DomainError):
    status_code = 403
    type = "permission_denied"
    default_detail = "You do not have permission to do this."


class Conflict(DomainError):
    status_code = 409
    type = "conflict"
    default_detail = "This conflicts with the current state."


class RateLimited(DomainError):
    status_code = 429
    type = "throttled"
    default_detail = "Too many requests."

    def __init__(self, detail: str | None = None, *, retry_after: int, **kwargs):
        self.retry_after = max(1, int(retry_after))
        kwargs.setdefault("headers", {})["Retry-After"] = str(self.retry_after)
        super().__init__(detail, **kwargs)
