"""Schemathesis fuzzes the whole API, in process, from the document at /api/schema/.

Two users, Alice and Bob, each own private things (a private project with a milestone,
a task, an invitation and a share link, a conversation with messages, a custom agent, a
private profile) whose text carries a secret marker. Every generated request goes out as
one of them (chosen from the request's content, so a failing example replays as the same
user), and path parameters are drawn from both users' real objects as well as from the
generator, so each operation is tried on one's own objects and on the other's.

A request fails the test when the server answers 5xx, a status or body the document does
not describe (schemathesis' checks), or when a user reaches the other's object: a body
that carries the other user's secret while that object is not visible to the caller, or
a write through the other's object that does not answer 4xx.

Bounded for ``make test``: ``settings.API_FUZZ_MAX_EXAMPLES`` examples per operation and
``settings.API_FUZZ_STATEFUL_SCENARIOS`` stateful scenarios (environment variables of
the same names); derandomized, so a run is reproducible. Raise them locally to dig deeper.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import strategies as st
from hypothesis.stateful import initialize
from rest_framework_simplejwt.tokens import AccessToken

from accounts.tests.factories import UserFactory
from agents.tests.factories import AgentFactory
from chat.tests.factories import ConversationFactory, MessageFactory
from profiles.tests.factories import ProfileFactory
from projects.models import Project
from projects.tests.factories import (
    InvitationFactory,
    MilestoneFactory,
    ProjectFactory,
    ShareLinkFactory,
    TaskFactory,
)

MAX_EXAMPLES = settings.API_FUZZ_MAX_EXAMPLES
STATEFUL_SCENARIOS = settings.API_FUZZ_STATEFUL_SCENARIOS

CONFIG = schemathesis.Config.from_dict(
    {
        # Credentials come from the auth provider below (Alice or Bob), never the generator.
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "with-security-parameters": False},
        "checks": {
            # Random ids name nothing (404) and random text seldom passes every rule; the
            # positive check would fail on those by design.
            "positive_data_acceptance": {"enabled": False},
        },
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=CONFIG)

HYPOTHESIS_SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
)


@dataclass
class Owner:
    """A fuzzing user and the private objects whose text carries ``secret``."""

    name: str
    user: Any = None
    token: str = ""
    secret: str = ""
    project: Any = None
    path_values: dict[str, list] = field(default_factory=dict)


class World:
    """The two users of the current test; the hooks below read it while generating."""

    owners: tuple[Owner, ...] = ()
    scenario_user: Owner | None = None  # a stateful scenario runs as one user throughout

    @classmethod
    def values_for(cls, resource: str) -> list:
        return [value for owner in cls.owners for value in owner.path_values.get(resource, [])]


def _seed(name: str) -> Owner:
    owner = Owner(name=name, secret=f"secret-of-{name}-7f3a")
    # factory_boy's calls return model instances, which its stubs do not say.
    user: Any
    project: Any
    milestone: Any
    task: Any
    invitation: Any
    share_link: Any
    agent: Any
    conversation: Any
    message: Any
    user = UserFactory(username=f"{name}-fuzz", email=f"{name}@example.com")
    ProfileFactory(user=user, bio=f"Private bio {owner.secret}", visibility="private")
    project = ProjectFactory(
        owner=user,
        name=f"Project {owner.secret}",
        slug=f"{name}-private",
        visibility=Project.Visibility.PRIVATE,
    )
    milestone = MilestoneFactory(project=project, title=f"Milestone {owner.secret}")
    task = TaskFactory(project=project, milestone=milestone, title=f"Task {owner.secret}")
    invitee = UserFactory(username=f"{name}-invitee")
    invitation = InvitationFactory(project=project, user=invitee, message=f"Join {owner.secret}")
    share_link = ShareLinkFactory(project=project)
    agent = AgentFactory(owner=user, name=f"Agent {name}", description=f"Agent {owner.secret}")
    conversation = ConversationFactory(owner=user, title=f"Chat {owner.secret}")
    message = MessageFactory(conversation=conversation, content=f"Question {owner.secret}")
    owner.user = user
    owner.token = str(AccessToken.for_user(user))
    owner.project = project
    owner.path_values = {
        "projects": [project.slug],
        "milestones": [milestone.id],
        "tasks": [task.id],
        "invitations": [invitation.id],
        "share-links": [share_link.id],
        "members": [user.username],
        "profiles": [user.username],
        "agents": [agent.id],
        "conversations": [conversation.id],
        "messages": [message.id],
    }
    return owner


@pytest.fixture
def world():
    World.owners = (_seed("alice"), _seed("bob"))
    try:
        yield World
    finally:
        World.owners = ()


@pytest.fixture
def in_test_transaction():
    """The WSGI handler closes the connection after each request, and with it the test's
    transaction; Django's own test client keeps the connection open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _resource_of(path: str, parameter: str) -> str:
    """``/api/v1/projects/{slug}/tasks/{id}/``, ``id`` -> ``tasks``; ``slug`` -> ``projects``."""
    segments = path.strip("/").split("/")
    index = segments.index(f"{{{parameter}}}")
    return segments[index - 1]


