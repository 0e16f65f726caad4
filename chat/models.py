"""Chat: conversations with an AI agent, and their messages.

Messages form a tree: each message points at its ``parent`` (the message it follows).
Editing a question or regenerating an answer adds a sibling branch instead of rewriting
history; ``Conversation.active_leaf`` is the last message of the branch the conversation
shows (``chat.selectors.active_branch``). Rules live in ``chat.services``; the streaming
engine in ``chat.generation``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The longest message a person may send (conversations, rooms, direct threads).
MAX_CONTENT_CHARS = 20_000


class Conversation(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations"
    )
    title = models.CharField(max_length=200, blank=True)
    agent = models.ForeignKey(
        "agents.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="conversations"
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        help_text="The project the assistant is grounded in; membership is checked at every use.",
    )
    pinned = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)
    active_leaf = models.ForeignKey(
        "chat.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The last message of the branch the conversation shows.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the last message was sent (creation time until then): the list's "most recent" order.
    last_message_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pinned", "-last_message_at", "-id"]
        indexes = [models.Index(fields=["owner", "archived", "-pinned", "-last_message_at"])]

    def __str__(self) -> str:
        return self.title or f"Conversation {self.pk}"

    def get_absolute_url(self) -> str:
        return f"/chat/{self.pk}/"

    @property
    def group_name(self) -> str:
        return conversation_group(self.pk)


def conversation_group(conversation_id: int) -> str:
    """The channel-layer group every socket of a conversation listens to."""
    return f"conversation-{conversation_id}"


class Message(models.Model):
    class Role(models.TextChoices):
        USER = "user", "User"
        ASSISTANT = "assistant", "Assistant"
        SYSTEM = "system", "System"

    class Status(models.TextChoices):
        STREAMING = "streaming", "Streaming"
        COMPLETE = "complete", "Complete"
        STOPPED = "stopped", "Stopped"
        FAILED = "failed", "Failed"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    content = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COMPLETE)
    # For failed answers: the LLM error's machine code and plain-words explanation.
    error_type = models.CharField(max_length=50, blank=True)
    error_detail = models.CharField(max_length=500, blank=True)
    provider = models.CharField(max_length=20, blank=True)
    model = models.CharField(max_length=100, blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    first_token_ms = models.PositiveIntegerField(
        null=True, blank=True, help_text="Latency to the first token."
    )
    total_ms = models.PositiveIntegerField(null=True, blank=True, help_text="Time to the last token.")
    heartbeat_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="While streaming: last sign of life from the process writing the answer.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "created_at"]),
            # The orphan sweep (chat.services.answers_close_orphaned) reads only open answers.
            models.Index(
                fields=["heartbeat_at"], condition=Q(status="streaming"), name="chat_message_open_heartbeat"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="assistant") | Q(status="complete"),
                name="chat_message_only_answers_stream",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.content[:40]}"

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.STREAMING
