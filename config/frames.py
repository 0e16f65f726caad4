"""Every frame DevCrew sends to a WebSocket or an SSE stream, built in one place.

DESIGN.md's protocol, server → client. Each builder returns a plain JSON object with its
``type``; payloads (a message, a run, a task) are already-serialized dicts, built by the
app that owns the row (``chat.frames`` for every kind of message, ``agents.runs.events``
for runs). Nothing else in the code base writes ``{"type": ...}`` for these frames, so a
field renamed here is renamed for the web page, the native client and the SSE stream alike.

Client → server frames are parsed by the consumers: ``message.send {content, client_id}``,
``message.edit {message_id, content}``, ``message.delete {message_id}``,
``message.regenerate {message_id}``, ``generation.stop``, ``typing``, ``ping``,
and ``auth {token}`` (first frame, ``accounts.websocket``).
"""

from __future__ import annotations

from typing import Any

Frame = dict[str, Any]

# -- errors and liveness ---------------------------------------------------------------
BAD_FRAME = "bad_frame"
UNKNOWN_TYPE = "unknown_type"
RESYNC = "resync"


def error(code: str, detail: str, **extra: Any) -> Frame:
    """``error {code, detail}``; ``extra`` adds context (``client_id``, ``message_id``…)."""
    return {"type": "error", "code": code, "detail": detail, **extra}


def unknown_type(kind: Any) -> Frame:
    return error(UNKNOWN_TYPE, f"Unknown frame type {kind!r}.")


def resync() -> Frame:
    """Live updates were lost (the channel layer failed): reconnect and read the history."""
    return error(RESYNC, "Live updates were interrupted. Reconnecting; the history is read again.")


def pong() -> Frame:
    return {"type": "pong"}


# -- messages (conversations, project rooms, direct threads) ---------------------------
def message_created(message: Frame, *, client_id: str | None = None) -> Frame:
    """A saved message; ``client_id`` echoes the sender's own id for its optimistic copy."""
    return {"type": "message.created", "message": message, "client_id": client_id or None}


def message_updated(message: Frame) -> Frame:
    """A message was edited (its new content and ``edited_at``)."""
    return {"type": "message.updated", "message": message}


def message_deleted(message: Frame) -> Frame:
    """A message was deleted (soft: the payload says ``deleted`` and has no content)."""
    return {"type": "message.deleted", "message": message}


def assistant_delta(*, message_id: int, delta: str) -> Frame:
    return {"type": "assistant.delta", "message_id": message_id, "delta": delta}


def assistant_completed(message: Frame) -> Frame:
    return {"type": "assistant.completed", "message": message}


def answer_failed(
    *, code: str, detail: str, message_id: int, message: Frame | None, retry_after: int | None = None
) -> Frame:
    """The ``error`` frame of an answer that ended badly (``message``: its saved payload)."""
    frame = error(code, detail, message_id=message_id, message=message)
    if retry_after:
        frame["retry_after"] = retry_after
    return frame


# -- people ------------------------------------------------------------------------------
def typing(user: Frame | str) -> Frame:
    """Someone is typing (sent to the others only)."""
    return {"type": "typing", "user": user}


def presence(users: list[Frame]) -> Frame:
    """Who is online now, the whole list (a client replaces what it had)."""
    return {"type": "presence", "users": users}


# -- agent runs --------------------------------------------------------------------------
def run_progress(*, run_id: int, status: str, progress: int, step: str) -> Frame:
    return {"type": "run.progress", "run_id": run_id, "status": status, "progress": progress, "step": step}


def run_completed(run: Frame) -> Frame:
    return {"type": "run.completed", "run": run}


def run_started(run: Frame) -> Frame:
    """A run started on a project (the project's socket)."""
    return {"type": "run.started", "run": run}


# -- the project board (the project's socket) ------------------------------------------
def task_created(task: Frame) -> Frame:
    return {"type": "task.created", "task": task}


def task_updated(task: Frame) -> Frame:
    return {"type": "task.updated", "task": task}


def task_deleted(task_id: int) -> Frame:
    return {"type": "task.deleted", "task_id": task_id}


def milestone_created(milestone: Frame) -> Frame:
    return {"type": "milestone.created", "milestone": milestone}


def milestone_updated(milestone: Frame) -> Frame:
    return {"type": "milestone.updated", "milestone": milestone}


def milestone_deleted(milestone_id: int) -> Frame:
    return {"type": "milestone.deleted", "milestone_id": milestone_id}


# -- a user's notifications (``/ws/notifications/``) -----------------------------------
def notification_created(notification: Frame, *, unread_count: int) -> Frame:
    """A new notification for the user, with their unread count now (the header badge)."""
    return {"type": "notification.created", "notification": notification, "unread_count": unread_count}


def notifications_unread(unread_count: int) -> Frame:
    """The user's unread count: the socket's first frame, and after notifications are read."""
    return {"type": "notifications.unread", "unread_count": unread_count}
