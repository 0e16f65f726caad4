from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from rest_framework import serializers

from agents.models import Agent, AgentRun
from agents.services import EDITABLE_FIELDS
from projects.models import Project
from projects.selectors import projects_joined

SHARE_ONLY_OWN_PROJECTS = "You can only share an agent with a project you are a member of."


class AgentSerializer(serializers.ModelSerializer):
    """An agent as its users see it. ``project`` is the slug of the project the agent is
    shared with (visibility ``project``); the system prompt is shown to its owner only."""

    # Built-in agents have no owner; only agents shared with a project have one.
    owner: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="The owner's username."
    )
    project: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The project's slug."
    )
    project_name = serializers.CharField(source="project.name", read_only=True, default=None, allow_null=True)
    is_owner = serializers.SerializerMethodField()
    chat_url = serializers.SerializerMethodField()

    class Meta:
        model = Agent
        fields = [
            "id",
            "slug",
            "kind",
            "is_builtin",
            "owner",
            "is_owner",
            "name",
            "description",
            "system_prompt",
            "model",
            "temperature",
            "status",
            "visibility",
            "project",
            "project_name",
            "chat_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_owner(self, agent: Agent) -> bool:
        request = self.context.get("request")
        return bool(request and agent.owner_id is not None and agent.owner_id == request.user.pk)

    def get_chat_url(self, agent: Agent) -> str:
        return f"{reverse('chat:new')}?{urlencode({'agent': agent.pk})}"

    def to_representation(self, agent: Agent) -> dict:
        data = super().to_representation(agent)
        # Other members of a shared project use the agent; its prompt is its owner's work.
        if not agent.is_builtin and not data["is_owner"]:
            data["system_prompt"] = None
        return data


class AgentWriteSerializer(serializers.ModelSerializer):
    """Create (POST) and change (PATCH) a custom agent."""

    project = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Slug of a project you are a member of; required when visibility is “project”.",
    )
    temperature = serializers.FloatField(required=False, min_value=0.0, max_value=2.0)

    class Meta:
        model = Agent
        fields = list(EDITABLE_FIELDS)

    def validate_name(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError("Give the agent a name.")
        return value

    def validate_project(self, value: str | None) -> Project | None:
        if not value:
            return None
        user = self.context["request"].user
        project = projects_joined(user).filter(slug=value).first()
        if project is None:
            raise serializers.ValidationError(SHARE_ONLY_OWN_PROJECTS)
        return project

    def validate(self, attrs: dict) -> dict:
        instance: Agent | None = self.instance
        visibility = attrs.get("visibility", instance.visibility if instance else Agent.Visibility.PRIVATE)
        if visibility == Agent.Visibility.PROJECT:
            project = attrs.get("project", instance.project if instance else None)
            if project is None:
                raise serializers.ValidationError(
                    {"project": ["Choose the project to share the agent with."]}
                )
        elif attrs.get("project") is not None:
            raise serializers.ValidationError(
                {"project": ["A private agent is not shared with a project; set visibility to “project”."]}
            )
        return attrs


class AgentRunSerializer(serializers.ModelSerializer):
    """A run as its owner and the project's maintainers see it; also the ``run`` of the
    socket's ``run.completed`` frame."""

    owner: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    project: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    params = serializers.JSONField(source="input", read_only=True)
    error = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    socket = serializers.SerializerMethodField()

    class Meta:
        model = AgentRun
        fields = [
            "id",
            "kind",
            "project",
            "project_name",
            "owner",
            "params",
            "status",
            "progress",
            "step",
            "cancel_requested",
            "result",
            "error",
            "attempts",
            "applied_at",
            "applied",
            "created_at",
            "started_at",
            "finished_at",
            "deadline",
            "url",
            "socket",
        ]
        read_only_fields = fields

    def get_error(self, run: AgentRun) -> dict | None:
        if not run.error:
            return None
        return {"type": run.error_type or "run_failed", "detail": run.error}

    def get_socket(self, run: AgentRun) -> str:
        return run.socket_path


class AgentRunListSerializer(AgentRunSerializer):
    """The list leaves the (possibly large) result out; fetch a run for it."""

    class Meta(AgentRunSerializer.Meta):
        fields = [name for name in AgentRunSerializer.Meta.fields if name not in ("result", "applied")]
        read_only_fields = fields


class AgentRunCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AgentRun.Kind.choices)
    project = serializers.SlugField(help_text="Slug of a project you maintain.")
    params = serializers.JSONField(required=False, default=dict, help_text="Depends on kind; see the README.")


class AgentRunApplySerializer(serializers.Serializer):
    team = serializers.IntegerField(
        min_value=0, max_value=2, default=0, help_text="Which proposed team to invite: 0 is the best."
    )
