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
