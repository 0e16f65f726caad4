"""Chat: conversations with an AI agent and their messages; project rooms and direct
threads between people (``PersonMessage`` and below).

Messages form a tree: each message points at its ``parent`` (the message it follows).
Editing a question or regenerating an answer adds a sibling branch instead of rewriting
history; ``Conversation.active_leaf`` is the last message of the branch the conversation
shows (``chat.selectors.active_branch``). Rules live in ``chat.services``; the streaming
engine in ``chat.generation``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from profiles.markdown import MarkdownHTMLField

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
        return reverse("chat:detail", kwargs={"pk": self.pk})

    @property
    def socket_path(self) -> str:
        """The conversation's socket (``chat.routing``)."""
        from chat.routing import conversation_socket_path

        return conversation_socket_path(self.pk)

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
    content_html = MarkdownHTMLField(source="content", renderer="chat.rendering.message_html")
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


# -- people talking: project rooms and direct threads -----------------------------------
class PersonMessage(models.Model):
    """What every message people write has (a room's, a direct thread's): Markdown
    ``content`` with its sanitized HTML stored at write time (``chat.rendering``), an
    edit stamp and a soft delete (the row stays, so cursors and replies keep their place;
    the content is emptied). Written only through ``chat.rooms.services`` and
    ``chat.threads.services``."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content = models.TextField(blank=True)
    content_html = models.TextField(
        blank=True, help_text="Sanitized HTML of the content, rendered at write time."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def project_room_group(project_id: int) -> str:
    """The channel-layer group of a project room's sockets (every member's, every process)."""
    return f"room-{project_id}"


class RoomMessage(PersonMessage):
    """A message in a project's room: from a member, or from an agent answering a mention
    (``agent`` set, ``author`` the member who summoned it, ``status`` streaming until done)."""

    class Status(models.TextChoices):
        STREAMING = "streaming", "Streaming"
        COMPLETE = "complete", "Complete"
        FAILED = "failed", "Failed"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="room_messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="room_messages",
        help_text="Who wrote it; for an agent's answer, the member who mentioned the agent.",
    )
    agent = models.ForeignKey(
        "agents.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="room_messages",
        help_text="Set when an agent wrote this message (an answer to a mention).",
    )
    is_agent = models.BooleanField(
        default=False, help_text="Written by an agent (kept if the agent is deleted)."
    )
    agent_name = models.CharField(max_length=80, blank=True)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="room_mentions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COMPLETE)
    error_detail = models.CharField(max_length=500, blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(PersonMessage.Meta):
        indexes = [models.Index(fields=["project", "id"], name="chat_room_message_cursor")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_agent=True) | Q(status="complete"), name="chat_room_message_only_agents_stream"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent_name or self.author}: {self.content[:40]}"


class DirectThread(models.Model):
    """A private conversation between two users, one per pair: ``user_low`` has the lower id
    (a constraint makes the pair unique whoever started it)."""

    user_low = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_high = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user_low", "user_high"], name="chat_direct_thread_one_per_pair"),
            models.CheckConstraint(
                condition=Q(user_low__lt=models.F("user_high")), name="chat_direct_thread_ordered_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"Thread {self.pk} ({self.user_low_id}, {self.user_high_id})"

    def other_user_id(self, user_id: int) -> int:
        return self.user_high_id if user_id == self.user_low_id else self.user_low_id

    @property
    def group_name(self) -> str:
        return direct_thread_group(self.pk)


def direct_thread_group(thread_id: int) -> str:
    """The channel-layer group of a direct thread's sockets."""
    return f"thread-{thread_id}"


class ThreadParticipant(models.Model):
    """One of the two people of a thread, with their read state: ``unread_count`` is kept by
    the services (raised for the other person on each new message, zeroed on read), so the
    inbox and the dashboard read it without counting messages."""

    thread = models.ForeignKey(DirectThread, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_participations"
    )
    last_read_message_id = models.PositiveBigIntegerField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)
    unread_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="chat_thread_participant_once")
        ]
        indexes = [models.Index(fields=["user", "thread"])]

    def __str__(self) -> str:
        return f"{self.user_id} in thread {self.thread_id}"


class DirectMessage(PersonMessage):
    thread = models.ForeignKey(DirectThread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_messages",
    )

    class Meta(PersonMessage.Meta):
        indexes = [models.Index(fields=["thread", "id"], name="chat_direct_message_cursor")]

    def __str__(self) -> str:
        return f"{self.author}: {self.content[:40]}"


class UserBlock(models.Model):
    """``blocker`` blocked ``blocked``: no new direct messages either way, and no
    notifications from ``blocked`` (mentions, messages) reach ``blocker``."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="chat_user_block_once"),
            models.CheckConstraint(
                condition=~Q(blocker=models.F("blocked")), name="chat_user_block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"
