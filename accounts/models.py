import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.usernames import USERNAME_HELP_TEXT, UsernameValidator


class DevCrewUserManager(UserManager):
    def get_by_natural_key(self, username):
        """Log in with any casing of the username."""
        return self.get(username__iexact=username)


class User(AbstractUser):
    """The one user of browser pages, the admin and the mobile API.

    Email and username are each unique case-insensitively (database constraints, so
    two concurrent signups cannot both win). ``public_id`` is the id the API shows:
    it reveals nothing about how many accounts exist or in which order they came.
    """

    # AbstractUser's field, with ASCII-only names (accounts.usernames) instead of Unicode.
    username = models.CharField(
        "username",
        max_length=150,
        unique=True,
        help_text=USERNAME_HELP_TEXT,
        validators=[UsernameValidator()],
        error_messages={"unique": "A user with that username already exists."},
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address")
    profile_complete = models.BooleanField(default=False)
    # Copies of facts kept in allauth's tables, read by every users/me and page load:
    # ``email`` has a verified EmailAddress; a TOTP Authenticator exists. Kept in step by
    # accounts.signals (user_flags_refresh); never written directly.
    email_verified = models.BooleanField(default=False, editable=False)
    mfa_enabled = models.BooleanField(default=False, editable=False)
    failed_login_count = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Access tokens issued before this instant are refused (set on every password change).
    tokens_valid_after = models.DateTimeField(null=True, blank=True)

    objects = DevCrewUserManager()  # type: ignore[misc]  # django-stubs types it as a ClassVar

    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class PasswordHistory(models.Model):
    """Hashes of a user's recent passwords, so they cannot be reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password_hash = models.CharField(max_length=256)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        verbose_name_plural = "password history"

    def __str__(self) -> str:
        return f"password of {self.user} set {self.created_at:%Y-%m-%d}"


class OneTimeCode(models.Model):
    """A 6-digit code sent by email, stored only as a keyed hash (see accounts.otp)."""

    class Purpose(models.TextChoices):
        VERIFY_EMAIL = "verify_email", "Email verification"
        PASSWORD_RESET = "password_reset", "Password reset"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_codes")
    purpose = models.CharField(max_length=32, choices=Purpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["user", "purpose"]),
            # The purge task deletes by these, in batches.
            models.Index(fields=["expires_at"]),
            models.Index(fields=["used_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} code for {self.user}"


class SiteCodeFailure(models.Model):
    """Wrong tries at one code of the site's (allauth) flows, keyed by the code's digest.

    allauth counts tries in the session, which parallel requests of one session each
    read before any saves; this row counts every wrong try atomically in the database
    (see accounts.adapter). Rows expire with their code and are purged with the API's codes.
    """

    digest = models.CharField(max_length=64, unique=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.failed_attempts} wrong tries at a site code"
