from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from accounts import lockout


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin login obeys the same lockout as the site and the API."""

    def clean(self):
        user = lockout.user_for_login(self.cleaned_data.get("username", ""))
        seconds = lockout.lockout_seconds_left(user) if user else 0
        if seconds > 0:
            raise ValidationError(lockout.lockout_message(seconds), code="account_locked")
        return super().clean()
