"""Chat's wire frames and message payloads: what sockets and SSE streams receive.

A message goes out as ``message_payload`` (the REST representation, so a client reading
the history and a client listening live see the same object), wrapped in the frames of
``config.frames``. Services, the streaming engine, the API views and the consumers build
frames here and nowhere else.
"""

from __future__ import annotations

from typing import Any

from chat.api.serializers import DirectMessageSerializer, MessageSerializer, RoomMessageSerializer
from chat.models import DirectMessage, Message, RoomMessage
from config import frames
from config.frames import Frame

# Re-exported: the streaming engine's per-token frame carries no payload.
assistant_delta = frames.assistant_delta


def message_payload(message: Message) -> dict[str, Any]:
    """An AI-conversation message as sockets and SSE clients receive it (plain JSON types)."""
    return dict(MessageSerializer(message).data)


def message_created(message: Message, *, client_id: str | None = None) -> Frame:
    return frames.message_created(message_payload(message), client_id=client_id)


def answer_end(message: Message, *, retry_after: int | None = None) -> Frame:
    """The last frame of an answer: ``assistant.completed``, or ``error`` when it failed
    (with the saved answer, so the client shows what was written and why it stopped)."""
    payload = message_payload(message)
    if message.status == Message.Status.FAILED:
        return frames.answer_failed(
            code=message.error_type,
            detail=message.error_detail,
            message_id=message.pk,
            message=payload,
            retry_after=retry_after,
        )
    return frames.assistant_completed(payload)


# -- rooms and direct threads ------------------------------------------------------------
def person_message_payload(message: RoomMessage | DirectMessage) -> dict[str, Any]:
    """A room or direct message as the history and the sockets show it."""
    if isinstance(message, RoomMessage):
        return dict(RoomMessageSerializer(message).data)
    return dict(DirectMessageSerializer(message).data)


def person_message_created(message: RoomMessage | DirectMessage, *, client_id: str | None = None) -> Frame:
    return frames.message_created(person_message_payload(message), client_id=client_id)


def person_message_updated(message: RoomMessage | DirectMessage) -> Frame:
    return frames.message_updated(person_message_payload(message))


def person_message_deleted(message: RoomMessage | DirectMessage) -> Frame:
    return frames.message_deleted(person_message_payload(message))


def user_summary(user) -> dict[str, Any]:
    """A person in ``typing`` and ``presence`` frames."""
    return {"username": user.username}
