"""Room fan-out (`make bench`): N clients of one project room spread over two ASGI server
processes on one Redis (channels-redis pub/sub). Ten of them send messages at a steady
pace; every client receives every message. Reports delivery latency (send → arrival at
each client, p50/p99) and deliveries per second, for N up to 200.

The clients run in this process (one event loop), so at 200 sockets the numbers include
the reading side's own CPU: they are upper bounds for a real fleet of separate clients.
"""

import asyncio
import statistics

import pytest

from chat.tests.factories import room_with_members
from chat.tests.room_cluster import access_token, join, two_servers

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT_STEPS = (20, 50)
SENDERS = 10
MESSAGES_EACH = 10
SEND_INTERVAL = 0.1  # seconds between two messages of one sender: 100 messages/s in the room


def _p(samples: list[float], q: float) -> float:
    samples = sorted(samples)
    return samples[min(len(samples) - 1, max(0, round(q * len(samples)) - 1))]


def test_room_fan_out_over_two_processes(django_db_blocker, redis_server):
    names = [f"member{i:03d}" for i in range(max(CLIENT_STEPS))]
    project, users = room_with_members(*names)
    tokens = {name: access_token(user) for name, user in users.items()}
    rows = []
    with two_servers(django_db_blocker, redis_server.url) as servers:

        async def run(n: int) -> None:
            clients = []
            for batch in range(0, n, 10):  # a burst of hundreds of handshakes is another benchmark
                clients += await asyncio.gather(
                    *(
                        join(servers[i % 2], project.slug, names[i], tokens[names[i]])
                        for i in range(batch, min(n, batch + 10))
                    )
                )
            try:
                for client in clients:
                    assert await client.until(lambda c: (c.online() or []).__len__() >= n, within=60)
                loop = asyncio.get_running_loop()
                sent: dict[str, float] = {}

                async def sender(client):
                    for i in range(MESSAGES_EACH):
                        client_id = f"{client.name}-{i}"
                        sent[client_id] = loop.time()
                        await client.send(
                            {"type": "message.send", "content": f"m {i}", "client_id": client_id}
                        )
                        await asyncio.sleep(SEND_INTERVAL)

                started = loop.time()
                await asyncio.gather(*(sender(client) for client in clients[:SENDERS]))
                total = SENDERS * MESSAGES_EACH
                for client in clients:
                    assert await client.until(lambda c: len(c.of("message.created")) >= total, within=120)
                latencies, last = [], started
                for client in clients:
                    for arrived, frame in client.arrived:
                        if frame["type"] == "message.created" and frame["client_id"] in sent:
                            latencies.append((arrived - sent[frame["client_id"]]) * 1000)
                            last = max(last, arrived)
                    assert len({f["message"]["id"] for f in client.of("message.created")}) == total
                rows.append(
                    (
                        n,
                        len(latencies),
                        statistics.median(latencies),
                        _p(latencies, 0.99),
                        len(latencies) / (last - started),
                    )
                )
            finally:
                await asyncio.gather(*(client.close() for client in clients))

        for n in CLIENT_STEPS:
            asyncio.run(run(n))

    print("\nRoom fan-out over two daphne processes, one Redis (channels-redis pub/sub):")
    print(f"{SENDERS} senders x {MESSAGES_EACH} messages, one every {SEND_INTERVAL * 1000:.0f} ms each")
    print("| clients | deliveries | p50 ms | p99 ms | deliveries/s |")
    print("|---|---|---|---|---|")
    for n, count, p50, p99, rate in rows:
        print(f"| {n} | {count} | {p50:.1f} | {p99:.1f} | {rate:.0f} |")
