"""allauth forms of the site that obey the account lockout (accounts.lockout).

A wrong current password (password change) or a wrong TOTP/recovery code (the sign-in's
second step, reauthentication) counts as a failed login, as on the API; while the account
is locked every try is refused, the right one included. Failures are recorded by
``lockout_register_failure``, which commits before the form error is raised.
"""

from allauth.account.forms import ChangePasswordForm
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms

from accounts import lockout
from accounts.models import User


def _refuse_if_locked(user) -> None:
    current = User.objects.filter(pk=user.pk).only("locked_until").first() if user is not None else None
    seconds = lockout.lockout_seconds_left(current) if current else 0
    if seconds > 0:
        raise forms.ValidationError(lockout.lockout_message(seconds), code="account_locked")


class LockoutChangePasswordForm(ChangePasswordForm):
    def clean_oldpassword(self) -> str:
        _refuse_if_locked(self.user)
        try:
            return super().clean_oldpassword()
        except forms.ValidationError:
            lockout.lockout_register_failure(self.user)
            raise


class LockoutMfaAuthenticateForm(AuthenticateForm):
    """Wrong codes are counted by the ``authentication_failed`` receiver (accounts.signals)."""

    def clean_code(self) -> str:
        _refuse_if_locked(self.user)
        return super().clean_code()


class LockoutMfaReauthenticateForm(ReauthenticateForm):
    def clean_code(self) -> str:
        _refuse_if_locked(self.user)
        return super().clean_code()
