"""Every API route, every method, hostile values everywhere: never a 5xx (issue 9).

The routes are not listed by hand: they are walked from the URL conf (``/api/...``
patterns, with each view's methods) and the OpenAPI schema (``/api/schema/``) supplies
each operation's body properties and query parameters. A route or a field added later
is swept without touching this file. Hostile values go into

* the path (each URL keyword in turn: ids beyond 64 bits, NUL, ``[``, words, ...),
* the body (every property of the request schema at once, and whole non-object bodies),
* the query string (every declared parameter and the pagination ones),

as the owner of a project with every kind of child object, so that the views get past
their 404s, and anonymously for the public endpoints. Every answer must be below 500
and, when it is an error, the one JSON error body of DESIGN.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.regex_helper import normalize
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from agents.tests.factories import AgentFactory, AgentRunFactory
from chat.tests.factories import ConversationFactory, MessageFactory
from profiles.services import WIZARD_STEPS
from profiles.tests.factories import ProfileFactory
from projects.models import Membership
from projects.tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    MilestoneFactory,
    ProjectFactory,
    ShareLinkFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch", "delete")
SKIPPED_ROUTES = ("api/schema/", "api/docs/")  # drf-spectacular's own views; the schema helper's tests

HOSTILE_SEGMENTS = [str(10**20), str(2**63), "0", "-1", "abc", "%00", "%5B", "x" * 300, "%EF%BC%91"]

NESTED = json.loads("[" * 30 + "]" * 30)  # below the parser's depth limit: reaches the views
HOSTILE_VALUES: list[Any] = [
    10**20,
    -(10**20),
    2**63,
    0,
    -1,
    1.5,
    "\x00",
    "[",
    "http://[",
    "https://example.com:99999999/",
    "",
    "x" * 20_000,
    "9" * 30,
    "NaN",
    "2026-13-45T25:99",
    True,
    None,
    [],
    {},
    [10**20],
    ["["],
    [{"name": "[", "url": "[", "years": 10**20}],
    {"url": "[", "id": 10**20},
    NESTED,
]
HOSTILE_BODIES: list[Any] = [[], [10**20], "text", 10**20, None, NESTED]
HOSTILE_QUERY = ["0", "-1", str(10**20), "abc", "[", "", "1.5", "x" * 5000, "2026-13-45", "true'--"]
PAGINATION_PARAMS = ["page", "page_size", "cursor", "before", "since", "q", "ordering", "search"]
APPS = ["accounts", "profiles", "projects", "agents", "chat", "config"]


def params_read_in_code() -> list[str]:
    """Every query parameter a view reads by name (``request.GET.get("x")``, ...), so that
    one the schema does not declare is swept too."""
    found: set[str] = set()
    for app in APPS:
        for source in (settings.BASE_DIR / app).rglob("*.py"):
            if "tests" not in source.parts:
                found |= set(QUERY_READ.findall(source.read_text(encoding="utf-8")))
    return sorted(found)


QUERY_READ = re.compile(r"(?:query_params|GET)\.(?:get|getlist)\(\s*[\"']([\w\-]+)[\"']")


# -- the routes ----------------------------------------------------------------------------


@dataclass
class Route:
    template: str  # "/api/v1/projects/%(slug)s/tasks/%(pk)s"
    params: list[str]
    methods: list[str]
    name: str

    def url(self, **values: str) -> str:
        return self.template % values


def _view_methods(callback) -> list[str]:
    actions = getattr(callback, "actions", None)
    if actions:
        return sorted(method for method in actions if method not in ("head", "options"))
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is None:
        return ["get", "post"]
    allowed = getattr(cls, "http_method_names", ["get", "post", "put", "patch", "delete"])
    return sorted(m for m in allowed if m not in ("head", "options", "trace") and hasattr(cls, m))


def _walk(patterns, prefix: str = "", namespace: str = "") -> list[tuple[str, Any, str]]:
    """(regex, view, "namespace:name") of every URL pattern under ``patterns``."""
    found = []
    for pattern in patterns:
        regex = pattern.pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _walk(pattern.url_patterns, prefix + regex, inner)
        elif isinstance(pattern, URLPattern):
            found.append((prefix + regex, pattern.callback, namespace + (pattern.name or "")))
    return found


def api_routes() -> list[Route]:
    routes = []
    for regex, callback, name in _walk(get_resolver().url_patterns):
        if not regex.startswith("api/") or regex.startswith(SKIPPED_ROUTES):
            continue
        template, params = normalize(regex)[0]
        routes.append(Route("/" + template, sorted(params), _view_methods(callback), name))
    return routes


def site_routes() -> list[Route]:
    routes = []
    for regex, _callback, name in _walk(get_resolver().url_patterns):
        if regex.startswith(("api/", "admin/", "static/", "media/")):
            continue
        template, params = normalize(regex)[0]
        if params:
            routes.append(Route("/" + template, sorted(params), ["get"], name))
    return routes


# -- the world the requests act on ---------------------------------------------------------


@dataclass
class World:
    values: dict[str, str]  # URL keyword -> a real value
    pks: dict[str, str]  # route-name fragment -> a real primary key
    owner: Any
    failures: list[str] = field(default_factory=list)

    def real(self, route: Route, param: str) -> str:
        if param in self.values:
            return self.values[param]
        for fragment, pk in self.pks.items():
            if fragment in route.name:
                return pk
        return "1"


def _pk(factory, **kwargs) -> str:
    return str(factory(**kwargs).pk)


@pytest.fixture
def world(db) -> World:
    owner = UserFactory(username="sweep-owner")
    ProfileFactory(user=owner)
    project: Any = ProjectFactory(owner=owner)
    member: Any = MembershipFactory(project=project, role=Membership.Role.MEMBER)
    conversation: Any = ConversationFactory(owner=owner)
    message: Any = MessageFactory(conversation=conversation)
    share_link: Any = ShareLinkFactory(project=project)
    pks = {
        "invitation": _pk(InvitationFactory, project=project),
        "join-request": _pk(JoinRequestFactory, project=project),
        "share-link": str(share_link.pk),
        "milestone": _pk(MilestoneFactory, project=project),
        "task": _pk(TaskFactory, project=project),
        "agent-run": _pk(AgentRunFactory, project=project, owner=owner),
        "agent": _pk(AgentFactory, owner=owner),
        "conversation": str(conversation.pk),
        "chat:": str(conversation.pk),
        "message": str(message.pk),
    }
    values = {
        "slug": project.slug,
        "username": member.user.username,
        "token": share_link.token,
        "conversation_id": str(conversation.pk),
        "message_id": str(message.pk),
        "step": WIZARD_STEPS[0],
    }
    return World(values=values, pks=pks, owner=owner)


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def operation(schema: dict, url: str, method: str) -> dict:
    """The schema's operation for a concrete URL (``{param}`` matches one segment)."""
    path = url.split("?")[0].rstrip("/")
    for template, operations in schema["paths"].items():
        regex = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template.rstrip("/")))
        if re.fullmatch(regex, path) and method in operations:
            return operations[method]
    return {}


