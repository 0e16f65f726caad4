import json

from django.contrib import admin
from django.utils.html import format_html

from agents.models import Agent, AgentRun
from agents.runs.services import agent_run_cancel, agent_run_retry
from agents.services import agents_status_set
from config.admin_actions import admin_action_each


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
        changed = agents_status_set(actor=request.user, agents=queryset, status=Agent.Status.ACTIVE)
        self.message_user(request, f"{changed} agent(s) activated.")

    @admin.action(description="Deactivate the selected agents")
    def deactivate(self, request, queryset):
        changed = agents_status_set(actor=request.user, agents=queryset, status=Agent.Status.INACTIVE)
        self.message_user(request, f"{changed} agent(s) deactivated.")


def _pretty_json(value) -> str:
    if value in (None, {}, []):
        return "—"
    text = json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False)
    return format_html('<pre style="white-space: pre-wrap; max-height: 40em; overflow: auto">{}</pre>', text)


@admin.register(AgentRun)
class AgentRunAdmin(admin.ModelAdmin):
    """Runs are written by their lifecycle (``agents.runs``), so every field is read-only;
    staff cancel or retry them with the actions, which call the same services as the API."""

    list_display = [
        "id",
        "kind",
        "project",
        "owner",
        "status",
        "progress",
        "step",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status", ("project", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["owner__username", "owner__email"]
    list_select_related = ["owner", "project"]
    date_hierarchy = "created_at"
    actions = ["cancel_runs", "retry_runs"]
    fieldsets = [
        (None, {"fields": ["kind", "project", "owner", "status", "progress", "step", "cancel_requested"]}),
        ("Input", {"fields": ["input_pretty"]}),
        ("Outcome", {"fields": ["result_pretty", "error_type", "error", "attempts"]}),
        ("Applied", {"fields": ["applied_at", "applied_by", "applied_pretty"]}),
        ("Dates", {"fields": ["created_at", "started_at", "finished_at", "deadline", "updated_at"]}),
    ]
    readonly_fields = [
        "kind", "project", "owner", "status", "progress", "step", "cancel_requested", "input_pretty",
        "result_pretty", "error_type", "error", "attempts", "applied_at", "applied_by", "applied_pretty",
        "created_at", "started_at", "finished_at", "deadline", "updated_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False  # runs start from a project (page or API), through the service

    @admin.display(description="input")
    def input_pretty(self, run: AgentRun) -> str:
        return _pretty_json(run.input)

    @admin.display(description="result")
    def result_pretty(self, run: AgentRun) -> str:
        return _pretty_json(run.result)

    @admin.display(description="what applying created")
    def applied_pretty(self, run: AgentRun) -> str:
        return _pretty_json(run.applied)

    @admin.action(description="Cancel the selected runs")
    def cancel_runs(self, request, queryset):
        admin_action_each(
            self,
            request,
            queryset.select_related("project", "owner"),
            lambda run: agent_run_cancel(actor=request.user, run=run),
            done="run(s) cancelled (running ones stop at their next step)",
        )

    @admin.action(description="Retry the selected failed or cancelled runs")
    def retry_runs(self, request, queryset):
        admin_action_each(
            self,
            request,
            queryset.select_related("project", "owner"),
            lambda run: agent_run_retry(actor=request.user, run=run),
            done="run(s) queued again",
        )
