from __future__ import annotations

from rest_framework import serializers

from chat.models import MAX_CONTENT_CHARS, Conversation, DirectMessage, Message, RoomMessage
from chat.rendering import message_label
from config.api.fields import IdField


class MessageSerializer(serializers.ModelSerializer):
    content_html = serializers.CharField(read_only=True, help_text="The content as sanitized HTML.")
    # A field named like Field.label: DRF's metaclass moves declared fields off the class.
    label = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text='Who answered: "offline" or "openai · <model>".'
    )
    error = serializers.SerializerMethodField()
    total_tokens = serializers.IntegerField(read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "conversation",
            "parent",
            "role",
            "content",
            "content_html",
            "status",
            "error",
            "provider",
            "model",
            "label",
            "prompt_tokens",
            "completion_tokens",
            "total_tokens",
            "first_token_ms",
            "total_ms",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_label(self, message: Message) -> str:
        return message_label(message)

    def get_error(self, message: Message) -> dict[str, str] | None:
        if message.status != Message.Status.FAILED:
            return None
        return {"type": message.error_type, "detail": message.error_detail}


class AgentSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class ProjectSummarySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ConversationSerializer(serializers.ModelSerializer):
    agent = AgentSummarySerializer(read_only=True, allow_null=True)
    project = ProjectSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Conversation
        fields = [
            "id",
            "title",
            "agent",
            "project",
            "pinned",
            "archived",
            "created_at",
            "updated_at",
            "last_message_at",
        ]
        read_only_fields = fields


class ConversationCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    agent = IdField(required=False, allow_null=True, default=None)
    project = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, default=None, help_text="Slug or id."
    )


class ConversationUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    pinned = serializers.BooleanField(required=False)
    archived = serializers.BooleanField(required=False)


class MessageContentSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=MAX_CONTENT_CHARS, trim_whitespace=True)


class ExchangeSerializer(serializers.Serializer):
    user_message = MessageSerializer()
    assistant_message = MessageSerializer()


# -- people talking: rooms and direct threads -------------------------------------------
class PersonSerializer(serializers.Serializer):
    """Who wrote a message: the username only (names follow the profile's privacy)."""

    username = serializers.CharField()


class MessageAgentSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()


class _PersonMessageSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True, allow_null=True)
    deleted = serializers.SerializerMethodField()

    def get_deleted(self, message) -> bool:
        return message.is_deleted


class RoomMessageSerializer(_PersonMessageSerializer):
    """A room message. An agent's answer has ``agent`` set (``author`` is who summoned it)
    and ``status`` ``streaming`` until it is written; a deleted one has no content."""

    agent = serializers.SerializerMethodField()
    mentions = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()

    class Meta:
        model = RoomMessage
        fields = [
            "id",
            "author",
            "agent",
            "content",
            "content_html",
            "mentions",
            "status",
            "error",
            "created_at",
            "edited_at",
            "deleted",
        ]
        read_only_fields = fields

    def get_agent(self, message: RoomMessage) -> dict | None:
        if not message.is_agent:
            return None
        return {"id": message.agent_id, "name": message.agent_name}

    def get_mentions(self, message: RoomMessage) -> list[str]:
        return [user.username for user in message.mentions.all()]

    def get_error(self, message: RoomMessage) -> str | None:
        return message.error_detail or None if message.status == RoomMessage.Status.FAILED else None


class DirectMessageSerializer(_PersonMessageSerializer):
    class Meta:
        model = DirectMessage
        fields = ["id", "thread", "author", "content", "content_html", "created_at", "edited_at", "deleted"]
        read_only_fields = fields
