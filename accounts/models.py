from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


class DevCrewUserManager(UserManager):
    def get_by_natural_key(self, username):
        """Log in with any casing of the username."""
        return self.get(username__iexact=username)


class User(AbstractUser):
    """The one user of browser pages, the admin and the mobile API.

    Email and username are each unique case-insensitively (database constraints, so
    two concurrent signups cannot both win).
    """

    email = models.EmailField("email address")
    profile_complete = models.BooleanField(default=False)
    failed_login_count = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    objects = DevCrewUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username
