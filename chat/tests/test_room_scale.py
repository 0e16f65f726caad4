"""Two ASGI server processes on one real Redis are one room: every client, whichever
process it is connected to, gets every message exactly once, in order per sender, and
presence is right on both, also after one process dies."""

import asyncio

import pytest

from chat.tests.factories import room_with_members
from chat.tests.room_cluster import access_token, join, two_servers

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES_EACH = 8


def test_two_processes_are_one_room(django_db_blocker, redis_server):
    names = ("ana", "ben", "cai", "dee")
    project, users = room_with_members(*names)
    tokens = {name: access_token(user) for name, user in users.items()}

    with two_servers(
        django_db_blocker,
        redis_server.url,
        ROOM_PRESENCE_HEARTBEAT_SECONDS=0.3,
        ROOM_PRESENCE_TTL_SECONDS=1.5,
    ) as (first, second):
        server_of = {"ana": first, "ben": first, "cai": second, "dee": second}

        async def scenario():
            clients = {name: await join(server_of[name], project.slug, name, tokens[name]) for name in names}
            try:
                # Presence: everyone, on both processes.
                for client in clients.values():
                    assert await client.until(lambda c: c.online() == list(names)), (
                        client.name,
                        client.online(),
                    )

                # Typing crosses processes, and goes to the others only.
                await clients["ana"].send({"type": "typing"})
                assert await clients["dee"].until(lambda c: c.of("typing"))
                assert clients["dee"].of("typing")[0]["user"] == {"username": "ana"}

                # Everyone sends at once; everyone receives every message exactly once.
                async def burst(name):
                    for i in range(MESSAGES_EACH):
                        await clients[name].send(
                            {"type": "message.send", "content": f"{name} {i}", "client_id": f"{name}-{i}"}
                        )

                await asyncio.gather(*(burst(name) for name in names))
                total = MESSAGES_EACH * len(names)
                for client in clients.values():
                    assert await client.until(lambda c: len(c.of("message.created")) >= total), client.name
                await asyncio.sleep(0.5)  # a duplicate would arrive now
                for client in clients.values():
                    created = client.of("message.created")
                    ids = [frame["message"]["id"] for frame in created]
                    assert len(ids) == total == len(set(ids)), client.name
                    for sender in names:
                        own = [
                            f["client_id"] for f in created if f["message"]["author"]["username"] == sender
                        ]
                        assert own == [f"{sender}-{i}" for i in range(MESSAGES_EACH)], (client.name, sender)
                    assert not client.of("typing") or client.name != "ana"  # never one's own typing

                # A socket that leaves is gone for both processes at once.
                await clients.pop("dee").close()
                for client in clients.values():
                    assert await client.until(lambda c: c.online() == ["ana", "ben", "cai"]), client.name

                # The second process dies without a goodbye: its sockets expire by heartbeat.
                second.process.kill()
                for name in ("ana", "ben"):
                    assert await clients[name].until(lambda c: c.online() == ["ana", "ben"], within=15), (
                        clients[name].online()
                    )
            finally:
                for client in clients.values():
                    await client.close()

        asyncio.run(scenario())

    from chat.models import RoomMessage

    assert RoomMessage.objects.filter(project=project).count() == MESSAGES_EACH * len(names)
