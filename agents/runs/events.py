"""The frames of ``/ws/agent-runs/<id>/`` and how they leave: one module, reused by the
executor, the services and the consumer; the frames' shapes are in ``config.frames``.

* ``run.progress {run_id, status, progress, step}`` while a run is queued or running;
* ``run.completed {run}`` once it succeeded, failed or was cancelled (``run`` is the
  API representation of the run, result included).

A run (re)queued on a project is also announced on the project's socket, to every member
(``projects.live``): ``run.started {run}``, where ``run`` is a summary that any member may
see (id, kind, its label, who started it, status, when, and the run page's URL, which
only its owner and the project's maintainers may open), never its input or result.

Frames go to the run's channel-layer group after the transaction that wrote the row
commits. With the in-memory layer of ``make run`` the Celery worker's frames never reach
the web process; the consumer then reads the row instead (see ``agents.consumers``), so a
broadcast is a fast path, never the only path.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from agents.models import AgentRun, agent_run_group
from config import frames
from projects import live as project_live

logger = logging.getLogger(__name__)

# The channel-layer message type consumers relay to their socket (handler ``run_event``).
RELAY = "run.event"


def run_representation(run: AgentRun) -> dict[str, Any]:
    from agents.api.serializers import AgentRunSerializer

    return dict(AgentRunSerializer(run).data)


def progress_frame(run: AgentRun) -> dict[str, Any]:
    return frames.run_progress(run_id=run.pk, status=run.status, progress=run.progress, step=run.step)


def completed_frame(run: AgentRun) -> dict[str, Any]:
    return frames.run_completed(run_representation(run))


def started_frame(run: AgentRun) -> dict[str, Any]:
    return frames.run_started(
        {
            "id": run.pk,
            "kind": run.kind,
            "kind_label": run.get_kind_display(),
            "owner": run.owner.username,
            "status": run.status,
            "created_at": run.created_at.isoformat(),
            "url": run.get_absolute_url(),
        }
    )


def state_frame(run: AgentRun) -> dict[str, Any]:
    """The frame that tells the run's current state: what a socket receives first."""
    return completed_frame(run) if run.is_finished else progress_frame(run)


def _send(run_id: int, frame: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(agent_run_group(run_id), {"type": RELAY, "frame": frame})
    except Exception:  # a broken layer must not break the run; sockets also poll the row
        logger.exception("Broadcast to agent run %s failed", run_id)


def announce_on_project(run: AgentRun) -> None:
    """Tell the project's members that ``run`` started, once the transaction commits."""
    project_live.broadcast(run.project, started_frame(run))


def broadcast_state_on_commit(run: AgentRun) -> None:
    """Send the run's state (as it is now) to its sockets once the transaction commits."""
    frame = state_frame(run)
    transaction.on_commit(lambda: _send(run.pk, frame))