def _aim_at_real_objects(case) -> None:
    """Often name a real object of Alice or Bob in the path instead of a generated value
    (never in a negative case: its invalid values are the point). The pick depends only
    on the case, so a failing example replays the same way."""
    if not case.path_parameters or case.meta is None or case.meta.generation.mode.is_negative:
        return
    path_parameters = dict(case.path_parameters)
    for name, generated in path_parameters.items():
        # Path parameters are strings in the document (``^[0-9]+$`` for ids).
        choices = [generated, *map(str, World.values_for(_resource_of(case.operation.path, name)))]
        path_parameters[name] = choices[zlib.crc32(repr((case.method, generated)).encode()) % len(choices)]
    case.path_parameters = path_parameters


def _caller(case) -> Owner:
    fingerprint = repr((case.method, case.path_parameters, case.query, case.body)).encode()
    return World.owners[zlib.crc32(fingerprint) % len(World.owners)]


@schema.auth(refresh_interval=None, retry_on=[])
class AsAliceOrBob:
    """Each request as Alice or Bob (see ``_caller``), with a real access token."""

    def get(self, case, context):
        if not World.owners:
            return None
        return (World.scenario_user or _caller(case)).token

    def set(self, case, data, context):
        if data is None:  # collecting, before the users exist
            return
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def _visible_to(viewer: Owner, owner: Owner) -> bool:
    """Whether ``owner``'s private project (and what hangs off it) is now visible to
    ``viewer``: the fuzzer may legitimately have opened it (made it public, invited...)."""
    from projects.selectors import projects_visible_to

    return projects_visible_to(viewer.user).filter(pk=owner.project.pk).exists()


def _sender(response) -> Owner | None:
    """Who the request went out as (the auth provider picks before the test runs)."""
    sent = response.request.headers.get("Authorization", "")
    return next((owner for owner in World.owners if sent == f"Bearer {owner.token}"), None)


def _check_no_cross_user_access(case, response) -> None:
    caller = _sender(response)
    for other in World.owners:
        if other is caller:
            continue
        if other.secret in response.text and (caller is None or not _visible_to(caller, other)):
            who = caller.name if caller else "an anonymous caller"
            raise AssertionError(
                f"{who} read {other.name}'s private data: {case.method} {case.formatted_path}"
                f" -> {response.status_code}\n{response.text[:2000]}"
            )


# Usernames name people, not private objects: a profile may have been made public since.
NOT_PRIVATE = {"profiles", "members"}


def _owners_named(case) -> set[str]:
    """Whose seeded private objects the request's path names."""
    named = set()
    for name, value in (case.path_parameters or {}).items():
        resource = _resource_of(case.operation.path, name)
        if resource in NOT_PRIVATE:
            continue
        for owner in World.owners:
            if str(value) in map(str, owner.path_values.get(resource, [])):
                named.add(owner.name)
    return named


def _check_no_write_through_anothers_object(case, response, named: set[str]) -> None:
    caller = _sender(response)
    if case.method in ("GET", "HEAD", "OPTIONS") or response.status_code >= 400:
        return
    for other in World.owners:
        if other is caller or other.name not in named:
            continue
        if caller is None or not _visible_to(caller, other):
            who = caller.name if caller else "an anonymous caller"
            raise AssertionError(
                f"{who} changed {other.name}'s private object: {case.method} {case.formatted_path}"
                f" -> {response.status_code}\n{response.text[:2000]}"
            )


def _fuzz(case) -> None:
    _aim_at_real_objects(case)
    named = _owners_named(case)
    response = case.call_and_validate()
    _check_no_cross_user_access(case, response)
    _check_no_write_through_anothers_object(case, response, named)


# Sending, editing and regenerating chat messages write the answer from the generation's
# own thread: those need committed rows (a transactional test), the rest run faster
# inside the test's transaction.
ANSWERS = r"/messages/"  # (POST)


@pytest.mark.django_db
@schema.exclude(method="POST", path_regex=ANSWERS).parametrize()
@hypothesis.settings(HYPOTHESIS_SETTINGS)
def test_api_conforms_to_its_schema(case, in_test_transaction, world):
    _fuzz(case)


# Under WSGI Django drains the async SSE stream synchronously, and says so; fine here.
@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume asynchronous iterators")
@pytest.mark.django_db(transaction=True)
@schema.include(method="POST", path_regex=ANSWERS).parametrize()
@hypothesis.settings(HYPOTHESIS_SETTINGS)
def test_chat_answers_conform_to_the_schema(case, world):
    _fuzz(case)


class StatefulAPI(schema.exclude(method="POST", path_regex=ANSWERS).as_state_machine()):  # type: ignore[misc]
    """Chains of calls linked by the document (create a project, then read, change and
    delete it; the same for its tasks, invitations...), each scenario as Alice or Bob, so
    that what one step creates the next can find (schemathesis checks that too); the
    other user's seeded objects must stay out of reach all along."""

    @initialize(name=st.sampled_from(["alice", "bob"]))
    def as_one_user(self, name):
        World.scenario_user = next(owner for owner in World.owners if owner.name == name)

    def teardown(self):
        World.scenario_user = None
        super().teardown()

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        super().validate_response(response, case, additional_checks=additional_checks, **kwargs)
        _check_no_cross_user_access(case, response)


@pytest.mark.django_db
def test_api_conforms_to_its_schema_statefully(in_test_transaction, world):
    StatefulAPI.run(
        settings=hypothesis.settings(
            HYPOTHESIS_SETTINGS,
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=8,
        )
    )
