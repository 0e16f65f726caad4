"""Reads of direct threads, scoped to the requesting user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum

from chat.models import DirectMessage, DirectThread, ThreadParticipant, UserBlock
from chat.rooms.selectors import MAX_PAGE_SIZE, PAGE_SIZE, _cursor
from config.errors import DomainError, NotFound


def threads_for(user) -> QuerySet[DirectThread]:
    """The user's threads, most recent first, each annotated with ``unread_count`` (the
    user's) and ``other_username``; threads without messages come last."""
    mine = ThreadParticipant.objects.filter(thread=OuterRef("pk"), user=user)
    other = ThreadParticipant.objects.filter(thread=OuterRef("pk")).exclude(user=user)
    return (
        DirectThread.objects.filter(participants__user=user)
        .annotate(
            unread_count=Subquery(mine.values("unread_count")[:1]),
            other_username=Subquery(other.values("user__username")[:1]),
        )
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")
    )


def thread_for(*, user, thread_id) -> DirectThread:
    """One of the user's threads; ``NotFound`` for anyone else's (or no such thread)."""
    try:
        pk = int(thread_id)
    except (TypeError, ValueError):
        raise NotFound("Thread not found.") from None
    thread = threads_for(user).select_related("user_low", "user_high").filter(pk=pk).first()
    if thread is None:
        raise NotFound("Thread not found.")
    return thread


def thread_between(user, other) -> DirectThread | None:
    low, high = sorted([user.pk, other.pk])
    return DirectThread.objects.filter(user_low_id=low, user_high_id=high).first()


def thread_messages(*, thread: DirectThread, before=None, since=None, limit: int = PAGE_SIZE):
    """A page of the thread's history, oldest first, and whether there is more (the same
    cursors as a room's: ``before`` / ``since`` a message id)."""
    before, since = _cursor(before, "before"), _cursor(since, "since")
    if before is not None and since is not None:
        raise DomainError(
            "Give either before or since, not both.",
            type="validation_error",
            fields={"since": ["Give either before or since, not both."]},
        )
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    queryset = DirectMessage.objects.filter(thread=thread).select_related("author")
    if since is not None:
        page = list(queryset.filter(id__gt=since).order_by("id")[: limit + 1])
        return page[:limit], len(page) > limit
    if before is not None:
        queryset = queryset.filter(id__lt=before)
    page = list(queryset.order_by("-id")[: limit + 1])
    return list(reversed(page[:limit])), len(page) > limit


def direct_message_for(*, thread: DirectThread, message_id) -> DirectMessage:
    try:
        pk = int(message_id)
    except (TypeError, ValueError):
        raise NotFound("Message not found.") from None
    message = DirectMessage.objects.filter(thread=thread, pk=pk).select_related("author").first()
    if message is None:
        raise NotFound("Message not found.")
    return message


def unread_direct_count(user) -> int:
    """Unread direct messages over all the user's threads (the header badge)."""
    total = ThreadParticipant.objects.filter(user=user).aggregate(total=Sum("unread_count"))["total"]
    return total or 0


def blocked_between(user_a, user_b) -> bool:
    """Whether either of the two blocked the other."""
    return UserBlock.objects.filter(
        Q(blocker=user_a, blocked=user_b) | Q(blocker=user_b, blocked=user_a)
    ).exists()


def has_blocked(blocker, blocked) -> bool:
    return UserBlock.objects.filter(blocker=blocker, blocked=blocked).exists()


def users_blocked_by(user) -> QuerySet:
    return get_user_model().objects.filter(blocks_received__blocker=user).order_by("username")
