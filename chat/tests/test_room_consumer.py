"""``/ws/projects/<slug>/room/``: members only, messages to every socket, typing, presence."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from accounts.tests.factories import UserFactory
from chat.models import RoomMessage
from chat.tests.factories import room_with_members
from chat.tests.rooms_helpers import connect_room, next_of, online
from projects.live import project_group

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_room(settings):
    settings.ROOM_PRESENCE_HEARTBEAT_SECONDS = 0.2
    settings.ROOM_PRESENCE_TTL_SECONDS = 1.0
    settings.ROOM_TYPING_THROTTLE_SECONDS = 1.0


@pytest.fixture
def room():
    return room_with_members("olga", "mia", "max", maintainers=("max",))


async def test_a_stranger_is_closed_4403_before_any_data(room):
    project, _ = room
    stranger = await database_sync_to_async(UserFactory)()
    ws, connected = await connect_room(stranger, project.slug)
    assert connected  # accepted only to carry the close code
    assert await ws.receive_output(timeout=2) == {"type": "websocket.close", "code": 4403}
    ws2, _ = await connect_room(stranger, "no-such-project")
    assert await ws2.receive_output(timeout=2) == {"type": "websocket.close", "code": 4403}


async def test_a_message_reaches_every_member_once_with_the_senders_client_id(room):
    project, users = room
    mia, _ = await connect_room(users["mia"], project.slug)
    olga, _ = await connect_room(users["olga"], project.slug)
    await mia.send_json_to({"type": "message.send", "content": "Hello **team**", "client_id": "c-1"})
    for ws in (mia, olga):
        frame = await next_of(ws, "message.created")
        assert frame["client_id"] == "c-1"
        assert frame["message"]["author"] == {"username": "mia"}
        assert "<strong>team</strong>" in frame["message"]["content_html"]
    assert await database_sync_to_async(RoomMessage.objects.filter(project=project).count)() == 1
    await mia.send_json_to({"type": "ping"})
    assert await next_of(mia, "pong") == {"type": "pong"}
    await mia.disconnect()
    await olga.disconnect()


async def test_the_message_is_saved_even_when_the_sender_closes_right_after_sending(room):
    project, users = room
    mia, _ = await connect_room(users["mia"], project.slug)
    await mia.send_json_to({"type": "message.send", "content": "and bye", "client_id": "c-2"})
    await mia.disconnect()
    saved = await database_sync_to_async(
        lambda: list(RoomMessage.objects.filter(project=project).values_list("content", flat=True))
    )()
    assert saved == ["and bye"]


async def test_refused_frames_get_an_error_with_the_client_id(room):
    project, users = room
    mia, _ = await connect_room(users["mia"], project.slug)
    await mia.send_json_to({"type": "message.send", "content": "  ", "client_id": "c-3"})
    error = await next_of(mia, "error")
    assert error["code"] == "empty_message" and error["client_id"] == "c-3"
    await mia.send_json_to({"type": "message.delete", "message_id": "nope"})
    assert (await next_of(mia, "error"))["code"] == "not_found"
    await mia.send_json_to({"type": "dance"})
    assert (await next_of(mia, "error"))["code"] == "unknown_type"
    await mia.disconnect()


async def test_edit_and_delete_reach_the_room_and_follow_the_rules(room):
    project, users = room
    mia, _ = await connect_room(users["mia"], project.slug)
    max_, _ = await connect_room(users["max"], project.slug)
    await mia.send_json_to({"type": "message.send", "content": "helo", "client_id": "c"})
    message_id = (await next_of(max_, "message.created"))["message"]["id"]

    await max_.send_json_to({"type": "message.edit", "message_id": message_id, "content": "hijacked"})
    assert (await next_of(max_, "error"))["code"] == "not_author"
    await mia.send_json_to({"type": "message.edit", "message_id": message_id, "content": "hello"})
    updated = await next_of(max_, "message.updated")
    assert updated["message"]["content"] == "hello" and updated["message"]["edited_at"]

    await max_.send_json_to({"type": "message.delete", "message_id": message_id})  # a maintainer
    deleted = await next_of(mia, "message.deleted")
    assert deleted["message"]["id"] == message_id and deleted["message"]["deleted"] is True
    await mia.disconnect()
    await max_.disconnect()


async def test_typing_goes_to_the_others_only_and_is_throttled(room):
    project, users = room
    mia, _ = await connect_room(users["mia"], project.slug)
    await next_of(mia, "presence")
    olga, _ = await connect_room(users["olga"], project.slug)
    await next_of(olga, "presence")
    await next_of(mia, "presence")
    for _ in range(5):
        await mia.send_json_to({"type": "typing"})
    await mia.send_json_to({"type": "ping"})
    assert await mia.receive_json_from(timeout=5) == {"type": "pong"}  # no typing back to mia
    assert await olga.receive_json_from(timeout=5) == {"type": "typing", "user": {"username": "mia"}}
    assert await olga.receive_nothing(timeout=0.5)  # the other four were throttled
    await mia.disconnect()
    await olga.disconnect()


async def test_presence_on_join_and_leave(room):
    project, users = room
    mia, _ = await connect_room(users["mia"], project.slug)
    assert online(await next_of(mia, "presence")) == ["mia"]
    olga, _ = await connect_room(users["olga"], project.slug)
    assert online(await next_of(olga, "presence")) == ["mia", "olga"]
    assert online(await next_of(mia, "presence")) == ["mia", "olga"]
    await olga.disconnect()
    assert online(await next_of(mia, "presence")) == ["mia"]
    await mia.disconnect()


async def test_a_removed_member_is_closed_at_the_next_heartbeat(room):
    project, users = room
    mia, _ = await connect_room(users["mia"], project.slug)
    await database_sync_to_async(lambda: project.memberships.filter(user=users["mia"]).delete())()
    while True:
        output = await mia.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            assert output["code"] == 4403
            break


async def test_project_events_are_forwarded_as_they_are(room):
    project, users = room
    mia, _ = await connect_room(users["mia"], project.slug)
    await next_of(mia, "presence")
    frame = {"type": "task.updated", "task": {"id": 1, "status": "doing"}}
    await get_channel_layer().group_send(project_group(project.pk), {"type": "project.event", "frame": frame})
    assert await next_of(mia, "task.updated") == frame
    await mia.disconnect()


async def test_presence_of_a_dead_process_expires_at_the_next_renewal_by_anyone(settings):
    """A process that died never says goodbye: its entries expire, and the next heartbeat
    of a live socket removes them and reports a change (Redis when REDIS_URL is set)."""
    from chat.rooms import presence

    room_id = 987_654
    await presence.presence_join(room_id, presence.presence_entry("ghost", "dead.process!1"))
    joined = await presence.presence_join(room_id, presence.presence_entry("mia", "live.process!1"))
    assert joined.usernames == ["ghost", "mia"]
    await asyncio.sleep(0.6)
    kept_alive = await presence.presence_renew(room_id, presence.presence_entry("mia", "live.process!1"))
    assert not kept_alive.changed
    await asyncio.sleep(0.6)  # ghost's entry is 1.2 s old, past the 1 s TTL; mia's was renewed
    renewed = await presence.presence_renew(room_id, presence.presence_entry("mia", "live.process!1"))
    assert renewed.changed and renewed.usernames == ["mia"] and renewed.version > joined.version
    left = await presence.presence_leave(room_id, presence.presence_entry("mia", "live.process!1"))
    assert left.usernames == []
