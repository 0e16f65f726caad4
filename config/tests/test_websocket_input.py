"""No 500 and no crashed consumer from what a socket client sends (issue 9), through the
real ASGI application (``config.asgi``): routing, authentication and the chat socket."""

import json
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils.regex_helper import normalize
from rest_framework_simplejwt.tokens import AccessToken

from chat.tests.helpers import application, connect, make_conversation, make_user
from config.websocket import CLOSE_NO_ROUTE

# Transactional tests are slow to set up: each test below walks its whole list of cases.
needs_db = pytest.mark.django_db(transaction=True)
NOT_IDS = ["abc", "-1", 10**20, 2**63, 1.5, True, None, [1]]


@database_sync_to_async
def token_naming(user, user_id) -> str:
    token = AccessToken.for_user(user)
    token["user_id"] = user_id
    return str(token)


async def close_code(communicator: WebsocketCommunicator) -> int | None:
    output = await communicator.receive_output(timeout=3)
    while output["type"] == "websocket.accept":
        output = await communicator.receive_output(timeout=3)
    assert output["type"] == "websocket.close", output
    return output.get("code")


async def test_a_socket_on_a_path_without_a_route_is_closed_with_4404():
    for path in ["/ws/nope/", "/ws/chat/", "/ws/chat/1/extra/", "/", "/api/v1/skills/"]:
        communicator = WebsocketCommunicator(application(), path)
        await communicator.send_input({"type": "websocket.connect"})
        assert await close_code(communicator) == CLOSE_NO_ROUTE, path
        await communicator.disconnect()


@needs_db
async def test_unknown_paths_are_refused_with_4404_whatever_the_credentials():
    user = await make_user()
    token = await token_naming(user, str(user.pk))
    communicator = WebsocketCommunicator(
        application(), "/ws/nope/", headers=[(b"authorization", f"Bearer {token}".encode())]
    )
    await communicator.send_input({"type": "websocket.connect"})
    assert await close_code(communicator) == CLOSE_NO_ROUTE
    await communicator.disconnect()


@needs_db
async def test_a_signed_token_whose_user_id_is_not_an_id_is_closed_4401():
    conversation = await make_conversation()
    for user_id in NOT_IDS:
        token = await token_naming(conversation.owner, user_id)
        communicator = WebsocketCommunicator(
            application(),
            f"/ws/chat/{conversation.pk}/",
            headers=[(b"authorization", f"Bearer {token}".encode())],
        )
        await communicator.send_input({"type": "websocket.connect"})
        assert await close_code(communicator) == 4401, user_id
        await communicator.disconnect()

        # The same token in the first frame, for clients that cannot set headers.
        communicator = WebsocketCommunicator(application(), f"/ws/chat/{conversation.pk}/")
        connected, _ = await communicator.connect(timeout=3)
        assert connected  # accepted only to read the auth frame
        await communicator.send_json_to({"type": "auth", "token": token})
        assert await close_code(communicator) == 4401, user_id
        await communicator.disconnect()


GARBAGE = [
    {"bytes_data": b"\x00\x01binary"},
    {"text_data": "not json"},
    {"text_data": "[" * 50_000 + "]" * 50_000},
    {"text_data": json.dumps({"type": "ping", "x": json.loads("[" * 40 + "]" * 40)})},
    {"text_data": "[1, 2]"},
    {"text_data": '"ping"'},
    {"text_data": "null"},
    {"text_data": json.dumps({"type": "message.send", "content": "hi\x00there"})},
    {"text_data": json.dumps({"type": "message.send", "content": ["not", "text"]})},
    {"text_data": json.dumps({"type": "message.regenerate", "message_id": 10**20})},
    {"text_data": json.dumps({"type": "message.regenerate", "message_id": 2**63})},
    {"text_data": json.dumps({"type": "message.regenerate", "message_id": "abc"})},
    {"text_data": json.dumps({"type": "message.regenerate", "message_id": [1]})},
    {"text_data": json.dumps({"type": ["message.send"]})},
    {"text_data": json.dumps({"type": "no.such.frame"})},
]


@needs_db
async def test_garbage_frames_on_the_chat_socket_get_an_error_frame_and_the_socket_lives():
    conversation = await make_conversation()
    ws, connected = await connect(conversation.owner, conversation.pk)
    assert connected
    for frame in GARBAGE:
        await ws.send_to(**frame)
        reply = await ws.receive_json_from(timeout=5)
        assert reply["type"] == "error", frame
        assert reply["code"] and reply["detail"]
        await ws.send_json_to({"type": "ping"})
        assert await ws.receive_json_from(timeout=5) == {"type": "pong"}, frame
    await ws.disconnect()


# -- every socket route, walked from the apps' routing modules -------------------------------


@database_sync_to_async
def socket_world() -> tuple[Any, dict[str, str]]:
    """A user who owns one object of every kind a socket route names."""
    from agents.tests.factories import AgentRunFactory
    from chat.tests.factories import ConversationFactory
    from projects.tests.factories import ProjectFactory

    conversation: Any = ConversationFactory()
    owner = conversation.owner
    project: Any = ProjectFactory(owner=owner)
    run: Any = AgentRunFactory(project=project, owner=owner)
    values = {
        "conversation_id": str(conversation.pk),
        "run_id": str(run.pk),
        "slug": project.slug,
        "thread_id": "1",
        "pk": "1",
        "id": "1",
    }
    return owner, values


def socket_routes() -> list[tuple[str, list[str]]]:
    from config.asgi import websocket_urlpatterns

    routes = []
    for pattern in websocket_urlpatterns:
        template, params = normalize(pattern.pattern.regex.pattern.lstrip("^").rstrip("$"))[0]
        routes.append(("/" + template, list(params)))
    return routes


async def frames_until_type(ws: WebsocketCommunicator, kind: str) -> dict:
    """Skip the frames a socket pushes on its own (a run's state) up to one of ``kind``."""
    for _ in range(20):
        frame = await ws.receive_json_from(timeout=5)
        if frame["type"] == kind:
            return frame
    raise AssertionError(f"no {kind} frame")


@needs_db
async def test_every_socket_route_survives_hostile_ids_and_garbage_frames():
    owner, values = await socket_world()
    token = await token_naming(owner, str(owner.pk))
    headers = [(b"authorization", f"Bearer {token}".encode())]
    routes = socket_routes()
    assert {"/ws/chat/%(conversation_id)s/", "/ws/agent-runs/%(run_id)s/"} <= {t for t, _ in routes}
    for template, params in routes:
        for param in params:
            for hostile in [str(10**20), str(2**63), "0", "-1", "abc", "x" * 300, "%5B"]:
                path = template % {**values, param: hostile}
                communicator = WebsocketCommunicator(application(), path, headers=headers)
                await communicator.send_input({"type": "websocket.connect"})
                assert await close_code(communicator) in (4403, 4404), path
                await communicator.disconnect()

        path = template % values
        ws = WebsocketCommunicator(application(), path, headers=headers)
        connected, _ = await ws.connect(timeout=5)
        assert connected, path
        for frame in GARBAGE[:8]:
            await ws.send_to(**frame)
            error = await frames_until_type(ws, "error")
            assert error["code"] and error["detail"], (path, frame)
            await ws.send_json_to({"type": "ping"})
            await frames_until_type(ws, "pong")
        await ws.disconnect()
