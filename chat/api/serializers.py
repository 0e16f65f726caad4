from __future__ import annotations

from rest_framework import serializers

from chat.models import MAX_CONTENT_CHARS, Conversation, Message
from chat.rendering import message_html, message_label
from config.api.fields import IdField


class MessageSerializer(serializers.ModelSerializer):
    content_html = serializers.SerializerMethodField(help_text="The content as sanitized HTML.")
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

    def get_content_html(self, message: Message) -> str:
        return str(message_html(message.content))

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
