import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from profiles.markdown import MarkdownHTMLField
from profiles.taxonomy import CATEGORY_CHOICES, CATEGORY_OTHER


class Skill(models.Model):
    """One canonical skill of the taxonomy, or an unreviewed one a user typed.

    ``key`` is ``taxonomy.skill_key(name)``; together with ``SkillAlias.key`` it is what
    free text resolves against (``services.skill_resolve``). ``related`` points from the
    specific to the general (Django → Python) and gives partial credit in matching.
    """

    name = models.CharField(max_length=80, unique=True)
    key = models.CharField(max_length=80, unique=True, editable=False)
    slug = models.SlugField(max_length=90, unique=True)
    category = models.CharField(max_length=20, choices=CATEGORY_CHOICES, default=CATEGORY_OTHER)
    is_reviewed = models.BooleanField(
        "reviewed",
        default=True,
        help_text="Unreviewed skills were typed by users; merge them into a canonical skill.",
    )
    related = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="related_from", help_text="More general skills."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name if self.is_reviewed else f"{self.name} (unreviewed)"


class SkillAlias(models.Model):
    """Another spelling of a skill: ``js`` → JavaScript, ``k8s`` → Kubernetes."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=80)
    key = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "skill aliases"

    def __str__(self) -> str:
        return f"{self.name} → {self.skill.name}"


class ExperienceLevel(models.TextChoices):
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid-level"
    SENIOR = "senior", "Senior"
    LEAD = "lead", "Lead"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public: anyone"
    MEMBERS = "members", "Members only: signed-in DevCrew users"
    PRIVATE = "private", "Private: only me"


def avatar_path(instance, filename: str) -> str:
    """A random name: the address of a picture tells nothing and cannot be guessed."""
    return f"avatars/{secrets.token_urlsafe(16)}.webp"


def portfolio_image_path(instance, filename: str) -> str:
    return f"portfolio/{secrets.token_urlsafe(16)}.webp"


class Profile(models.Model):
    """What the matching agents read about a developer. Written only through services."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=80, blank=True)
    headline = models.CharField(max_length=140, blank=True)
    bio = models.TextField(blank=True, help_text="Markdown.")
    bio_html = MarkdownHTMLField(source="bio", renderer="profiles.markdown.bio_render")
    experience_level = models.CharField(max_length=10, choices=ExperienceLevel.choices, blank=True)
    interests = models.JSONField(default=list, blank=True)
    timezone = models.CharField(max_length=64, blank=True, help_text="IANA name, e.g. Europe/Berlin.")
    working_hours_start = models.TimeField(null=True, blank=True, help_text="Local time.")
    working_hours_end = models.TimeField(
        null=True, blank=True, help_text="Local time; before start = overnight."
    )
    availability_hours = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(80)], help_text="Hours per week."
    )
    github = models.URLField(blank=True)
    links = models.JSONField(default=list, blank=True)
    looking_for_team = models.BooleanField(default=False)
    avatar = models.FileField(
        upload_to=avatar_path,
        max_length=200,
        blank=True,
        help_text="A 256-pixel square WebP made from the upload (profiles.services.images).",
    )
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    completeness = models.PositiveSmallIntegerField(default=0)
    setup_step = models.CharField(
        max_length=20, blank=True, help_text="The last wizard step saved, so the wizard can resume."
    )
    skills: "models.ManyToManyField[Skill, ProfileSkill]" = models.ManyToManyField(
        Skill, through="ProfileSkill", related_name="profiles", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["visibility", "experience_level"]),
            models.Index(fields=["looking_for_team"]),
        ]

    def __str__(self) -> str:
        return self.display_name or self.user.username


class ProfileSkill(models.Model):
    class Kind(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="profile_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="profile_skills")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PRIMARY)
    years = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(60)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="profiles_profileskill_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.skill.name} ({self.kind})"


# -- Portfolio ------------------------------------------------------------------------------
class Experience(models.Model):
    """One job or engagement of a developer's work history. ``end_month`` empty = current.

    Months are stored as the first day of the month. ``description_html`` is rendered from
    ``description`` (Markdown) by the service that writes it, never at read time.
    Visibility is the profile's (``profiles.portfolio`` reads check it).
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="experiences")
    organisation = models.CharField(max_length=120)
    role = models.CharField(max_length=120)
    start_month = models.DateField(help_text="First day of the month the role started.")
    end_month = models.DateField(null=True, blank=True, help_text="Empty: current role.")
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    technologies: "models.ManyToManyField[Skill, models.Model]" = models.ManyToManyField(
        Skill, blank=True, related_name="experiences"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Newest first: current roles, then by end and start month.
        ordering = [models.F("end_month").desc(nulls_first=True), "-start_month", "-id"]
        indexes = [models.Index(fields=["profile", "start_month"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_month__isnull=True) | models.Q(end_month__gte=models.F("start_month")),
                name="profiles_experience_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} at {self.organisation}"

    @property
    def is_current(self) -> bool:
        return self.end_month is None


class CaseStudy(models.Model):
    """A project a developer presents: what it was, their role, how it was built.
    ``position`` is the owner's order on the profile (smallest first)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="case_studies")
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300, blank=True)
    role = models.CharField("my role", max_length=120, blank=True)
    body = models.TextField(blank=True, help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    technologies: "models.ManyToManyField[Skill, models.Model]" = models.ManyToManyField(
        Skill, blank=True, related_name="case_studies"
    )
    demo_url = models.URLField(blank=True)
    repository_url = models.URLField(blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "-created_at", "-id"]
        verbose_name_plural = "case studies"
        indexes = [models.Index(fields=["profile", "position"])]

    def __str__(self) -> str:
        return self.title


class CaseStudyImage(models.Model):
    """A picture of a case study: the stored files are renditions made from the upload
    (``profiles.images``), never the upload itself."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to=portfolio_image_path, max_length=200)
    thumbnail = models.FileField(upload_to=portfolio_image_path, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    thumbnail_width = models.PositiveIntegerField()
    thumbnail_height = models.PositiveIntegerField()
    alt_text = models.CharField(
        max_length=200, blank=True, help_text="What the picture shows, for screen readers."
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt_text or f"Image {self.pk} of {self.case_study}"
