"""WebSocket routing: every app may contribute ``websocket_urlpatterns`` in its
``routing.py``; they are collected here behind the origin guard and the auth stack."""

from urllib.parse import urlparse

from channels.routing import URLRouter
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port
from django.utils.http import is_same_domain

from config.discovery import app_modules


def _origin_allowed(origin: bytes) -> bool:
    parsed = urlparse(origin.decode("latin1"))
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return False
    host, _port = split_domain_port(parsed.netloc)
    allowed = settings.ALLOWED_HOSTS
    if "*" in allowed:
        return True
    return any(is_same_domain(host, pattern) for pattern in allowed)


class CookieOriginGuard:
    """Cross-site WebSocket hijacking protection that still admits native clients.

    A browser always sends ``Origin``; a socket whose Origin is not one of ours is
    refused before the handshake completes. A socket without ``Origin`` (a native app)
    may connect, but its cookies are dropped, so it can only authenticate with a bearer
    token (header or first frame), never with a session cookie it cannot have come by
    legitimately.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", []))
        origin = headers.get(b"origin")
        if origin is None:
            scope = dict(scope)
            scope["headers"] = [(k, v) for k, v in scope["headers"] if k != b"cookie"]
        elif not _origin_allowed(origin):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
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


def collect_websocket_urlpatterns() -> list:
    return [pattern for module in app_modules("routing") for pattern in module.websocket_urlpatterns]


def websocket_application():
    from accounts.websocket import WebsocketAuthMiddleware

    patterns = collect_websocket_urlpatterns()
    return CookieOriginGuard(NoRouteRefusal(WebsocketAuthMiddleware(URLRouter(patterns)), patterns))