def body_properties(schema: dict, op: dict) -> list[str]:
    content = op.get("requestBody", {}).get("content", {})
    media: dict = content.get("application/json") or next(iter(content.values()), {})
    ref = media.get("schema", {})
    while "$ref" in ref:
        ref = schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]
    props = list(ref.get("properties", {}))
    for variant in ref.get("oneOf", []) + ref.get("anyOf", []) + ref.get("allOf", []):
        while "$ref" in variant:
            variant = schema["components"]["schemas"][variant["$ref"].rsplit("/", 1)[1]]
        props += [p for p in variant.get("properties", {}) if p not in props]
    return props


def query_parameters(op: dict) -> list[str]:
    return [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]


# -- sending and judging -------------------------------------------------------------------


def client_for(user=None) -> APIClient:
    client = APIClient()
    client.raise_request_exception = False
    if user is not None:
        client.force_authenticate(user)
    return client


def send(world: World, client: APIClient, method: str, url: str, body: Any = None, **extra) -> None:
    for cache in caches.all():  # throttles and lockouts are not what this sweep is about
        cache.clear()
    if body is None or (method in ("get", "delete") and body == {}):
        response = getattr(client, method)(url, **extra)
    else:
        response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
    problem = judge(response)
    if problem:
        shown = json.dumps(body)[:120] if body is not None else ""
        world.failures.append(f"{method.upper()} {url[:160]} {shown} -> {problem}")


