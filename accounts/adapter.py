from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from accounts import lockout


class AccountAdapter(DefaultAccountAdapter):
    """allauth glue: the account lockout applies to the browser login too."""

    def pre_authenticate(self, request, **credentials):
        user = lockout.user_for_credentials(credentials)
        seconds = lockout.lockout_seconds_left(user) if user else 0
        if seconds > 0:
            raise forms.ValidationError(lockout.lockout_message(seconds), code="account_locked")
        super().pre_authenticate(request, **credentials)
