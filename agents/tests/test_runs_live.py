"""A run end to end across processes, as under ``make run`` and in production.

A real Celery worker (in a thread of the test process, consuming the configured broker)
executes the run; the socket is held by the live ASGI server, another process. With the
embedded defaults (in-memory channel layer) the worker's frames cannot reach that
process, so progress must arrive by the consumer re-reading the row; with Redis it must
arrive pushed through the layer (the server's re-read is then set far beyond the run's
length, so only a push can deliver the intermediate steps).
"""

import json

import pytest
from django.conf import settings
from django.db import transaction
from rest_framework_simplejwt.tokens import AccessToken
from websockets.sync.client import connect

from accounts.tests.factories import UserFactory
from agents.models import AgentRun
from agents.runs.kinds import STEPS
from agents.runs.services import agent_run_start
from config.pytest_plugin import live_server_running
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

IN_MEMORY_LAYER = settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"


@pytest.fixture
def celery_worker():
    """A real worker (solo pool) in a thread, consuming the broker the app is configured with."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


@pytest.fixture
def runs_live_server(django_db_blocker, _live_mail_dir):
    """Forked after the worker started: the worker's start closes the test process's
    SQLite connections, which must not happen under a server forked while they were open."""
    poll = 0.2 if IN_MEMORY_LAYER else 120.0
    with live_server_running(django_db_blocker, AGENT_RUN_SOCKET_POLL_SECONDS=poll) as server:
        yield server


def test_progress_from_a_worker_process_reaches_a_socket_in_the_web_process(
    celery_worker, runs_live_server, monkeypatch, settings
):
    settings.AGENT_RUN_STEP_DELAY = 0.4

    def steps(context):
        for fraction, text in [(0.25, "Looking"), (0.5, "Comparing"), (0.75, "Explaining")]:
            context.step(text, fraction)
        return {"candidates": [{"username": "ada"}]}

    monkeypatch.setitem(STEPS, AgentRun.Kind.SKILL_MATCH, steps)
    project = ProjectFactory()
    token = str(AccessToken.for_user(project.owner))
    with transaction.atomic():
        run = agent_run_start(owner=project.owner, project=project, kind="skill_match")

    frames = []
    with connect(
        f"{runs_live_server.ws_url}/ws/agent-runs/{run.pk}/",
        additional_headers={"Authorization": f"Bearer {token}"},
    ) as ws:
        while not frames or frames[-1]["type"] != "run.completed":
            frames.append(json.loads(ws.recv(timeout=15)))

    progress = [f["progress"] for f in frames if f["type"] == "run.progress" and f["status"] == "running"]
    assert len(set(progress)) >= 2, frames  # the bar moved while the run ran, before it ended
    assert progress == sorted(progress)
    completed = frames[-1]["run"]
    assert completed["status"] == "succeeded" and completed["progress"] == 100
    assert completed["result"] == {"candidates": [{"username": "ada"}]}


def test_a_stranger_socket_on_the_live_server_is_closed_4403(runs_live_server):
    from websockets.exceptions import ConnectionClosed

    project = ProjectFactory()
    with transaction.atomic():
        run = AgentRun.objects.create(owner=project.owner, project=project, kind="skill_match")
    token = str(AccessToken.for_user(UserFactory()))
    with (
        connect(
            f"{runs_live_server.ws_url}/ws/agent-runs/{run.pk}/",
            additional_headers={"Authorization": f"Bearer {token}"},
        ) as ws,
        pytest.raises(ConnectionClosed) as closed,
    ):
        ws.recv(timeout=5)
    assert closed.value.rcvd.code == 4403
