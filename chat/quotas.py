"""Per-user limits checked before any call to the model: a message rate and a daily token quota.

Both answer ``RateLimited`` (429 with ``Retry-After``) in plain words. The rate counter
lives in the cache (Redis in production, so every process shares it); the quota is read
from the messages themselves, so it is exact across processes and restarts.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache

from chat.selectors import seconds_until_tomorrow, tokens_used_today
from config.errors import RateLimited

RATE_WINDOW_SECONDS = 60


def _rate_key(user_id: int, window: int) -> str:
    return f"chat:rate:{user_id}:{window}"


def message_rate_check(*, user) -> None:
    """Count one message for ``user``; ``RateLimited`` past the limit for the last minute.

    A sliding window estimated from two fixed per-minute counters: the current minute's
    count plus the previous minute's, weighted by how much of it still lies within the last
    60 seconds. So a burst cannot straddle a clock-minute boundary to send twice the limit.
    """
    limit = settings.CHAT_MESSAGES_PER_MINUTE
    if limit <= 0:
        return
    now = time.time()
    window = int(now // RATE_WINDOW_SECONDS)
    key = _rate_key(user.pk, window)
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS * 2)
        count = 1
    previous = cache.get(_rate_key(user.pk, window - 1)) or 0
    elapsed = now - window * RATE_WINDOW_SECONDS
    carried = previous * (1 - elapsed / RATE_WINDOW_SECONDS)
    if count + carried > limit:
        if count > limit:
            wait = RATE_WINDOW_SECONDS - elapsed  # this minute's own messages are over the limit
        else:  # until enough of the previous minute has slid out of the window
            wait = RATE_WINDOW_SECONDS * (1 - (limit - count) / previous) - elapsed
        retry_after = max(1, math.ceil(wait))
        raise RateLimited(
            f"You are sending messages too fast (at most {limit} a minute). "
            f"Try again in {retry_after} seconds.",
            type="chat_rate_limited",
            retry_after=retry_after,
        )


def token_quota_check(*, user) -> None:
    """``RateLimited`` when the user has spent the daily token quota."""
    quota = settings.CHAT_DAILY_TOKEN_QUOTA
    if quota <= 0:
        return
    used = tokens_used_today(user)
    if used >= quota:
        retry_after = seconds_until_tomorrow()
        hours = max(1, round(retry_after / 3600))
        raise RateLimited(
            f"You have used today's chat allowance of {quota:,} tokens. "
            f"It renews at midnight (in about {hours} hour{'s' if hours != 1 else ''}).",
            type="chat_quota_exceeded",
            retry_after=retry_after,
        )
