"""HTTP caching for answers that are the same for everyone who may see them: the skill
autocomplete, and public pages as anonymous visitors get them.

``Cache-Control: public, max-age=N`` lets browsers and shared caches (a CDN, the load
balancer) keep them; an ``ETag`` (a digest of the body) turns a repeated request into a
``304 Not Modified`` without a body. Nothing is marked public that carries a cookie or was
rendered for a signed-in user; those answers stay as Django makes them.
"""

from collections.abc import Callable
from functools import wraps

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag


def cacheable_response(request, response, *, max_age: int, anonymous_only: bool):
    """Mark ``response`` public for ``max_age`` seconds with a content ETag; a 304 when the
    request already holds it. Returns the response to send."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
        return response
    user = getattr(request, "user", None)
    if anonymous_only and user is not None and user.is_authenticated:
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    # A page that set a cookie (CSRF token for a form, a session) is not the same for all.
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return response
    patch_cache_control(response, public=True, max_age=max_age)
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def public_when_anonymous(max_age: int) -> Callable:
    """View decorator: an anonymous visitor's answer is cacheable (``cacheable_response``)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            return cacheable_response(request, response, max_age=max_age, anonymous_only=True)

        return wrapped

    return decorator
