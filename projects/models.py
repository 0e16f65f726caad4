"""Projects: what people gather around and what the agents plan for.

The rules about who may see or change what live in ``projects.permissions``; writes in
``projects.services``; reads in ``projects.selectors``. Models only hold data and the
constraints the database can enforce on its own.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from profiles.markdown import MarkdownHTMLField
from profiles.models import ExperienceLevel

INVITATION_LIFETIME = timedelta(days=14)


class Project(models.Model):
    class Status(models.TextChoices):
        IDEA = "idea", "Idea"
        RECRUITING = "recruiting", "Recruiting"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ARCHIVED = "archived", "Archived"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        UNLISTED = "unlisted", "Unlisted"
        PRIVATE = "private", "Private"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_projects"
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    summary = models.CharField(max_length=280, blank=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = MarkdownHTMLField(source="description", renderer="projects.markdown.markdown_render")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IDEA)
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC)
    team_size = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(100)], help_text="Target team size."
    )
    timezone = models.CharField(max_length=64, blank=True, help_text="Preferred IANA time zone.")
    min_overlap_hours = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(12)],
        help_text="Minimum daily working-hours overlap with the preferred time zone.",
    )
    repository_url = models.URLField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    members: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="projects", blank=True
    )
    skills: models.ManyToManyField = models.ManyToManyField(
        "profiles.Skill", through="ProjectSkill", related_name="projects", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["visibility", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"slug": self.slug})


class ProjectSkill(models.Model):
    """A skill the project needs: a must-have or a nice-to-have, optionally at a minimum level."""

    class Importance(models.TextChoices):
        MUST = "must", "Must have"
        NICE = "nice", "Nice to have"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="required_skills")
    skill = models.ForeignKey("profiles.Skill", on_delete=models.CASCADE, related_name="project_skills")
    importance = models.CharField(max_length=8, choices=Importance.choices, default=Importance.MUST)
    min_level = models.CharField(max_length=10, choices=ExperienceLevel.choices, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "skill"], name="projects_projectskill_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.skill.name} ({self.importance})"


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MAINTAINER = "maintainer", "Maintainer"
        MEMBER = "member", "Member"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="projects_membership_unique"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(role="owner"), name="projects_membership_one_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.project} ({self.role})"


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Invited by username (``user`` set) or by email (``email`` set; ``user`` too when an
    # account with that address already exists, else it is matched on acceptance).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="project_invitations",
    )
    email = models.EmailField(blank=True)
    message = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                condition=Q(status="pending", user__isnull=False),
                name="projects_invitation_one_pending_per_user",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="projects_invitation_has_invitee"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.user or self.email} to {self.project}"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.EXPIRED or (
            self.status == self.Status.PENDING and self.expires_at <= timezone.now()
        )

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired

    @property
    def effective_status(self) -> str:
        return self.Status.EXPIRED if self.is_expired else self.status


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                condition=Q(status="pending"),
                name="projects_joinrequest_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.project}"


class ShareLink(models.Model):
    """A read-only pass to an unlisted or private project for whoever holds the token."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    views = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Share link for {self.project}"

    def get_absolute_url(self) -> str:
        return reverse("projects:shared", kwargs={"token": self.token})

    @property
    def is_valid(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    goal = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "due_date", "id"]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", "To do"
        DOING = "doing", "Doing"
        DONE = "done", "Done"

    class Priority(models.IntegerChoices):
        LOW = 1, "Low"
        MEDIUM = 2, "Medium"
        HIGH = 3, "High"
        URGENT = 4, "Urgent"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.TODO)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_tasks",
    )
    estimate_hours = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    required_skill = models.ForeignKey(
        "profiles.Skill", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority", "created_at", "id"]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    class Kind(models.TextChoices):
        INVITATION_RECEIVED = "invitation_received", "Invitation received"
        INVITATION_ANSWERED = "invitation_answered", "Invitation answered"
        JOIN_REQUEST_RECEIVED = "join_request_received", "Join request received"
        JOIN_REQUEST_ANSWERED = "join_request_answered", "Join request answered"
        TASK_ASSIGNED = "task_assigned", "Task assigned"
        OWNERSHIP_TRANSFERRED = "ownership_transferred", "Ownership transferred"
        MENTIONED = "mentioned", "Mentioned"
        DIRECT_MESSAGE = "direct_message", "Direct message"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text


class NotificationPreference(models.Model):
    """Per-user notification settings; a user without a row gets the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(default=True, help_text="Also email me about project events.")

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"
