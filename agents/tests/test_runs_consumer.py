"""/ws/agent-runs/<id>/: who may watch, the first frame, pushed and polled progress."""

import asyncio
from typing import Any, cast

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken

from accounts.tests.factories import UserFactory
from agents.models import AgentRun
from agents.runs import execution
from agents.runs.kinds import STEPS
from agents.tests.factories import AgentRunFactory
from projects.models import Membership, Project
from projects.tests.factories import MembershipFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """channels-redis binds to the event loop; every async test gets its own layer."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


async def connect(user, run_id) -> tuple[WebsocketCommunicator, bool, Any]:
    from config.asgi import application

    headers = []
    if user is not None:
        token = await database_sync_to_async(lambda: str(AccessToken.for_user(user)))()
        headers = [(b"authorization", f"Bearer {token}".encode())]
    ws = WebsocketCommunicator(application, f"/ws/agent-runs/{run_id}/", headers=headers)
    connected, code = await ws.connect(timeout=5)
    return ws, connected, code


async def frames_until_completed(ws, within: float = 10.0) -> list[dict]:
    frames: list[dict] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not frames or frames[-1]["type"] != "run.completed":
        frames.append(await ws.receive_json_from(timeout=max(0.01, deadline - loop.time())))
    return frames


async def closed_with(ws) -> int:
    output = await ws.receive_output(timeout=5)
    assert output["type"] == "websocket.close", f"data was sent before the close: {output}"
    return output["code"]


@database_sync_to_async
def run_factory(**kwargs) -> AgentRun:
    run = cast(AgentRun, AgentRunFactory(**kwargs))
    return run


async def test_a_stranger_is_closed_4403_before_any_data():
    run = await run_factory(
        project=await database_sync_to_async(ProjectFactory)(visibility=Project.Visibility.PRIVATE)
    )
    ws, connected, _ = await connect(await database_sync_to_async(UserFactory)(), run.pk)
    assert connected  # accepted only to carry the close code
    assert await closed_with(ws) == 4403
    await ws.disconnect()


async def test_a_plain_member_of_a_public_project_is_closed_4403():
    run = await run_factory()
    member = await database_sync_to_async(lambda: MembershipFactory(project=run.project).user)()
    ws, _, _ = await connect(member, run.pk)
    assert await closed_with(ws) == 4403
    await ws.disconnect()


async def test_an_unknown_run_and_an_anonymous_socket_are_refused():
    owner = await database_sync_to_async(UserFactory)()
    ws, _, _ = await connect(owner, 987654)
    assert await closed_with(ws) == 4403
    await ws.disconnect()
    run = await run_factory()
    ws, _, _ = await connect(None, run.pk)
    await ws.send_json_to({"type": "ping"})  # not an auth frame
    assert await closed_with(ws) == 4401
    await ws.disconnect()


async def test_a_socket_opened_after_the_run_ended_first_receives_run_completed():
    run = await run_factory(
        status="succeeded", progress=100, step="Done", result={"candidates": [{"username": "ada"}]}
    )
    ws, connected, _ = await connect(run.owner, run.pk)
    assert connected
    frame = await ws.receive_json_from(timeout=5)
    assert frame["type"] == "run.completed"
    assert frame["run"]["id"] == run.pk and frame["run"]["status"] == "succeeded"
    assert frame["run"]["result"] == {"candidates": [{"username": "ada"}]}
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from(timeout=5) == {"type": "pong"}
    await ws.disconnect()


async def test_progress_is_pushed_to_the_owner_and_a_maintainer_then_completed(monkeypatch, settings):
    settings.AGENT_RUN_SOCKET_POLL_SECONDS = 60  # only the channel layer can deliver in time

    def steps(context):
        for fraction, text in [(0.2, "Looking"), (0.5, "Comparing"), (0.8, "Explaining")]:
            context.step(text, fraction)
        return {"candidates": []}

    monkeypatch.setitem(STEPS, AgentRun.Kind.SKILL_MATCH, steps)
    run = await run_factory()
    maintainer = await database_sync_to_async(
        lambda: MembershipFactory(project=run.project, role=Membership.Role.MAINTAINER).user
    )()
    owner_ws, _, _ = await connect(run.owner, run.pk)
    maintainer_ws, _, _ = await connect(maintainer, run.pk)
    first = await owner_ws.receive_json_from(timeout=5)
    assert first == {"type": "run.progress", "run_id": run.pk, "status": "queued", "progress": 0,
                     "step": "Waiting for a worker"}  # fmt: skip
    assert (await maintainer_ws.receive_json_from(timeout=5))["status"] == "queued"

    await database_sync_to_async(execution.run_execute)(run.pk)

    for ws in (owner_ws, maintainer_ws):
        frames = await frames_until_completed(ws)
        progress = [(f["status"], f["progress"], f["step"]) for f in frames if f["type"] == "run.progress"]
        assert progress == [("running", 0, "Starting"), ("running", 20, "Looking"),
                            ("running", 50, "Comparing"), ("running", 80, "Explaining")]  # fmt: skip
        assert frames[-1]["run"]["status"] == "succeeded" and frames[-1]["run"]["progress"] == 100
        await ws.disconnect()


async def test_progress_written_by_another_process_reaches_the_socket_by_polling(settings):
    """A worker process whose frames the (in-memory) layer cannot carry: only the row changes."""
    settings.AGENT_RUN_SOCKET_POLL_SECONDS = 0.05
    run = await run_factory()
    ws, _, _ = await connect(run.owner, run.pk)
    assert (await ws.receive_json_from(timeout=5))["status"] == "queued"

    update = database_sync_to_async(lambda **fields: AgentRun.objects.filter(pk=run.pk).update(**fields))
    await update(status="running", progress=10, step="Looking")
    assert await ws.receive_json_from(timeout=5) == {
        "type": "run.progress", "run_id": run.pk, "status": "running", "progress": 10, "step": "Looking",
    }  # fmt: skip
    await update(progress=60, step="Explaining")
    assert (await ws.receive_json_from(timeout=5))["progress"] == 60
    await update(
        status="failed", step="Failed", error="The AI service is unavailable.", error_type="llm_unavailable"
    )
    frame = await ws.receive_json_from(timeout=5)
    assert frame["type"] == "run.completed"
    assert frame["run"]["error"] == {"type": "llm_unavailable", "detail": "The AI service is unavailable."}
    await asyncio.sleep(0.2)
    assert await ws.receive_nothing(timeout=0.2)  # nothing repeated, polling stopped
    await ws.disconnect()


@pytest.mark.slow
async def test_a_socket_outlives_a_redis_failure_by_reading_the_row(redis_server, settings):
    """Redis stops under the layer: the run's socket stays open and keeps up from the row."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": redis_server.url, "socket_connect_timeout": 1}],
                "prefix": "runs",
            },
        }
    }
    settings.AGENT_RUN_SOCKET_POLL_SECONDS = 60  # the slow safety net would be too late
    settings.AGENT_RUN_SOCKET_FALLBACK_POLL_SECONDS = 0.1
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    run = await run_factory()
    ws, connected, _ = await connect(run.owner, run.pk)
    assert connected and (await ws.receive_json_from(timeout=5))["status"] == "queued"

    redis_server.stop()
    await asyncio.sleep(2)  # the layer watch probes every second
    await database_sync_to_async(
        lambda: AgentRun.objects.filter(pk=run.pk).update(status="running", progress=40, step="Comparing")
    )()
    frame = await ws.receive_json_from(timeout=5)
    assert (frame["type"], frame["progress"], frame["step"]) == ("run.progress", 40, "Comparing")
    await ws.disconnect()
