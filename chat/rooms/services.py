"""Writes of project rooms: send, edit, delete. Keyword-only, atomic; the API, the socket
and the page call these. Each saves first and broadcasts to the room's sockets after the
transaction commits, so a frame never describes a row a reader cannot load.

Message ids are the room's cursor (``?before=`` / ``?since=``): messages of one room are
inserted one at a time (a transaction-scoped advisory lock on PostgreSQL; SQLite writes
one at a time anyway), so ids are committed in order and a reader that saw id N has
seen every message below it.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from chat import frames
from chat.events import group_broadcast_on_commit
from chat.models import MAX_CONTENT_CHARS, RoomMessage, project_room_group
from chat.rendering import mentioned_names, person_message_html
from chat.rooms.selectors import member_usernames, room_access, room_message_for
from config.errors import Conflict, DomainError, Forbidden
from projects.models import Project
from projects.permissions import Role

# An arbitrary namespace for the rooms' advisory locks (the other key is the project id).
ROOM_LOCK_NAMESPACE = 0x524F4F4D  # "ROOM"


def clean_content(content) -> str:
    """The message text, stripped; refused when empty or too long."""
    if not isinstance(content, str):
        raise DomainError(
            "content must be a string.", type="validation_error", fields={"content": ["Not a string."]}
        )
    content = content.strip()
    if not content:
        raise DomainError("Write a message first.", type="empty_message")
    if len(content) > MAX_CONTENT_CHARS:
        raise DomainError(
            f"Messages are limited to {MAX_CONTENT_CHARS:,} characters.", type="message_too_long"
        )
    return content


def lock_room(project_id: int) -> None:
    """Serialize inserts into one room until the transaction ends (see the module doc)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ROOM_LOCK_NAMESPACE, project_id])


def _render(project: Project, content: str) -> tuple[str, list[str]]:
    """The content's HTML with member mentions linked, and the mentioned members' usernames."""
    members = member_usernames(project)
    mentioned = [members[name] for name in mentioned_names(content) if name in members]
    urls = {name.lower(): reverse("profiles:detail", args=[name]) for name in mentioned}
    return person_message_html(content, mention_urls=urls), mentioned


def _set_mentions(message: RoomMessage, usernames: list[str]) -> None:
    from django.contrib.auth import get_user_model

    message.mentions.set(get_user_model().objects.filter(username__in=usernames))


def room_message_send(*, user, project: Project, content, client_id: str = "") -> RoomMessage:
    """Post ``content`` (Markdown) to the project's room as ``user``, a member.

    Saved, then ``message.created`` (with the sender's ``client_id``) goes to every socket
    of the room once the transaction commits."""
    room_access(user=user, project=project)
    content = clean_content(content)
    with transaction.atomic():
        lock_room(project.pk)
        html, mentioned = _render(project, content)
        message = RoomMessage.objects.create(project=project, author=user, content=content, content_html=html)
        if mentioned:
            _set_mentions(message, mentioned)
        message = room_message_for(project=project, message_id=message.pk)
        group_broadcast_on_commit(
            project_room_group(project.pk),
            frames.person_message_created(message, client_id=client_id or None),
        )
    return message


def room_message_edit(*, user, project: Project, message_id, content) -> RoomMessage:
    """Replace the text of one of ``user``'s own messages (``message.updated`` to the room)."""
    room_access(user=user, project=project)
    content = clean_content(content)
    with transaction.atomic():
        message = room_message_for(project=project, message_id=message_id)
        message = RoomMessage.objects.select_for_update().get(pk=message.pk)
        if message.author_id != user.pk or message.is_agent:
            raise Forbidden("Only the author can edit a message.", type="not_author")
        if message.is_deleted:
            raise Conflict("This message was deleted.", type="message_deleted")
        message.content = content
        message.content_html, mentioned = _render(project, content)
        message.edited_at = timezone.now()
        message.save(update_fields=["content", "content_html", "edited_at"])
        _set_mentions(message, mentioned)
        message = room_message_for(project=project, message_id=message.pk)
        group_broadcast_on_commit(project_room_group(project.pk), frames.person_message_updated(message))
    return message


def room_message_delete(*, user, project: Project, message_id) -> RoomMessage:
    """Delete a message (its author, or a maintainer or the owner of the project): the row
    stays without content, and ``message.deleted`` goes to the room."""
    access = room_access(user=user, project=project)
    with transaction.atomic():
        message = room_message_for(project=project, message_id=message_id)
        message = RoomMessage.objects.select_for_update().get(pk=message.pk)
        own = message.author_id == user.pk and not message.is_agent
        if not own and access.role < Role.MAINTAINER:
            raise Forbidden("Only the author or a maintainer can delete a message.", type="not_author")
        if message.is_deleted:
            return room_message_for(project=project, message_id=message.pk)
        if message.status == RoomMessage.Status.STREAMING:
            raise Conflict("This answer is still being written.", type="answer_in_progress")
        message.content = message.content_html = ""
        message.deleted_at = timezone.now()
        message.deleted_by = user
        message.save(update_fields=["content", "content_html", "deleted_at", "deleted_by"])
        message.mentions.clear()
        message = room_message_for(project=project, message_id=message.pk)
        group_broadcast_on_commit(project_room_group(project.pk), frames.person_message_deleted(message))
    return message
