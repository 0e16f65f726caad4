"""Agents: the AI personas people chat with.

Built-in agents (``is_builtin``, no owner) exist once for everyone and are created by a
data migration with stable slugs. Custom agents belong to their owner and are private,
or shared with the members of one project. Who may see, use or change an agent is decided
in ``agents.selectors`` and ``agents.services``; the model only holds data and the
constraints the database can enforce on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

TEMPERATURE_MIN = 0.0
TEMPERATURE_MAX = 2.0
DEFAULT_TEMPERATURE = 0.7

if TYPE_CHECKING:
    from projects.models import Project


class Agent(models.Model):
    class Kind(models.TextChoices):
        ASSISTANT = "assistant", "Assistant"
        PROJECT_ASSISTANT = "project_assistant", "Project assistant"
        CODE_HELPER = "code_helper", "Code helper"
        CUSTOM = "custom", "Custom"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private: only me"
        PROJECT = "project", "Shared with a project's members"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agents",
        help_text="Empty for built-in agents.",
    )
    is_builtin = models.BooleanField("built-in", default=False, editable=False)
    # Stable handle of a built-in agent ("assistant", "project-assistant", "code-helper").
    slug = models.SlugField(max_length=40, unique=True, null=True, blank=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CUSTOM)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=500, blank=True)
    system_prompt = models.TextField(blank=True, max_length=8000)
    model = models.CharField(
        max_length=100, blank=True, help_text="The model to use; empty for the server's default."
    )
    temperature = models.FloatField(
        default=DEFAULT_TEMPERATURE,
        validators=[MinValueValidator(TEMPERATURE_MIN), MaxValueValidator(TEMPERATURE_MAX)],
        help_text="0 (focused) to 2 (creative).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agents",
        help_text="The project whose members may use the agent (visibility “project”).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not a column: the project a chat with this agent is about, set by
    # ``agents.selectors.agent_for_chat``.
    chat_project: Project | None = None

    class Meta:
        ordering = ["-is_builtin", "name", "id"]
        indexes = [models.Index(fields=["owner", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(temperature__gte=TEMPERATURE_MIN) & Q(temperature__lte=TEMPERATURE_MAX),
                name="agents_agent_temperature_range",
            ),
            models.CheckConstraint(
                condition=Q(is_builtin=True, owner__isnull=True) | Q(is_builtin=False, owner__isnull=False),
                name="agents_agent_builtin_xor_owner",
            ),
            models.CheckConstraint(
                condition=Q(visibility="project", project__isnull=False)
                | Q(visibility="private", project__isnull=True),
                name="agents_agent_project_iff_shared",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agents:edit", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def needs_project(self) -> bool:
        """A project assistant talks about one project, chosen when the chat starts."""
        return self.kind == self.Kind.PROJECT_ASSISTANT


class AgentRun(models.Model):
    """One background run of a built-in agent on a project (DESIGN.md, "Agent runs").

    Lifecycle: ``queued → running → succeeded | failed | cancelled``; the transitions,
    progress and the result are written only by ``agents.runs`` (services and the
    executor the Celery task calls). ``deadline`` bounds both waiting in the queue and
    running: the periodic reaper fails a run still unfinished past it.
    """

    class Kind(models.TextChoices):
        SKILL_MATCH = "skill_match", "Find people"
        TEAM_FORMATION = "team_formation", "Form a team"
        PROJECT_PLAN = "project_plan", "Plan the work"
        ASSEMBLE = "assemble", "Do all three"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_runs")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="agent_runs")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    input = models.JSONField(default=dict, blank=True, help_text="The validated parameters of the run.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    step = models.CharField(max_length=200, blank=True, help_text="What the run is doing now.")
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    error_type = models.CharField(max_length=60, blank=True)
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Deliveries of the run to a worker.")
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied = models.JSONField(null=True, blank=True, help_text="What applying the result created.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"]),
            models.Index(fields=["project", "-created_at"]),
            models.Index(fields=["status", "deadline"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="agents_agentrun_progress_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} on {self.project_id}"

    def get_absolute_url(self) -> str:
        return reverse("agents:run-detail", kwargs={"pk": self.pk})

    @property
    def socket_path(self) -> str:
        """Where the run's progress is pushed (``agents.routing``)."""
        from agents.routing import agent_run_socket_path

        return agent_run_socket_path(self.pk)

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED


def agent_run_group(run_id: int) -> str:
    """The channel-layer group of a run's sockets."""
    return f"agent-run-{run_id}"
