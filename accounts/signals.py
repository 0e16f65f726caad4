"""Lockout bookkeeping for logins that go through django.contrib.auth (allauth pages and
the admin). The API's token endpoint does the same bookkeeping in accounts.services."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts import lockout


@receiver(user_login_failed, dispatch_uid="accounts.lockout.failed")
def _count_failed_login(sender, credentials, request=None, **kwargs):
    user = lockout.user_for_credentials(credentials)
    if user is not None and not user.is_locked:
        lockout.lockout_register_failure(user)


@receiver(user_logged_in, dispatch_uid="accounts.lockout.succeeded")
def _reset_failed_logins(sender, request, user, **kwargs):
    if user.failed_login_count or user.locked_until:
        lockout.lockout_reset(user)
