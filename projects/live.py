"""Live events of projects/: what open pages learn without reloading.

Two kinds of group: a project's (its board, below) and a user's (their notifications,
``/ws/notifications/``, ``projects.consumers.NotificationConsumer``).

Every change to the board is pushed to the project's channel-layer group, which the
project socket ``/ws/projects/<slug>/room/`` joins (members only; its ``project_event``
handler sends ``frame`` as is). Frames (built by ``config.frames``; the payloads here):

* ``task.created {task}`` · ``task.updated {task}`` · ``task.deleted {task_id}``
  (``task``: the API representation, ``projects.api.serializers.TaskSerializer``);
* ``milestone.created {milestone}`` · ``milestone.updated {milestone}`` ·
  ``milestone.deleted {milestone_id}`` (``milestone`` with its task counts);
* ``run.started {run}``, sent by ``agents.runs.events`` (projects/ does not know runs).

Contract for callers: ``broadcast(project, frame)`` is called inside the transaction that
made the change (the services are atomic) and the frame leaves only once it commits, so
a rolled-back write is never announced and a page that refetches on a frame reads the
committed state. Frames carry data only; the board page re-renders from the server
(``projects.views.pages.board_fragment``), so each viewer sees the buttons their role
allows. A socket that missed frames (a reconnect, a layer failure) refetches the board:
frames are a fast path over rows that are the whole truth, never the only record.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from config import frames
from config.layer_watch import report_layer_failure
from projects.models import Milestone, Notification, Project, Task

logger = logging.getLogger(__name__)

# The channel-layer message type the project socket relays (handler ``project_event``).
RELAY = "project.event"
# A layer that hangs (rather than refusing) must not hold up the request that committed.
SEND_TIMEOUT_SECONDS = 3.0


# The channel-layer message type the notification socket relays (handler ``user_event``).
USER_RELAY = "user.event"


def project_group(project_id: int) -> str:
    return f"project-{project_id}"


def user_group(user_id: int) -> str:
    """Every open notification socket of one user (all their tabs and devices)."""
    return f"user-{user_id}"


async def _send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await asyncio.wait_for(layer.group_send(group, message), SEND_TIMEOUT_SECONDS)
    except Exception as error:  # the write committed; a broken layer must not fail it
        logger.warning("Broadcast to %s failed: %s: %s", group, type(error).__name__, error)
        report_layer_failure(f"a broadcast to {group} failed")


def broadcast(project: Project, frame: dict[str, Any]) -> None:
    """Send ``frame`` to the project's sockets once the current transaction commits
    (at once outside a transaction)."""
    message = {"type": RELAY, "frame": frame}
    group = project_group(project.pk)
    transaction.on_commit(lambda: async_to_sync(_send)(group, message))


# -- a user's notifications ----------------------------------------------------------------
def notification_push(notification: Notification) -> None:
    """``notification.created`` to the recipient's sockets once the transaction commits,
    with their unread count as it is then (the header badge)."""
    from projects.api.serializers import NotificationSerializer

    payload = dict(NotificationSerializer(notification).data)
    user_id = notification.recipient_id

    def push() -> None:
        frame = frames.notification_created(payload, unread_count=_unread_count(user_id))
        async_to_sync(_send)(user_group(user_id), {"type": USER_RELAY, "frame": frame})

    transaction.on_commit(push)


def unread_count_push(user_id: int) -> None:
    """``notifications.unread`` to the user's sockets once the transaction commits (after
    notifications were read, so every open tab's badge agrees)."""

    def push() -> None:
        frame = frames.notifications_unread(_unread_count(user_id))
        async_to_sync(_send)(user_group(user_id), {"type": USER_RELAY, "frame": frame})

    transaction.on_commit(push)


def _unread_count(user_id: int) -> int:
    from projects.selectors import notifications_unread_count

    return notifications_unread_count(user_id)


# -- payloads (the frames' shapes are config.frames') -----------------------------------
def task_payload(task: Task) -> dict[str, Any]:
    """The task as the API shows it (``task.created`` / ``task.updated``)."""
    from projects.api.serializers import TaskSerializer
    from projects.selectors import tasks_of

    return dict(TaskSerializer(tasks_of(task.project).get(pk=task.pk)).data)  # relations: one query


def milestone_payload(milestone: Milestone) -> dict[str, Any]:
    """The milestone as the API shows it, with its task counts."""
    from projects.api.serializers import MilestoneSerializer
    from projects.selectors import milestones_of

    return dict(MilestoneSerializer(milestones_of(milestone.project).get(pk=milestone.pk)).data)
