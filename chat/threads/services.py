"""Writes of direct threads: open, send, edit, delete, read, block. Keyword-only, atomic;
the API, the socket and the pages call these. Messages are saved first and broadcast to
the thread's sockets after the transaction commits."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from chat import frames
from chat.events import group_broadcast_on_commit
from chat.models import DirectMessage, DirectThread, ThreadParticipant, UserBlock, direct_thread_group
from chat.rendering import person_message_html
from chat.rooms.services import clean_content
from chat.threads.selectors import blocked_between, direct_message_for, thread_between
from config.errors import Conflict, DomainError, Forbidden


def _refuse_if_blocked(user, other) -> None:
    if blocked_between(user, other):
        raise Forbidden("You cannot message this person.", type="blocked")


def direct_thread_open(*, user, other) -> DirectThread:
    """The thread between ``user`` and ``other``, created on first use. A new thread is
    refused while either has blocked the other; an existing one is returned (its history
    stays readable)."""
    if other is None or not other.is_active:
        raise DomainError("There is no such user.", type="not_found")
    if other.pk == user.pk:
        raise DomainError("You cannot message yourself.", type="self_message")
    thread = thread_between(user, other)
    if thread is not None:
        return thread
    _refuse_if_blocked(user, other)
    low, high = sorted([user.pk, other.pk])
    try:
        with transaction.atomic():
            thread = DirectThread.objects.create(user_low_id=low, user_high_id=high)
            ThreadParticipant.objects.bulk_create(
                [
                    ThreadParticipant(thread=thread, user_id=low),
                    ThreadParticipant(thread=thread, user_id=high),
                ]
            )
    except IntegrityError:  # the other person opened it at the same moment
        thread = thread_between(user, other)
        assert thread is not None
    return thread


def _other_user(thread: DirectThread, user):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=thread.other_user_id(user.pk))


def _ensure_participant(thread: DirectThread, user) -> None:
    from config.errors import NotFound

    if user.pk not in (thread.user_low_id, thread.user_high_id):
        raise NotFound("Thread not found.")


def direct_message_send(*, user, thread: DirectThread, content, client_id: str = "") -> DirectMessage:
    """Send ``content`` (Markdown) in ``thread``: saved, the other person's unread count goes
    up, the sender's read state moves to it, and ``message.created`` (with ``client_id``)
    goes to the thread's sockets after commit. Refused (403 ``blocked``) while a block stands."""
    _ensure_participant(thread, user)
    content = clean_content(content)
    other = _other_user(thread, user)
    _refuse_if_blocked(user, other)
    now = timezone.now()
    with transaction.atomic():
        message = DirectMessage.objects.create(
            thread=thread,
            author=user,
            content=content,
            content_html=person_message_html(content),
            created_at=now,
        )
        DirectThread.objects.filter(pk=thread.pk).update(last_message_at=now)
        ThreadParticipant.objects.filter(thread=thread, user=other).update(unread_count=F("unread_count") + 1)
        ThreadParticipant.objects.filter(thread=thread, user=user).update(
            last_read_message_id=message.pk, last_read_at=now, unread_count=0
        )
        thread.last_message_at = now
        message.author = user
        group_broadcast_on_commit(
            direct_thread_group(thread.pk),
            frames.person_message_created(message, client_id=client_id or None),
        )
    return message


def direct_message_edit(*, user, thread: DirectThread, message_id, content) -> DirectMessage:
    _ensure_participant(thread, user)
    content = clean_content(content)
    with transaction.atomic():
        message = direct_message_for(thread=thread, message_id=message_id)
        if message.author_id != user.pk:
            raise Forbidden("Only the author can edit a message.", type="not_author")
        if message.is_deleted:
            raise Conflict("This message was deleted.", type="message_deleted")
        message.content = content
        message.content_html = person_message_html(content)
        message.edited_at = timezone.now()
        message.save(update_fields=["content", "content_html", "edited_at"])
        group_broadcast_on_commit(direct_thread_group(thread.pk), frames.person_message_updated(message))
    return message


def direct_message_delete(*, user, thread: DirectThread, message_id) -> DirectMessage:
    """Delete one of ``user``'s own messages (the row stays without content)."""
    _ensure_participant(thread, user)
    with transaction.atomic():
        message = direct_message_for(thread=thread, message_id=message_id)
        if message.author_id != user.pk:
            raise Forbidden("Only the author can delete a message.", type="not_author")
        if not message.is_deleted:
            message.content = message.content_html = ""
            message.deleted_at = timezone.now()
            message.save(update_fields=["content", "content_html", "deleted_at"])
            group_broadcast_on_commit(direct_thread_group(thread.pk), frames.person_message_deleted(message))
    return message


def direct_thread_mark_read(
    *, user, thread: DirectThread, up_to_message_id: int | None = None
) -> ThreadParticipant:
    """Mark the thread read for ``user`` (up to ``up_to_message_id``, default: everything);
    the unread count is recounted from the messages after that point."""
    _ensure_participant(thread, user)
    with transaction.atomic():
        participant = ThreadParticipant.objects.select_for_update().get(thread=thread, user=user)
        newest = (
            DirectMessage.objects.filter(thread=thread).order_by("-id").values_list("pk", flat=True).first()
        )
        up_to = newest if up_to_message_id is None else min(int(up_to_message_id), newest or 0)
        if up_to is None:
            return participant
        if participant.last_read_message_id is not None and up_to < participant.last_read_message_id:
            up_to = participant.last_read_message_id
        participant.last_read_message_id = up_to
        participant.last_read_at = timezone.now()
        participant.unread_count = (
            DirectMessage.objects.filter(thread=thread, pk__gt=up_to, deleted_at__isnull=True)
            .exclude(author=user)
            .count()
        )
        participant.save(update_fields=["last_read_message_id", "last_read_at", "unread_count"])
    return participant


def user_block(*, blocker, blocked) -> UserBlock:
    """``blocker`` blocks ``blocked``: no new direct messages either way, no notifications
    from them. Blocking twice is the same as once."""
    if blocked is None or blocked.pk == blocker.pk:
        raise DomainError("You cannot block yourself.", type="self_block")
    block, _ = UserBlock.objects.get_or_create(blocker=blocker, blocked=blocked)
    return block


def user_unblock(*, blocker, blocked) -> None:
    UserBlock.objects.filter(blocker=blocker, blocked=blocked).delete()