def judge(response) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"{status} {response.content[:200]!r}"
    if status < 400 or response.get("Content-Type", "").startswith("text/event-stream"):
        return None
    if response.request.get("REQUEST_METHOD") == "HEAD":
        return None  # no body by definition
    if not response.get("Content-Type", "").startswith("application/json"):
        return f"{status} with {response.get('Content-Type')}, not the JSON error body"
    body = response.json()
    if not (
        isinstance(body, dict) and isinstance(body.get("type"), str) and isinstance(body.get("detail"), str)
    ):
        return f"{status} without the error body: {body!r:.200}"
    if set(body) - {"type", "detail", "fields"}:
        return f"{status} with extra keys: {sorted(body)}"
    return None


def report(world: World) -> str:
    return f"{len(world.failures)} requests failed:\n" + "\n".join(world.failures[:60])


# -- the sweeps ----------------------------------------------------------------------------


def test_the_sweep_sees_every_api_route_and_schema_operation(schema):
    """If the walk missed routes, the sweeps below would prove nothing about them."""
    routes = api_routes()
    names = {route.name for route in routes}
    assert {
        "auth-token",
        "auth-register",
        "api-notifications-read",
        "profiles-me",
        "api-project-task",
    } <= names
    walked = {
        (route.template.rstrip("/") % dict.fromkeys(route.params, "x"), method)
        for route in routes
        for method in route.methods
    }
    for template, operations in schema["paths"].items():
        if template.startswith("/api/v1/"):
            concrete = re.sub(r"\{[^/]+?\}", "x", template).rstrip("/")
            for method in set(operations) & {"get", *WRITE_METHODS}:
                assert (concrete, method) in walked, f"{method.upper()} {template} is in the schema only"


def test_hostile_path_values_on_every_route_and_method(world):
    client = client_for(world.owner)
    for route in api_routes():
        for param in route.params:
            for segment in HOSTILE_SEGMENTS:
                values = {p: quote(world.real(route, p), safe="") for p in route.params}
                values[param] = segment
                for method in route.methods:
                    send(world, client, method, route.url(**values), {} if method != "get" else None)
    assert not world.failures, report(world)


@pytest.mark.django_db(transaction=True)  # a message sent is answered in another thread
def test_hostile_bodies_on_every_write(world, schema):
    client = client_for(world.owner)
    for route in api_routes():
        url = route.url(**{p: quote(world.real(route, p), safe="") for p in route.params})
        for method in route.methods:
            if method not in WRITE_METHODS or method == "delete":
                continue  # a real DELETE would take the objects the other requests need
            props = body_properties(schema, operation(schema, url, method)) or ["id", "name"]
            for value in HOSTILE_VALUES:
                send(world, client, method, url, dict.fromkeys(props, value))
            for body in HOSTILE_BODIES:
                send(world, client, method, url, body)
    assert not world.failures, report(world)


def test_hostile_bodies_anonymously_on_every_write(world, schema):
    """The public endpoints (register, token, password reset...) parse bodies from anyone."""
    client = client_for(None)
    for route in api_routes():
        url = route.url(**{p: quote(world.real(route, p), safe="") for p in route.params})
        for method in route.methods:
            if method in WRITE_METHODS:
                props = body_properties(schema, operation(schema, url, method)) or ["id", "name"]
                for value in [10**20, "\x00", "[", NESTED, {"url": "["}]:
                    send(world, client, method, url, dict.fromkeys(props, value))
                for raw in ["[" * 50_000 + "]" * 50_000, '{"a": "\\ud800"}', "{", "x" * 3_000_000]:
                    response = getattr(client, method)(url, raw, content_type="application/json")
                    if judge(response):
                        world.failures.append(f"{method.upper()} {url} raw {raw[:20]!r} -> {judge(response)}")
    assert not world.failures, report(world)


