"""Writes: conversations and messages. Keyword-only, typed, atomic; views, the consumer,
the streaming engine and the pages all call these.

Sending, editing and regenerating create the rows (the user's message and an empty
``streaming`` answer) and broadcast them after commit; the answer itself is written by
``chat.generation``, which the caller starts once these return.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agents.llm import LLMError, Usage
from chat import frames, quotas
from chat.events import broadcast_on_commit
from chat.models import MAX_CONTENT_CHARS, Conversation, Message
from chat.selectors import open_answer
from config.errors import Conflict, DomainError, Forbidden, NotFound
from profiles.markdown import markdown_field_render

if TYPE_CHECKING:
    from projects.models import Project

logger = logging.getLogger(__name__)

__all__ = ["MAX_CONTENT_CHARS"]  # re-exported: the services' input limit

TITLE_MAX_CHARS = 60


@dataclass(frozen=True)
class Exchange:
    """A question and the answer being written to it."""

    user_message: Message
    assistant_message: Message


# -- conversations -----------------------------------------------------------------------
def conversation_create(
    *, user, title: str = "", agent_id: int | str | None = None, project: Project | str | int | None = None
) -> Conversation:
    """A new conversation with ``agent_id`` (default: the built-in assistant, or the project
    assistant when a project is given). ``project`` (a Project, slug or id) must be one of
    the user's projects; an agent that needs one (project assistant) refuses to start without.
    """
    from agents.selectors import agent_for_chat

    if agent_id in (None, ""):
        agent_id = _default_agent_id(with_project=project not in (None, ""))
    agent = agent_for_chat(user=user, agent_id=agent_id, project=project)
    return Conversation.objects.create(
        owner=user, title=title.strip()[:200], agent=agent, project=agent.chat_project
    )


def conversation_start(
    *,
    user,
    content: str,
    agent_id: int | str | None = None,
    project: Project | str | int | None = None,
    client_id: str = "",
) -> Exchange:
    """A new conversation together with its first message (and the empty answer to it),
    titled from that message. One transaction: a message that is refused (empty, too long,
    over a limit) leaves no empty conversation behind."""
    content = _clean_content(content)
    with transaction.atomic():
        conversation = conversation_create(user=user, agent_id=agent_id, project=project)
        return message_send(user=user, conversation=conversation, content=content, client_id=client_id)


def _default_agent_id(*, with_project: bool) -> int | None:
    from agents import builtins
    from agents.models import Agent

    slug = builtins.PROJECT_ASSISTANT if with_project else builtins.ASSISTANT
    agent_id = Agent.objects.filter(slug=slug, is_builtin=True).values_list("pk", flat=True).first()
    if agent_id is None:
        raise NotFound("The built-in assistant is missing; run the migrations.")
    return agent_id


def conversation_update(
    *,
    conversation: Conversation,
    title: str | None = None,
    pinned: bool | None = None,
    archived: bool | None = None,
) -> Conversation:
    fields = []
    if title is not None:
        conversation.title = title.strip()[:200]
        fields.append("title")
    if pinned is not None:
        conversation.pinned = pinned
        fields.append("pinned")
    if archived is not None:
        conversation.archived = archived
        fields.append("archived")
    if fields:
        conversation.save(update_fields=[*fields, "updated_at"])
    return conversation


def conversation_delete(*, conversation: Conversation) -> None:
    """Delete the conversation and its messages. An answer still being written stops
    saving (the streaming engine finds its row gone) and is cut by the caller."""
    conversation.delete()


def ensure_project_access(*, user, conversation: Conversation) -> None:
    """A conversation about a project is usable only while its owner is a member."""
    project = conversation.project  # no query when project_id is None
    if project is None:
        return
    from projects.permissions import Role, access_for

    if access_for(user, project).role < Role.MEMBER:
        raise Forbidden(
            f"You are no longer a member of {project.name}; this conversation is read-only.",
            type="project_access_lost",
        )


def _ensure_agent_usable(*, user, conversation: Conversation) -> None:
    if conversation.agent_id is None:
        return  # the agent was deleted: the default assistant answers
    from agents.selectors import agent_for_chat

    agent_for_chat(user=user, agent_id=conversation.agent_id, project=conversation.project)


# -- messages ----------------------------------------------------------------------------
def message_send(*, user, conversation: Conversation, content: str, client_id: str = "") -> Exchange:
    """Add the user's message to the end of the active branch and an empty answer to it.

    Refused before any model call: 429 past the rate limit or the daily token quota, 409
    while another answer is being written, 403 when the project membership is gone.
    """
    content = _clean_content(content)
    answers_close_orphaned(conversation_id=conversation.pk)
    with transaction.atomic():
        conversation = _lock_for_new_answer(user=user, conversation=conversation)
        parent = conversation.active_leaf
        user_message = Message.objects.create(
            conversation=conversation, parent=parent, role=Message.Role.USER, content=content
        )
        return _start_answer(conversation=conversation, question=user_message, client_id=client_id)


def message_edit(*, user, conversation: Conversation, message_id: int, content: str) -> Exchange:
    """Ask again with ``content`` instead of the user message ``message_id``: a new branch
    beside it (the original and its answers stay, off the active branch)."""
    content = _clean_content(content)
    answers_close_orphaned(conversation_id=conversation.pk)
    with transaction.atomic():
        conversation = _lock_for_new_answer(user=user, conversation=conversation)
        original = _message_of(conversation, message_id)
        if original.role != Message.Role.USER:
            raise Conflict("Only your own messages can be edited.", type="not_editable")
        edited = Message.objects.create(
            conversation=conversation, parent=original.parent, role=Message.Role.USER, content=content
        )
        return _start_answer(conversation=conversation, question=edited)


def message_regenerate(*, user, conversation: Conversation, message_id: int) -> Exchange:
    """A new answer to the same question: ``message_id`` is an answer (regenerated beside it)
    or a question (answered again)."""
    answers_close_orphaned(conversation_id=conversation.pk)
    with transaction.atomic():
        conversation = _lock_for_new_answer(user=user, conversation=conversation)
        message = _message_of(conversation, message_id)
        question = message.parent if message.role == Message.Role.ASSISTANT else message
        if question is None or question.role != Message.Role.USER:
            raise Conflict("This message has no question to answer again.", type="not_regenerable")
        return _start_answer(conversation=conversation, question=question)


def conversation_version_show(*, user, conversation: Conversation, message_id: int) -> Conversation:
    """Show another version of a message (an edited question, a regenerated answer): the
    active branch becomes the one through ``message_id``, down to its newest message.
    Refused (409) while an answer is being written, which would vanish from the page."""
    from chat.selectors import branch_leaf_id

    with transaction.atomic():
        locked = Conversation.objects.select_for_update(of=("self",)).get(pk=conversation.pk, owner=user)
        message = _message_of(locked, message_id)
        if open_answer(locked) is not None:
            raise Conflict(
                "An answer is still being written; stop it or wait for it.", type="answer_in_progress"
            )
        locked.active_leaf_id = branch_leaf_id(locked, message.pk)
        locked.save(update_fields=["active_leaf", "updated_at"])
    return locked


def _clean_content(content: str) -> str:
    content = (content or "").strip()
    if not content:
        raise DomainError("Write a message first.", type="empty_message")
    if len(content) > MAX_CONTENT_CHARS:
        raise DomainError(
            f"Messages are limited to {MAX_CONTENT_CHARS:,} characters.", type="message_too_long"
        )
    return content


def _message_of(conversation: Conversation, message_id) -> Message:
    try:
        pk = int(message_id)
    except (TypeError, ValueError):
        raise NotFound("Message not found.") from None
    message = Message.objects.filter(conversation=conversation, pk=pk).first()
    if message is None:
        raise NotFound("Message not found.")
    return message


def _lock_for_new_answer(*, user, conversation: Conversation) -> Conversation:
    """Lock the conversation row and check every rule a new answer must pass. Call inside
    a transaction. Limits are checked last, so a refused request does not use them up."""
    locked = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("project", "agent", "active_leaf")
        .get(pk=conversation.pk, owner=user)
    )
    ensure_project_access(user=user, conversation=locked)
    _ensure_agent_usable(user=user, conversation=locked)
    if open_answer(locked) is not None:
        raise Conflict("An answer is still being written; stop it or wait for it.", type="answer_in_progress")
    quotas.token_quota_check(user=user)
    quotas.message_rate_check(user=user)
    return locked


def _start_answer(*, conversation: Conversation, question: Message, client_id: str = "") -> Exchange:
    from agents.llm import get_provider

    provider = get_provider()
    model = (conversation.agent.model if conversation.agent else "") or provider.model
    answer = Message.objects.create(
        conversation=conversation,
        parent=question,
        role=Message.Role.ASSISTANT,
        status=Message.Status.STREAMING,
        provider=provider.name,
        model=model,
        heartbeat_at=timezone.now(),
    )
    now = timezone.now()
    conversation.active_leaf = answer
    conversation.last_message_at = now
    fields = ["active_leaf", "last_message_at", "updated_at"]
    if not conversation.title:
        conversation.title = title_from(question.content)
        fields.append("title")
    conversation.save(update_fields=fields)
    broadcast_on_commit(conversation.pk, frames.message_created(question, client_id=client_id))
    broadcast_on_commit(conversation.pk, frames.message_created(answer))
    return Exchange(user_message=question, assistant_message=answer)


def title_from(text: str) -> str:
    """A short title from the first question: its first line, without Markdown, cut at a word."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    line = re.sub(r"[`*_#>\[\]]+", "", line).strip() or "New conversation"
    if len(line) <= TITLE_MAX_CHARS:
        return line
    cut = line[:TITLE_MAX_CHARS].rsplit(" ", 1)[0] or line[:TITLE_MAX_CHARS]
    return cut.rstrip(",.;:") + "…"


# -- the streaming engine's writes ------------------------------------------------------
def message_progress_save(*, message_id: int, content: str) -> bool:
    """Save the partial text of an answer being written (a few times a second at most).

    Also a heartbeat. False when the answer is no longer open (closed as orphaned, or
    deleted): its writer should give up."""
    now = timezone.now()
    return bool(
        Message.objects.filter(pk=message_id, status=Message.Status.STREAMING).update(
            content=content,
            content_html=markdown_field_render(Message, "content_html", content),
            heartbeat_at=now,
            updated_at=now,
        )
    )


def message_heartbeat(*, message_id: int) -> bool:
    """Stamp the open answer ``message_id`` as alive (its writer runs in this process).

    False when it is no longer open: closed by someone else (the orphan sweep, after a
    stall longer than ``CHAT_ORPHAN_AFTER_SECONDS``) or deleted; its writer should give up."""
    return bool(
        Message.objects.filter(pk=message_id, status=Message.Status.STREAMING).update(
            heartbeat_at=timezone.now()
        )
    )


INTERRUPTED = "answer_interrupted"
INTERRUPTED_DETAIL = "The server stopped while this answer was being written. Regenerate it to try again."


def _orphaned() -> Q:
    """Open answers with no heartbeat for ``CHAT_ORPHAN_AFTER_SECONDS``: their writer is gone.
    (Answers from before heartbeats existed count their last save instead.)"""
    cutoff = timezone.now() - timedelta(seconds=settings.CHAT_ORPHAN_AFTER_SECONDS)
    return Q(status=Message.Status.STREAMING) & (
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff)
    )


def answers_close_orphaned(*, conversation_id: int | None = None) -> list[int]:
    """Close as failed (``answer_interrupted``) every answer still ``streaming`` whose
    writer stopped beating (its process was killed or crashed), in one conversation or
    everywhere (the beat task), and tell the conversations' sockets. Returns the closed ids.

    It commits on its own: call it outside any transaction that a later refusal (a 409,
    a 429) could roll back, so a dead answer never comes back to life.
    """
    stale = Message.objects.filter(_orphaned())
    if conversation_id is not None:
        stale = stale.filter(conversation_id=conversation_id)
    closed = []
    for message_id in stale.values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            message = Message.objects.select_for_update().filter(_orphaned(), pk=message_id).first()
            if message is None:  # its writer beat meanwhile, or someone else closed it
                continue
            message.status = Message.Status.FAILED
            message.error_type = INTERRUPTED
            message.error_detail = INTERRUPTED_DETAIL
            message.save(update_fields=["status", "error_type", "error_detail", "updated_at"])
            broadcast_on_commit(message.conversation_id, frames.answer_end(message))
        closed.append(message_id)
    if closed:
        logger.warning("Closed %d orphaned answer(s): %s", len(closed), closed)
    return closed


def message_finish(
    *,
    message_id: int,
    content: str,
    status: str,
    provider: str = "",
    model: str = "",
    usage: Usage | None = None,
    first_token_ms: int | None = None,
    total_ms: int | None = None,
    error: LLMError | None = None,
) -> Message | None:
    """Close an answer as complete, stopped or failed, with its text and numbers.

    Returns None when the conversation was deleted meanwhile; an answer already closed
    (as orphaned, after its writer stalled) is returned as it is, never reopened.
    """
    message = Message.objects.filter(pk=message_id).first()
    if message is None or message.status != Message.Status.STREAMING:
        return message
    message.content = content
    message.status = status
    if provider:
        message.provider = provider
    if model:
        message.model = model
    if usage is not None:
        message.prompt_tokens = usage.prompt_tokens
        message.completion_tokens = usage.completion_tokens
    message.first_token_ms = first_token_ms
    message.total_ms = total_ms
    if error is not None:
        message.error_type = error.type[:50]
        message.error_detail = str(error.detail)[:500]
    message.save(
        update_fields=[
            "content",
            "content_html",
            "status",
            "provider",
            "model",
            "prompt_tokens",
            "completion_tokens",
            "first_token_ms",
            "total_ms",
            "error_type",
            "error_detail",
            "updated_at",
        ]
    )
    return message
