"""The site's name and the address it is served on, for what leaves a request: emails.

Links in an email point to the address that served the request that sent it, so
``make run PORT=8123`` mails links to port 8123 and a deployment behind its own domain
mails links to that domain: ``SiteAddressMiddleware`` keeps the request in a context
variable (copied into the threads ASGI runs sync code in) while it is served, and
``site_url()`` reads its scheme and host (``ALLOWED_HOSTS`` validates the host). Outside
a request (Celery tasks, management commands) links use the ``SITE_URL`` setting.
The name the emails greet with is the ``SITE_NAME`` setting.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("site_request", default=None)


class SiteAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def site_url() -> str:
    """``scheme://host[:port]`` of the request being served, else ``SITE_URL``; no slash at the end."""
    request = _request.get()
    if request is not None:
        try:
            return f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            pass
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (``/projects/x/``) on the site's address; an absolute URL is returned as is."""
    return f"{site_url()}{path}" if path.startswith("/") else path


@dataclass(frozen=True)
class SiteIdentity:
    """What allauth's email templates read as ``current_site`` (``name``, ``domain``)."""

    name: str
    domain: str


def site_identity() -> SiteIdentity:
    return SiteIdentity(name=settings.SITE_NAME, domain=site_url())