def test_hostile_query_strings_on_every_read(world, schema):
    client = client_for(world.owner)
    in_code = params_read_in_code()
    assert {"q", "archived"} <= set(in_code)
    for route in api_routes():
        if "get" not in route.methods:
            continue
        url = route.url(**{p: quote(world.real(route, p), safe="") for p in route.params})
        params = sorted({*query_parameters(operation(schema, url, "get")), *PAGINATION_PARAMS, *in_code})
        for value in HOSTILE_QUERY:
            send(world, client, "get", url, data=dict.fromkeys(params, value))
        send(world, client, "get", url + "?" + "&".join(f"{p}=%00" for p in params))
        send(world, client, "get", url + "?" + "&".join(f"{p}=1&{p}=2" for p in params))
    assert not world.failures, report(world)


def test_hostile_path_values_on_every_site_page(world):
    """The site's pages with URL keywords: a 4xx page, never a 500."""
    client = client_for(world.owner)
    client.force_login(world.owner)
    for route in site_routes():
        for param in route.params:
            for segment in HOSTILE_SEGMENTS:
                values = {p: quote(world.real(route, p), safe="") for p in route.params}
                values[param] = segment
                response = client.get(route.url(**values))
                if response.status_code >= 500:
                    world.failures.append(f"GET {route.url(**values)[:160]} -> {response.status_code}")
    assert not world.failures, report(world)


SITE_HOSTILE_QUERY = ["0", "-1", str(10**20), "abc", "[", "%00", "x" * 3000]
SITE_QUERY_PARAMS = ["page", "page_size", "q", "skill", "level", "status", "next", "sort", "tab", "before"]
DESTRUCTIVE = ("delete", "leave", "transfer", "remove", "logout", "skip")


def site_pages(world: World) -> list[str]:
    """Every site page (its URL keywords filled with real values), except destructive ones."""
    pages = []
    for regex, _callback, name in _walk(get_resolver().url_patterns):
        if regex.startswith(("api/", "admin/", "static/", "media/", "accounts/")) or any(
            word in regex for word in DESTRUCTIVE
        ):
            continue
        template, params = normalize(regex)[0]
        route = Route("/" + template, sorted(params), ["get"], name)
        pages.append(route.url(**{p: quote(world.real(route, p), safe="") for p in route.params}))
    return pages


@pytest.mark.django_db(transaction=True)  # chat pages answer in another thread
def test_hostile_query_strings_and_forms_on_every_site_page(world):
    """Every page with hostile query strings, then every page posted to with hostile
    values in every form field seen on the site (so POST-only views get them too): a
    page with errors or a 4xx, never a 500."""
    client = client_for(None)
    client.force_login(world.owner)
    in_code = params_read_in_code()
    steps = [reverse("profiles:setup-step", kwargs={"step": step}) for step in WIZARD_STEPS]
    pages, fields = site_pages(world) + steps, set()
    for url in pages:
        for value in SITE_HOSTILE_QUERY:
            names = sorted({*SITE_QUERY_PARAMS, *in_code})
            query = "&".join(f"{param}={quote(value, safe='%')}" for param in names)
            response = client.get(f"{url}?{query}")
            if response.status_code >= 500:
                world.failures.append(f"GET {url}?{query[:80]} -> {response.status_code}")
        page = client.get(url)
        fields |= set(re.findall(r'name="([\w\-]+)"', page.content.decode(errors="replace")))
    fields -= {"csrfmiddlewaretoken"}
    assert {"title", "content", "github"} <= fields, sorted(fields)
    for url in pages:
        for value in ["\x00", "[", "http://[", str(10**20), "-1", "x" * 20_000, "2026-13-45", "25:99"]:
            for cache in caches.all():
                cache.clear()
            response = client.post(url, dict.fromkeys(fields, value))
            if response.status_code >= 500:
                world.failures.append(f"POST {url} (every field) = {value[:20]!r} -> {response.status_code}")
    assert not world.failures, report(world)


def test_options_and_head_on_every_route(world):
    """DRF answers OPTIONS with metadata built from the view's serializer, and HEAD with
    the GET view: both run code no other request runs."""
    for client in (client_for(world.owner), client_for(None)):
        for route in api_routes():
            url = route.url(**{p: quote(world.real(route, p), safe="") for p in route.params})
            send(world, client, "options", url)
            if "get" in route.methods:
                send(world, client, "head", url)
    assert not world.failures, report(world)
