"""Everything the chat pushes to sockets goes through here, to a conversation's, a room's
or a direct thread's group.

``broadcast_on_commit`` is for sync code inside a transaction (services): the frame
leaves only once the rows it describes are committed. ``broadcast`` is for async code
(the streaming engine), which writes outside transactions and awaits each save first.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from chat.models import conversation_group
from config.layer_watch import report_layer_failure

logger = logging.getLogger(__name__)

# The channel-layer message type consumers relay to their socket (handler ``chat_event``).
RELAY = "chat.event"
# A layer that hangs (rather than refusing) must not hold up the answer being written.
BROADCAST_TIMEOUT_SECONDS = 3.0


async def group_broadcast(group: str, frame: dict[str, Any]) -> bool:
    """Send ``frame`` to the sockets of ``group`` (a conversation, a room, a thread); False
    when the layer failed.

    A failure never breaks the write that was saved: it is logged, and this process's
    sockets are told to resync (``config.layer_watch``), since they miss this frame."""
    layer = get_channel_layer()
    if layer is None:
        return True
    try:
        await asyncio.wait_for(
            layer.group_send(group, {"type": RELAY, "frame": frame}), BROADCAST_TIMEOUT_SECONDS
        )
    except Exception as error:
        logger.warning("Broadcast to %s failed: %s: %s", group, type(error).__name__, error)
        report_layer_failure(f"a broadcast to {group} failed")
        return False
    return True


def group_broadcast_on_commit(group: str, frame: dict[str, Any]) -> None:
    """Send ``frame`` to the sockets of ``group`` after the current transaction commits."""
    transaction.on_commit(lambda: async_to_sync(group_broadcast)(group, frame))


async def broadcast(conversation_id: int, frame: dict[str, Any]) -> bool:
    """Send ``frame`` to the conversation's sockets; False when the layer failed."""
    return await group_broadcast(conversation_group(conversation_id), frame)


def broadcast_on_commit(conversation_id: int, frame: dict[str, Any]) -> None:
    """Send ``frame`` to the conversation's sockets after the current transaction commits."""
    group_broadcast_on_commit(conversation_group(conversation_id), frame)
