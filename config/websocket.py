"""The stack every WebSocket passes before its consumer: the channel-layer failure guard,
the origin guard (``CookieOriginGuard``), the refusal of paths no route serves
(``NoRouteRefusal``) and authentication (``accounts.websocket``). The routes themselves
are listed in ``config/asgi.py``."""

from urllib.parse import urlsplit

from channels.routing import URLRouter
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.urls.resolvers import RegexPattern, URLResolver
from django.utils.http import is_same_domain

DEFAULT_PORTS = {"http": "80", "https": "443"}


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def _origin_parts(origin: str) -> tuple[str, str] | None:
    """``(scheme, netloc)`` of a serialized origin, default port dropped; None if malformed."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        return None
    if parts.path or parts.query or parts.fragment:
        return None  # an origin is scheme://host[:port], nothing more
    netloc = parts.netloc.lower()
    if port is not None and str(port) == DEFAULT_PORTS[parts.scheme]:
        netloc = netloc.rsplit(":", 1)[0]
    return parts.scheme, netloc


def _is_secure(scope) -> bool:
    """Like ``HttpRequest.is_secure()``: the socket's own scheme, or the TLS proxy's header
    when ``SECURE_PROXY_SSL_HEADER`` says to trust it."""
    if scope.get("scheme") == "wss":
        return True
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if not proxy_header:
        return False
    name, secure_value = proxy_header
    value = _header(scope, name.removeprefix("HTTP_").lower().replace("_", "-").encode())
    return value is not None and value.split(",", 1)[0].strip() == secure_value


def _own_origin(scope) -> tuple[str, str] | None:
    """``(scheme, netloc)`` the page that opened this socket has if it is one of ours: the
    handshake's Host (an allowed host), with http or https as the socket is secure."""
    host = _header(scope, b"host")
    if settings.USE_X_FORWARDED_HOST:
        host = (_header(scope, b"x-forwarded-host") or "").split(",", 1)[0].strip() or host
    if not host:
        return None
    domain, _port = split_domain_port(host.lower())
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    return _origin_parts(f"{'https' if _is_secure(scope) else 'http'}://{host}")


def origin_allowed(scope) -> bool:
    """Whether the handshake's ``Origin`` is this site's own origin (scheme, host and port
    all equal; as Django's CSRF check, never "any host" whatever ALLOWED_HOSTS says) or one of
    ``CSRF_TRUSTED_ORIGINS`` (exact, or ``https://*.example.com`` for subdomains)."""
    origin = _header(scope, b"origin")
    request_origin = _origin_parts(origin) if origin is not None else None
    if request_origin is None:
        return False
    if request_origin == _own_origin(scope):
        return True
    scheme, netloc = request_origin
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        if "*" in trusted:
            trusted_scheme, _, trusted_netloc = trusted.lower().partition("://")
            if trusted_scheme == scheme and is_same_domain(netloc, trusted_netloc.replace("*", "", 1)):
                return True
        elif _origin_parts(trusted) == request_origin:
            return True
    return False


class CookieOriginGuard:
    """Cross-site WebSocket hijacking protection that still admits native clients.

    Browsers send the session cookie with any socket a page opens, whatever site the page
    is on, so the cookie counts only when ``Origin`` is one of ours (``origin_allowed``).
    A socket with a foreign, malformed or missing ``Origin`` (a native app sends none)
    still connects, but without its cookies: it can only authenticate with a bearer token
    (header or first frame), and is closed 4401 otherwise.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if not origin_allowed(scope):
            scope = dict(scope)
            scope["headers"] = [(k, v) for k, v in scope.get("headers", []) if k != b"cookie"]
        return await self.app(scope, receive, send)


CLOSE_NO_ROUTE = 4404


def _routed(patterns: list, scope) -> bool:
    """Whether ``URLRouter(patterns)`` has a route for the scope's path (its matching)."""
    path, root = scope.get("path", ""), scope.get("root_path", "")
    if root:
        if not path.startswith(root):
            return False
        path = path[len(root) :]
    return any(pattern.pattern.match(path.lstrip("/")) for pattern in patterns)


class NoRouteRefusal:
    """A socket on a path no consumer serves is accepted only to carry close code 4404
    (channels' router would raise, a 500 on the handshake). Before authentication, so
    the refusal is immediate whatever the credentials."""

    def __init__(self, app, patterns: list):
        self.app, self.patterns = app, patterns

    async def __call__(self, scope, receive, send):
        if _routed(self.patterns, scope):
            return await self.app(scope, receive, send)
        event = await receive()
        if event["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": CLOSE_NO_ROUTE})
        return None


def websocket_application(patterns: list):
    """The ASGI app serving ``patterns`` (channels ``path()`` routes) behind the stack."""
    from accounts.websocket import WebsocketAuthMiddleware
    from config.layer_watch import LayerFailureGuard

    return LayerFailureGuard(
        CookieOriginGuard(NoRouteRefusal(WebsocketAuthMiddleware(URLRouter(patterns)), patterns))
    )


def socket_path(patterns: list, name: str, **kwargs) -> str:
    """The path of the socket route called ``name`` in ``patterns`` (an app's
    ``websocket_urlpatterns``), as ``reverse()`` gives a page's: ``/ws/chat/7/``."""
    return "/" + URLResolver(RegexPattern(r"^"), patterns).reverse(name, **kwargs)
