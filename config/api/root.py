"""``GET /api/v1/``: the API root, one link per endpoint, grouped by the app that serves it
(the same groups as the Swagger tags, ``config.api.tags``).

The list is read from the URL patterns under ``/api/v1/``, so it cannot drift from them:
every named route that needs no path argument (``projects/``, ``skills/``, ``auth/token/``)
is listed with its absolute URL; routes that name one object (``projects/<slug>/``) are
reached from the objects the lists return.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, URLPattern, URLResolver, reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.tags import API_TAGS, view_tag


def _named_patterns(patterns) -> list[URLPattern]:
    found: list[URLPattern] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found.extend(_named_patterns(entry.url_patterns))
        elif isinstance(entry, URLPattern) and entry.name:
            found.append(entry)
    return found


def api_endpoints() -> dict[str, dict[str, str]]:
    """``{tag: {"auth/token": "/api/v1/auth/token/", …}}`` for every argument-free route
    under /api/v1/, keyed by its path below the root."""
    from config.api import urls  # the URLconf imports this module

    root = reverse("api-root")
    groups: dict[str, dict[str, str]] = {tag["name"]: {} for tag in API_TAGS}
    for pattern in _named_patterns(urls.urlpatterns):
        if pattern.name == "api-root":
            continue
        try:
            path = reverse(pattern.name)
        except NoReverseMatch:
            continue  # names one object
        groups.setdefault(view_tag(pattern.callback), {})[path.removeprefix(root).strip("/")] = path
    return {tag: dict(sorted(routes.items())) for tag, routes in groups.items() if routes}


class ApiRootView(APIView):
    """The endpoints of the DevCrew API, grouped by area. Objects (a project, a
    conversation, an agent run) are reached from the lists. The OpenAPI document is at
    `/api/schema/`, Swagger UI at `/api/docs/`."""

    permission_classes = [AllowAny]
    view_name = "DevCrew API"

    def get_view_name(self) -> str:
        return self.view_name

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        body: dict[str, object] = {
            tag: {key: request.build_absolute_uri(path) for key, path in routes.items()}
            for tag, routes in api_endpoints().items()
        }
        body["schema"] = request.build_absolute_uri(reverse("api-schema"))
        body["docs"] = request.build_absolute_uri(reverse("api-docs"))
        return Response(body)
