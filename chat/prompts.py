"""What is sent to the model for one answer: the agent's system prompt, the active branch
up to the question (trimmed to ``CHAT_HISTORY_TOKEN_BUDGET``), the grounding facts, the
model and the temperature. Sync ORM: call through ``database_sync_to_async``."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from agents.llm import Grounding, trim_history
from agents.llm import Message as LLMMessage
from chat.models import Message

DEFAULT_SYSTEM_PROMPT = (
    "You are DevCrew's assistant for software developers. Answer clearly and briefly, "
    "using Markdown; put code in fenced blocks."
)


@dataclass(frozen=True)
class Prompt:
    messages: list[LLMMessage]
    grounding: Grounding
    model: str | None
    temperature: float | None
    conversation_id: int
    owner_id: int


def _branch_up_to(message: Message) -> list[Message]:
    """The answer's ancestors, oldest first (one query: the conversation's rows)."""
    rows = {m.pk: m for m in Message.objects.filter(conversation_id=message.conversation_id)}
    path: list[Message] = []
    current = rows.get(message.parent_id) if message.parent_id else None
    while current is not None and len(path) <= len(rows):
        path.append(current)
        current = rows.get(current.parent_id) if current.parent_id else None
    path.reverse()
    return path


def prompt_for(*, message_id: int) -> Prompt:
    """The prompt for the answer ``message_id`` (an assistant message being written)."""
    from agents.fact_selectors import grounding_for

    answer = Message.objects.select_related(
        "conversation__owner", "conversation__agent", "conversation__project"
    ).get(pk=message_id)
    conversation = answer.conversation
    agent = conversation.agent
    system_prompt = (agent.system_prompt if agent else "") or DEFAULT_SYSTEM_PROMPT
    history: list[LLMMessage] = [{"role": "system", "content": system_prompt}]
    for m in _branch_up_to(answer):
        if m.role == Message.Role.SYSTEM:
            history.append({"role": "system", "content": m.content})
        elif m.role == Message.Role.USER:
            history.append({"role": "user", "content": m.content})
        elif m.content and m.status != Message.Status.FAILED:
            history.append({"role": "assistant", "content": m.content})
    return Prompt(
        messages=trim_history(history, settings.CHAT_HISTORY_TOKEN_BUDGET),
        grounding=grounding_for(user=conversation.owner, project=conversation.project),
        model=(agent.model if agent else "") or None,
        temperature=agent.temperature if agent else None,
        conversation_id=conversation.pk,
        owner_id=conversation.owner_id,
    )
