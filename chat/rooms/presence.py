"""Who is online in a project room, right across processes and after a process dies.

Each open socket has an entry ``<username>|<channel name>`` that expires
``ROOM_PRESENCE_TTL_SECONDS`` after it was last renewed; its consumer renews it every
``ROOM_PRESENCE_HEARTBEAT_SECONDS`` and removes it on disconnect. A process that dies
stops renewing, and the next renewal by any other socket of the room removes its entries
and tells the room. The online users are the distinct usernames of live entries.

With REDIS_URL set the entries live in Redis (a sorted set per room, scored by expiry, on
Redis's own clock), changed by one Lua script so that each change gets the next
``version`` atomically: the ``presence`` frames built from two concurrent changes may
reach a socket out of order, and the socket keeps only the newest version. Without Redis
(``make run``: one process, the in-memory channel layer) they live in this process.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from dataclasses import dataclass

from django.conf import settings

VERSION_KEY_SECONDS = 86_400  # kept well beyond any socket's life, so versions only grow

_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local changed = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if ARGV[1] == 'leave' then
  changed = changed + redis.call('ZREM', KEYS[1], ARGV[2])
else
  changed = changed + redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
end
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[3])) + 1)
local version
if changed > 0 then
  version = redis.call('INCR', KEYS[2])
else
  version = tonumber(redis.call('GET', KEYS[2]) or '0')
end
redis.call('EXPIRE', KEYS[2], ARGV[4])
return {changed, version, redis.call('ZRANGE', KEYS[1], 0, -1)}
"""


@dataclass(frozen=True)
class Snapshot:
    changed: bool  # whether this call changed the room's entries (the room should be told)
    version: int
    usernames: list[str]


def _usernames(entries) -> list[str]:
    names = {(e.decode() if isinstance(e, bytes) else e).split("|", 1)[0] for e in entries}
    return sorted(names, key=str.lower)


class RedisPresence:
    def __init__(self, url: str):
        from redis import asyncio as aioredis

        self.client = aioredis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        self.script = self.client.register_script(_SCRIPT)

    async def _call(self, op: str, room_id: int, entry: str) -> Snapshot:
        keys = [f"devcrew:room:{room_id}:presence", f"devcrew:room:{room_id}:presence-version"]
        ttl = settings.ROOM_PRESENCE_TTL_SECONDS
        changed, version, entries = await self.script(keys=keys, args=[op, entry, ttl, VERSION_KEY_SECONDS])
        return Snapshot(changed=bool(changed), version=int(version), usernames=_usernames(entries))

    async def update(self, op: str, room_id: int, entry: str) -> Snapshot:
        return await self._call(op, room_id, entry)


class LocalPresence:
    def __init__(self):
        self.rooms: dict[int, dict[str, float]] = {}
        self.versions: dict[int, int] = {}

    async def update(self, op: str, room_id: int, entry: str) -> Snapshot:
        now = time.monotonic()
        entries = self.rooms.setdefault(room_id, {})
        expired = [key for key, expires in entries.items() if expires <= now]
        for key in expired:
            del entries[key]
        changed = bool(expired)
        if op == "leave":
            changed = entries.pop(entry, None) is not None or changed
        else:
            changed = entry not in entries or changed
            entries[entry] = now + settings.ROOM_PRESENCE_TTL_SECONDS
        if changed:
            self.versions[room_id] = self.versions.get(room_id, 0) + 1
        if not entries:
            self.rooms.pop(room_id, None)
        return Snapshot(changed=changed, version=self.versions.get(room_id, 0), usernames=_usernames(entries))


_local = LocalPresence()
_redis: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, tuple[str, RedisPresence]] = (
    weakref.WeakKeyDictionary()
)


def _store() -> RedisPresence | LocalPresence:
    url = settings.REDIS_URL
    if not url:
        return _local
    loop = asyncio.get_running_loop()  # a Redis client belongs to one event loop
    known = _redis.get(loop)
    if known is None or known[0] != url:
        known = _redis[loop] = (url, RedisPresence(url))
    return known[1]


def presence_entry(username: str, channel_name: str) -> str:
    return f"{username}|{channel_name}"


async def presence_join(room_id: int, entry: str) -> Snapshot:
    return await _store().update("join", room_id, entry)


async def presence_renew(room_id: int, entry: str) -> Snapshot:
    """Renew the entry (re-adding it if it expired) and drop expired ones; ``changed`` says
    whether the room should be told."""
    return await _store().update("renew", room_id, entry)


async def presence_leave(room_id: int, entry: str) -> Snapshot:
    return await _store().update("leave", room_id, entry)
