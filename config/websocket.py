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


def collect_websocket_urlpatterns() -> list:
    return [pattern for module in app_modules("routing") for pattern in module.websocket_urlpatterns]


def websocket_application():
    from accounts.websocket import WebsocketAuthMiddleware
    from config.layer_watch import LayerFailureGuard

    return LayerFailureGuard(
        CookieOriginGuard(WebsocketAuthMiddleware(URLRouter(collect_websocket_urlpatterns())))
    )
