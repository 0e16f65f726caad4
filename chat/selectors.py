"""Reads: conversations and messages, always scoped to their owner."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone

from chat.models import Conversation, Message
from config.errors import NotFound


def conversations_for(user, *, archived: bool | None = False, q: str = "") -> QuerySet[Conversation]:
    """The user's conversations, pinned first then most recent, with agent and project joined.

    ``archived``: False (the default) hides archived ones, True lists only them, None both.
    ``q`` matches titles and the text of any message.
    """
    queryset = Conversation.objects.filter(owner=user).select_related("agent", "project")
    if archived is not None:
        queryset = queryset.filter(archived=archived)
    q = q.strip()
    if q:
        in_messages = Message.objects.filter(conversation__owner=user, content__icontains=q)
        queryset = queryset.filter(Q(title__icontains=q) | Q(pk__in=in_messages.values("conversation_id")))
    return queryset.order_by("-pinned", "-last_message_at", "-id")


def conversation_for(*, user, conversation_id) -> Conversation:
    """One conversation of ``user``, or ``NotFound`` (for strangers too: never a hint it exists)."""
    try:
        pk = int(conversation_id)
    except (TypeError, ValueError):
        raise NotFound("Conversation not found.") from None
    conversation = Conversation.objects.filter(owner=user, pk=pk).select_related("agent", "project").first()
    if conversation is None:
        raise NotFound("Conversation not found.")
    return conversation


def active_branch_ids(conversation: Conversation) -> list[int]:
    """Ids of the messages the conversation shows, oldest first: from the first message down
    to ``active_leaf``, following parents. One query whatever the number of branches."""
    if conversation.active_leaf_id is None:
        return []
    parents = dict(Message.objects.filter(conversation=conversation).values_list("id", "parent_id"))
    path: list[int] = []
    current: int | None = conversation.active_leaf_id
    while current is not None and current in parents and len(path) <= len(parents):
        path.append(current)
        current = parents[current]
    path.reverse()
    return path


def branch_leaf_id(conversation: Conversation, message_id: int) -> int:
    """The last message of the branch through ``message_id``: from it, the newest answer or
    question each time, down to a message nothing follows. One query."""
    rows = Message.objects.filter(conversation=conversation).values_list("id", "parent_id")
    newest_child: dict[int, int] = {}
    for pk, parent_id in rows.order_by("created_at", "id"):
        if parent_id is not None:
            newest_child[parent_id] = pk  # ordered oldest first: the last one wins
    current, seen = message_id, set()
    while current in newest_child and current not in seen:
        seen.add(current)
        current = newest_child[current]
    return current


def active_branch(conversation: Conversation) -> QuerySet[Message]:
    """The messages of the active branch (oldest first)."""
    return Message.objects.filter(pk__in=active_branch_ids(conversation)).order_by("created_at", "id")


def sibling_counts(messages: list[Message]) -> dict[int, list[int]]:
    """For each message, the ids of the messages sharing its parent (itself included), oldest
    first: the branches an edit or a regeneration made. One query."""
    if not messages:
        return {}
    conversation_ids = {m.conversation_id for m in messages}
    parent_ids = {m.parent_id for m in messages}
    rows = (
        Message.objects.filter(conversation_id__in=conversation_ids)
        .filter(Q(parent_id__in=[p for p in parent_ids if p is not None]) | Q(parent__isnull=True))
        .order_by("created_at", "id")
        .values_list("id", "parent_id", "role")
    )
    by_parent: dict[tuple[int | None, str], list[int]] = {}
    for pk, parent_id, role in rows:
        by_parent.setdefault((parent_id, role), []).append(pk)
    return {m.pk: by_parent.get((m.parent_id, m.role), [m.pk]) for m in messages}


def open_answer(conversation: Conversation) -> Message | None:
    """The answer being written in this conversation, if any."""
    return (
        Message.objects.filter(conversation=conversation, role=Message.Role.ASSISTANT)
        .filter(status=Message.Status.STREAMING)
        .order_by("-created_at")
        .first()
    )


def day_start(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))


def tokens_used_today(user) -> int:
    """Prompt + completion tokens of the user's answers since midnight (server time zone)."""
    used = Message.objects.filter(
        conversation__owner=user, role=Message.Role.ASSISTANT, created_at__gte=day_start()
    ).aggregate(total=Sum(F("prompt_tokens") + F("completion_tokens")))["total"]
    return int(used or 0)


def seconds_until_tomorrow() -> int:
    now = timezone.now()
    return max(1, int((day_start(now) + timedelta(days=1) - now).total_seconds()))
