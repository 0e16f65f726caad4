"""Admin for projects. Actions call the same services as pages and the API, so the
permission module decides (superusers act as owners; other staff need a real role)."""

from django.contrib import admin

from config.admin_actions import admin_action_each
from projects.models import (
    Invitation,
    JoinRequest,
    Membership,
    Milestone,
    Notification,
    NotificationPreference,
    Project,
    ProjectSkill,
    ShareLink,
    Task,
)
from projects.services.invitations import invitation_revoke
from projects.services.projects import project_update
from projects.services.share_links import share_link_revoke


class ProjectSkillInline(admin.TabularInline):
    model = ProjectSkill
    raw_id_fields = ["skill"]
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "owner", "status", "visibility", "created_at"]
    list_filter = ["status", "visibility"]
    search_fields = ["name", "slug", "summary", "owner__username"]
    raw_id_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ProjectSkillInline, MembershipInline]
    actions = ["archive"]

    @admin.action(description="Archive the selected projects")
    def archive(self, request, queryset):
        admin_action_each(
            self,
            request,
            queryset,
            lambda project: project_update(
                actor=request.user, project=project, status=Project.Status.ARCHIVED
            ),
            done="projects archived",
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["project", "user", "email", "status", "created_at", "expires_at"]
    list_filter = ["status"]
    search_fields = ["project__name", "user__username", "email"]
    raw_id_fields = ["project", "user", "invited_by"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected pending invitations")
    def revoke(self, request, queryset):
        admin_action_each(
            self,
            request,
            queryset.select_related("project"),
            lambda invitation: invitation_revoke(actor=request.user, invitation=invitation),
            done="invitations revoked",
        )


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["project", "user", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["project__name", "user__username"]
    raw_id_fields = ["project", "user", "decided_by"]


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["project", "created_at", "expires_at", "revoked_at", "views", "last_viewed_at"]
    raw_id_fields = ["project", "created_by"]
    readonly_fields = ["token", "views", "last_viewed_at"]
    actions = ["revoke"]

    @admin.action(description="Revoke the selected share links")
    def revoke(self, request, queryset):
        admin_action_each(
            self,
            request,
            queryset.select_related("project"),
            lambda link: share_link_revoke(actor=request.user, share_link=link),
            done="share links revoked",
        )


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "due_date", "order"]
    search_fields = ["title", "project__name"]
    raw_id_fields = ["project"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "status", "assignee", "priority"]
    list_filter = ["status", "priority"]
    search_fields = ["title", "project__name"]
    raw_id_fields = ["project", "milestone", "assignee", "created_by", "required_skill"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "text", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_enabled"]
    raw_id_fields = ["user"]
