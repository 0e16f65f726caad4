"""The project's live events: what its members' open pages learn without reloading.

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

from config.layer_watch import report_layer_failure
from projects.models import Milestone, Project, Task

logger = logging.getLogger(__name__)

# The channel-layer message type the project socket relays (handler ``project_event``).
RELAY = "project.event"
# A layer that hangs (rather than refusing) must not hold up the request that committed.
SEND_TIMEOUT_SECONDS = 3.0


def project_group(project_id: int) -> str:
    return f"project-{project_id}"


async def _send(project_id: int, frame: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": RELAY, "frame": frame}
    try:
        await asyncio.wait_for(layer.group_send(project_group(project_id), message), SEND_TIMEOUT_SECONDS)
    except Exception as error:  # the write committed; a broken layer must not fail it
        logger.warning("Broadcast to project %s failed: %s: %s", project_id, type(error).__name__, error)
        report_layer_failure(f"a broadcast to {project_group(project_id)} failed")


def broadcast(project: Project, frame: dict[str, Any]) -> None:
    """Send ``frame`` to the project's sockets once the current transaction commits
    (at once outside a transaction)."""
    project_id = project.pk
    transaction.on_commit(lambda: async_to_sync(_send)(project_id, frame))


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
