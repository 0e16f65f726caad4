"""/ws/notifications/: a user's own notifications, live, with the unread count."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken

from accounts.tests.factories import UserFactory
from projects.models import Notification, Project
from projects.services.invitations import invitation_create
from projects.services.join_requests import join_request_create
from projects.services.notifications import notification_open, notifications_mark_read
from projects.tests.conftest import team_make
from projects.tests.listeners import fresh_channel_layer  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


async def connect(user) -> WebsocketCommunicator:
    from config.asgi import application

    headers = []
    if user is not None:
        token = await database_sync_to_async(lambda: str(AccessToken.for_user(user)))()
        headers = [(b"authorization", f"Bearer {token}".encode())]
    ws = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connected, _ = await ws.connect(timeout=5)
    assert connected
    return ws


@database_sync_to_async
def _team(visibility: str = Project.Visibility.PUBLIC):
    return team_make(visibility)


async def test_the_first_frame_is_the_unread_count():
    user = await database_sync_to_async(UserFactory)()
    for _ in range(2):
        await database_sync_to_async(Notification.objects.create)(
            recipient=user, kind="task_assigned", text="x", url="/"
        )
    ws = await connect(user)
    assert await ws.receive_json_from(timeout=5) == {"type": "notifications.unread", "unread_count": 2}
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from(timeout=5) == {"type": "pong"}
    await ws.disconnect()


async def test_an_invitation_reaches_the_invitees_open_socket_at_once():
    team = await _team()
    ws = await connect(team.stranger)
    assert (await ws.receive_json_from(timeout=5))["unread_count"] == 0
    await database_sync_to_async(invitation_create)(
        actor=team.owner, project=team.project, username=team.stranger.username
    )
    frame = await ws.receive_json_from(timeout=5)
    assert frame["type"] == "notification.created" and frame["unread_count"] == 1
    assert frame["notification"]["kind"] == "invitation_received"
    assert team.project.name in frame["notification"]["text"]
    assert frame["notification"]["url"] and frame["notification"]["read_at"] is None
    await ws.disconnect()


async def test_a_join_request_reaches_the_maintainers_not_the_member():
    team = await _team()
    owner_ws, member_ws = await connect(team.owner), await connect(team.member)
    await owner_ws.receive_json_from(timeout=5)
    await member_ws.receive_json_from(timeout=5)
    await database_sync_to_async(join_request_create)(user=team.stranger, project=team.project)
    frame = await owner_ws.receive_json_from(timeout=5)
    assert (frame["type"], frame["notification"]["kind"]) == ("notification.created", "join_request_received")
    assert await member_ws.receive_nothing(timeout=0.5)
    await owner_ws.disconnect()
    await member_ws.disconnect()


async def test_reading_elsewhere_updates_the_count_on_every_open_tab():
    user = await database_sync_to_async(UserFactory)()
    first, _second = [
        await database_sync_to_async(Notification.objects.create)(
            recipient=user, kind="task_assigned", text="x", url="/"
        )
        for _ in range(2)
    ]
    tabs = [await connect(user), await connect(user)]
    for tab in tabs:
        assert (await tab.receive_json_from(timeout=5))["unread_count"] == 2
    await database_sync_to_async(notification_open)(user=user, notification_id=first.pk)
    for tab in tabs:
        assert await tab.receive_json_from(timeout=5) == {"type": "notifications.unread", "unread_count": 1}
    await database_sync_to_async(notifications_mark_read)(user=user)
    for tab in tabs:
        assert await tab.receive_json_from(timeout=5) == {"type": "notifications.unread", "unread_count": 0}
        await tab.disconnect()


async def test_without_credentials_the_socket_is_closed_4401_before_any_data():
    ws = await connect(None)
    # accounts.websocket waits for a first ``auth`` frame; a wrong one ends it.
    await ws.send_json_to({"type": "auth", "token": "not-a-token"})
    output = await ws.receive_output(timeout=5)
    assert output == {"type": "websocket.close", "code": 4401}
    await ws.disconnect()
