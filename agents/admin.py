from django.contrib import admin
from django.utils import timezone

from agents.models import Agent


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    """Staff may switch any agent on or off; built-in agents' content comes from
    ``agents.builtins`` (the data migration) and is read-only here."""

    list_display = ["name", "kind", "is_builtin", "owner", "status", "visibility", "project", "updated_at"]
    list_filter = ["status", "visibility", "is_builtin", "kind"]
    search_fields = ["name", "description", "owner__username", "owner__email", "project__name", "slug"]
    list_select_related = ["owner", "project"]
    autocomplete_fields = ["owner", "project"]
    readonly_fields = ["slug", "is_builtin", "created_at", "updated_at"]
    actions = ["activate", "deactivate"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "is_builtin", "owner", "status"]}),
        ("Behaviour", {"fields": ["description", "system_prompt", "model", "temperature"]}),
        ("Sharing", {"fields": ["visibility", "project"]}),
        ("Dates", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_builtin:
            fields += ["name", "kind", "owner", "description", "system_prompt", "model", "temperature"]
            fields += ["visibility", "project"]
        return fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_builtin:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Activate the selected agents")
    def activate(self, request, queryset):
        updated = queryset.update(status=Agent.Status.ACTIVE, updated_at=timezone.now())
        self.message_user(request, f"{updated} agent(s) activated.")

    @admin.action(description="Deactivate the selected agents")
    def deactivate(self, request, queryset):
        updated = queryset.update(status=Agent.Status.INACTIVE, updated_at=timezone.now())
        self.message_user(request, f"{updated} agent(s) deactivated.")
