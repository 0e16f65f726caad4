"""API shapes for projects. Input serializers validate (400s); services apply the rules."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.fields import IdField
from profiles.models import ExperienceLevel
from projects.models import (
    Invitation,
    JoinRequest,
    Membership,
    Milestone,
    Notification,
    Project,
    ProjectSkill,
    ShareLink,
    Task,
)
from projects.services.board import MILESTONE_FIELDS, TASK_FIELDS


class RequiredSkillSerializer(serializers.Serializer):
    """``{"skill": "Python", "importance": "must", "min_level": null}``; on input the skill
    is free text resolved through the taxonomy ("py" → Python)."""

    skill = serializers.CharField(max_length=60)
    importance = serializers.ChoiceField(choices=ProjectSkill.Importance.choices, default="must")
    min_level = serializers.ChoiceField(
        choices=ExperienceLevel.choices, allow_null=True, allow_blank=True, required=False, default=None
    )

    def to_representation(self, instance: ProjectSkill) -> dict:
        return {
            "skill": instance.skill.name,
            "importance": instance.importance,
            "min_level": instance.min_level or None,
        }


class ProjectSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    required_skills = RequiredSkillSerializer(many=True, read_only=True)
    description_html = serializers.CharField(read_only=True, help_text="The description as sanitized HTML.")
    member_count = serializers.SerializerMethodField()
    my_role = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "slug",
            "name",
            "summary",
            "description",
            "description_html",
            "status",
            "visibility",
            "team_size",
            "required_skills",
            "timezone",
            "min_overlap_hours",
            "repository_url",
            "tags",
            "owner",
            "member_count",
            "my_role",
            "url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_member_count(self, project: Project) -> int:
        count = getattr(project, "member_count", None)
        return count if count is not None else project.memberships.count()

    @extend_schema_field(serializers.ChoiceField(choices=Membership.Role.choices, allow_null=True))
    def get_my_role(self, project: Project) -> str | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        cache = getattr(project, "_prefetched_objects_cache", {})
        if "memberships" in cache:
            return next((m.role for m in cache["memberships"] if m.user_id == user.pk), None)
        return project.memberships.filter(user=user).values_list("role", flat=True).first()

    def get_url(self, project: Project) -> str:
        request = self.context.get("request")
        path = project.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ProjectWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    summary = serializers.CharField(max_length=280, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    status = serializers.ChoiceField(choices=Project.Status.choices, required=False)
    visibility = serializers.ChoiceField(choices=Project.Visibility.choices, required=False)
    team_size = serializers.IntegerField(min_value=1, max_value=100, required=False)
    required_skills = RequiredSkillSerializer(many=True, required=False)
    timezone = serializers.CharField(max_length=64, required=False, allow_blank=True)
    min_overlap_hours = serializers.IntegerField(min_value=0, max_value=12, required=False)
    repository_url = serializers.URLField(required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20, required=False)

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Give the project a name.")
        return value

    def validate_repository_url(self, value: str) -> str:
        if value and not value.lower().startswith(("https://", "http://")):
            raise serializers.ValidationError("Use an http(s) address.")
        return value


class MemberSerializer(serializers.ModelSerializer):
    """A team member. Time zone, level and name are blank (the name is the username)
    unless the viewer may see the member's profile: memberships come from
    ``projects.selectors.members_of``, which marks each with ``profile_shown``."""

    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.SerializerMethodField()
    timezone = serializers.SerializerMethodField()
    experience_level = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["username", "name", "role", "timezone", "experience_level", "joined_at"]
        read_only_fields = fields

    def _shown_profile(self, membership: Membership):
        if not getattr(membership, "profile_shown", False):
            return None
        return getattr(membership.user, "profile", None)

    def get_name(self, membership: Membership) -> str:
        if not getattr(membership, "profile_shown", False):
            return membership.user.username
        return membership.user.get_full_name() or membership.user.username

    def get_timezone(self, membership: Membership) -> str:
        return getattr(self._shown_profile(membership), "timezone", "") or ""

    def get_experience_level(self, membership: Membership) -> str:
        return getattr(self._shown_profile(membership), "experience_level", "") or ""


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=Membership.Role.choices,
        help_text="maintainer or member; transfer the ownership to make an owner.",
    )


class UsernameSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)


class InvitationSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.slug", read_only=True)
    username = serializers.SerializerMethodField()
    status = serializers.CharField(source="effective_status", read_only=True)
    invited_by = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "project",
            "username",
            "email",
            "message",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
        ]
        read_only_fields = fields

    def get_username(self, invitation: Invitation) -> str | None:
        return invitation.user.username if invitation.user else None

    def get_invited_by(self, invitation: Invitation) -> str | None:
        return invitation.invited_by.username if invitation.invited_by else None


class InvitationCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("username")) == bool(attrs.get("email")):
            raise serializers.ValidationError({"username": ["Give either a username or an email address."]})
        return attrs


class JoinRequestSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.slug", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = JoinRequest
        fields = ["id", "project", "username", "message", "status", "created_at", "decided_at"]
        read_only_fields = ["id", "project", "username", "status", "created_at", "decided_at"]
        extra_kwargs = {"message": {"required": False, "allow_blank": True, "max_length": 2000}}


class ShareLinkSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ShareLink
        fields = ["id", "token", "url", "expires_at", "views", "last_viewed_at", "revoked_at", "created_at"]
        read_only_fields = ["id", "token", "url", "views", "last_viewed_at", "revoked_at", "created_at"]
        extra_kwargs = {"expires_at": {"required": False, "allow_null": True}}

    def get_url(self, link: ShareLink) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(link.get_absolute_url()) if request else link.get_absolute_url()


class MilestoneSerializer(serializers.ModelSerializer):
    task_count = serializers.IntegerField(read_only=True, default=0)
    done_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Milestone
        fields = ["id", *MILESTONE_FIELDS, "task_count", "done_count"]
        extra_kwargs = {"order": {"required": False}}


class _ProjectMilestoneField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        project = self.context.get("project")
        return Milestone.objects.filter(project=project) if project else Milestone.objects.none()


class TaskSerializer(serializers.ModelSerializer):
    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.all(), allow_null=True, required=False
    )
    required_skill = serializers.CharField(
        source="required_skill.name", allow_null=True, allow_blank=True, required=False, max_length=60
    )
    milestone = _ProjectMilestoneField(allow_null=True, required=False)

    class Meta:
        model = Task
        fields = ["id", *TASK_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "required_skill" in values:  # {"name": "..."} from the dotted source
            values["required_skill"] = (values["required_skill"] or {}).get("name") or ""
        return values


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "read_at", "created_at"]
        read_only_fields = fields


class NotificationQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, help_text="Only unread notifications.")


class NotificationsReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=IdField(), max_length=1000, required=False, help_text="Omit to mark all read."
    )


class MyInvitationSerializer(InvitationSerializer):
    """An invitation seen by its invitee, with what they need to decide."""

    project_name = serializers.CharField(source="project.name", read_only=True)

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "project_name"]
        read_only_fields = fields


class SharedProjectSerializer(serializers.Serializer):
    """What a share-link holder reads: the project, its team, milestones and board."""

    project = ProjectSerializer()
    members = MemberSerializer(many=True)
    milestones = MilestoneSerializer(many=True)
    tasks = TaskSerializer(many=True)
    share_link = serializers.DictField()
