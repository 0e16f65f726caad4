"""Password rules shared by signup, reset and change on every surface."""

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

PASSWORD_HISTORY_DEPTH = 5


class PasswordHistoryValidator:
    """Refuse the current password and the previous ones (the last 5 in all).

    A Django password validator, so allauth's forms, the admin and the API all apply
    it. ``password_changed`` records every new hash (Django calls it after the user is
    saved with a new password) and keeps only the last ``PASSWORD_HISTORY_DEPTH``.
    """

    def __init__(self, depth: int = PASSWORD_HISTORY_DEPTH):
        self.depth = depth

    def _recent_hashes(self, user) -> list[str]:
        return list(user.password_history.values_list("password_hash", flat=True)[: self.depth])

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from accounts.models import User

        stored = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        # The newest history entry is normally the current hash; a set avoids checking it twice.
        candidates = {stored, *self._recent_hashes(user)} - {None, ""}
        if any(check_password(password, encoded) for encoded in candidates):
            raise ValidationError(
                "You used this password recently. "
                "Choose one you have not used for your last %(n)d passwords.",
                code="password_reused",
                params={"n": self.depth},
            )

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        from django.utils import timezone

        from accounts.models import PasswordHistory, User

        PasswordHistory.objects.create(user=user, password_hash=user.password)
        # A new password ends every session: refuse the access tokens issued before it.
        User.objects.filter(pk=user.pk).update(tokens_valid_after=timezone.now())
        keep = list(user.password_history.values_list("pk", flat=True)[: self.depth])
        user.password_history.exclude(pk__in=keep).delete()

    def get_help_text(self):
        return f"Your password cannot be one of your last {self.depth} passwords."
