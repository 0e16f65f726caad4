"""The site map's rules (config/urls.py, config/api/urls.py, config/asgi.py)."""

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern


def _api_routes(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _api_routes(entry.url_patterns, route)
        else:
            assert isinstance(entry, URLPattern)
            yield route, entry


def test_every_api_route_is_a_path_ending_with_a_slash():
    api = next(e for e in get_resolver().url_patterns if str(e.pattern) == "api/v1/")
    routes = list(_api_routes(api.url_patterns))
    assert len(routes) > 40
    for route, entry in routes:
        assert isinstance(entry.pattern, RoutePattern), f"{route}: use path(), not re_path()"
        if route == "":  # the API root, /api/v1/ itself
            continue
        assert route.endswith("/"), f"{route}: an API path ends with '/'"


def test_socket_routes_are_paths_under_ws_ending_with_a_slash():
    from config.asgi import websocket_urlpatterns

    routes = [str(p.pattern) for p in websocket_urlpatterns]
    assert "ws/chat/<str:conversation_id>/" in routes
    assert "ws/agent-runs/<str:run_id>/" in routes
    for pattern in websocket_urlpatterns:
        assert isinstance(pattern.pattern, RoutePattern)
        assert str(pattern.pattern).startswith("ws/") and str(pattern.pattern).endswith("/")
